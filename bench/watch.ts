import { performance } from 'node:perf_hooks';
import type { RecordedCall, SlackEmulator } from '../src/dev/slack-emulator';

/**
 * What the app did for each incident channel, as the Slack emulator saw it, with the time of each
 * call (performance.now() in the bench process, where the emulator runs). Duplicates are counted,
 * never merged, so that a doubled invite or DM shows.
 */
export interface ChannelEffects {
  /** invited user -> times invited */
  invites: Map<string, number>;
  intros: number;
  /** IM channel -> welcome DMs into it */
  welcomes: Map<string, number>;
  /** other DMs that name the channel (prompts, the mentor's pairing DM) */
  otherDms: number;
  /** performance.now() of the call that completed the expected set, when it did */
  completeAt: number | null;
  firstInviteAt: number | null;
  introAt: number | null;
  /** performance.now() of the latest effect recorded for the channel */
  lastEffectAt: number;
}

const CHANNEL_LINK = /<#([A-Z0-9]+)>/;

/** The learner's welcome DM (welcomeDm): its notification text names the channel. */
function isWelcome(text: string): boolean {
  return text.startsWith('Welcome to <#');
}

export class EffectWatcher {
  readonly channels = new Map<string, ChannelEffects>();
  private readonly waiters = new Map<string, Array<() => void>>();
  private readonly listener = (call: RecordedCall) => this.onCall(call);

  constructor(
    private readonly emulator: SlackEmulator,
    /** learners each incident should get (INVITES_PER_INCIDENT, no volunteers in the bench data) */
    private readonly expectedLearners: number,
  ) {
    emulator.on('call', this.listener);
  }

  close(): void {
    this.emulator.off('call', this.listener);
  }

  private effects(channel: string): ChannelEffects {
    let e = this.channels.get(channel);
    if (!e) {
      e = { invites: new Map(), intros: 0, welcomes: new Map(), otherDms: 0, completeAt: null, firstInviteAt: null, introAt: null, lastEffectAt: performance.now() };
      this.channels.set(channel, e);
    }
    return e;
  }

  private onCall(call: RecordedCall): void {
    const at = performance.now();
    const ok = (call.response as { ok?: boolean } | null)?.ok === true;
    if (!ok) return;
    let channel: string | undefined;
    if (call.method === 'conversations.invite') {
      channel = String(call.args.channel);
      const e = this.effects(channel);
      for (const user of String(call.args.users).split(',')) e.invites.set(user, (e.invites.get(user) ?? 0) + 1);
      e.firstInviteAt ??= at;
    } else if (call.method === 'chat.postMessage') {
      const target = String(call.args.channel);
      const text = String(call.args.text ?? '');
      // A DM goes to the user id (U…, W… on Enterprise Grid); an IM id (D…) is counted as one too.
      if (/^[DUW]/.test(target)) {
        channel = CHANNEL_LINK.exec(text)?.[1];
        if (!channel) return;
        const e = this.effects(channel);
        if (isWelcome(text)) e.welcomes.set(target, (e.welcomes.get(target) ?? 0) + 1);
        else e.otherDms++;
      } else if (this.channels.has(target) || /^[CG]/.test(target)) {
        channel = target;
        const e = this.effects(channel);
        e.intros++;
        e.introAt ??= at;
      }
    }
    if (!channel) return;
    const e = this.channels.get(channel)!;
    e.lastEffectAt = at;
    if (e.completeAt === null && this.isComplete(e)) {
      e.completeAt = at;
      for (const resolve of this.waiters.get(channel) ?? []) resolve();
      this.waiters.delete(channel);
    }
  }

  /** Every invite, the intro and every welcome DM, for the expected number of learners. */
  isComplete(e: ChannelEffects): boolean {
    return e.invites.size >= this.expectedLearners && e.intros >= 1 && e.welcomes.size >= this.expectedLearners;
  }

  /** Resolves with performance.now() of the call that completed the channel's effects. */
  whenComplete(channel: string, timeoutMs: number): Promise<number> {
    const e = this.channels.get(channel);
    if (e?.completeAt != null) return Promise.resolve(e.completeAt);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const seen = this.channels.get(channel);
        reject(new Error(`incident ${channel} incomplete after ${timeoutMs} ms: ${seen ? `${seen.invites.size} invited, ${seen.intros} intro, ${seen.welcomes.size} welcome DMs` : 'nothing seen'}`));
      }, timeoutMs);
      const list = this.waiters.get(channel) ?? [];
      list.push(() => {
        clearTimeout(timer);
        resolve(this.channels.get(channel)!.completeAt!);
      });
      this.waiters.set(channel, list);
    });
  }

  /** Channels where something was done more than once. */
  doubled(): Array<{ channel: string; what: string }> {
    const out: Array<{ channel: string; what: string }> = [];
    for (const [channel, e] of this.channels) {
      for (const [user, n] of e.invites) if (n > 1) out.push({ channel, what: `${user} invited ${n} times` });
      if (e.intros > 1) out.push({ channel, what: `${e.intros} intros` });
      for (const [im, n] of e.welcomes) if (n > 1) out.push({ channel, what: `${n} welcome DMs in ${im}` });
    }
    return out;
  }
}
