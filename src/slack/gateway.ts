import type { HomeView, KnownBlock, ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { SlackFailure, SlackResult } from './slack-calls';
import { DELIVERY_METADATA_TYPE, SlackReads } from './slack-reads';

export type { SlackFailure, SlackResult } from './slack-calls';
export { DELIVERY_METADATA_TYPE, type ChannelInfo } from './slack-reads';

/**
 * The ledger entry an effect is made for (flows/deliver.ts passes it to its send): every message
 * sent for it carries `key` as Slack metadata.
 */
export interface DeliveryContext {
  key: string;
  /**
   * Set when an earlier holder of this key may have reached Slack (its claim went stale at this
   * wall-clock time or later): post, dm and invite first look for their own effect, and do not
   * repeat it if it is there.
   */
  lookSince?: Date;
}

/** An effect's result: `found` when the look found an earlier attempt's effect, so nothing was sent again. */
export type EffectResult<T> = { ok: true; value: T; found: boolean } | SlackFailure;

/** A message as the views build it (src/slack/views): fallback text and typed Block Kit. */
export interface OutgoingMessage {
  text: string;
  blocks?: KnownBlock[];
}

const sent = <T>(result: SlackResult<T>): EffectResult<T> => (result.ok ? { ...result, found: false } : result);

/**
 * Where the app's IM with each person is kept (db/im-channels.ts), for the look before a resend.
 * DMs go to the user id; the IM id only matters when looking for a DM that may have gone out.
 */
export interface ImDirectory {
  find(userId: string): Promise<string | null>;
  remember(userId: string, channelId: string): Promise<void>;
}

/**
 * The gateway to Slack: the reads (slack-reads.ts) and the calls that change something, each of
 * which can be made for a ledger key and then looks for an earlier attempt's effect first.
 */
export class SlackGateway extends SlackReads {
  /** user -> IM id, as far as this process has seen (a cache of the ImDirectory) */
  private readonly imChannels = new Map<string, string>();

  constructor(client: WebClient, log: Logger, metrics?: Metrics, effectClient: WebClient = client, private readonly ims?: ImDirectory) {
    super(client, log, metrics, effectClient);
  }

  /** Joining a channel the app is already in is a success with a warning, not an error. */
  async joinChannel(channel: string): Promise<SlackResult<void>> {
    return this.call('conversations.join', { channel }, async () => {
      await this.once.client.conversations.join({ channel });
    });
  }

  /** One person per call, so each person's error is their own. already_in_channel counts as done. */
  async invite(channel: string, user: string, delivery?: DeliveryContext): Promise<EffectResult<'invited' | 'already_in_channel'>> {
    if (delivery?.lookSince) {
      // An invite is visible as membership: someone already in the channel was invited by the holder that died.
      const members = await this.channelMembers(channel);
      if (!members.ok && members.retryable) return members;
      if (members.ok && members.value.includes(user)) return { ok: true, value: 'already_in_channel', found: true };
    }
    const result = await this.call('conversations.invite', { channel, user }, async () => {
      await this.once.client.conversations.invite({ channel, users: user });
      return 'invited' as const;
    });
    if (!result.ok && result.error === 'already_in_channel') return { ok: true, value: 'already_in_channel', found: false };
    return sent(result);
  }

  /** chat.postMessage into a channel. */
  async post(channel: string, message: OutgoingMessage, context: Record<string, unknown> = {}, delivery?: DeliveryContext): Promise<EffectResult<{ ts: string; channel: string }>> {
    return this.postTo(channel, message, context, delivery, channel);
  }

  /**
   * chat.postMessage. `lookIn` is where an earlier attempt would be, when that is not `channel`
   * itself (a DM posted to a user id lands in their IM); null when it cannot be known.
   */
  private async postTo(channel: string, message: OutgoingMessage, context: Record<string, unknown>, delivery: DeliveryContext | undefined, lookIn: string | null): Promise<EffectResult<{ ts: string; channel: string }>> {
    if (delivery?.lookSince && lookIn) {
      const earlier = await this.findDelivered(lookIn, delivery.key, delivery.lookSince);
      // Slack unavailable: try again later. Any other answer (e.g. missing_scope) cannot tell, and a
      // second message is a smaller harm than a lost one, so it is sent.
      if (!earlier.ok && earlier.retryable) return earlier;
      if (earlier.ok && earlier.value) {
        this.log.info({ channel, key: delivery.key, ts: earlier.value.ts, ...context }, 'message was already sent by an earlier attempt; not sent again');
        return { ok: true, value: earlier.value, found: true };
      }
      if (!earlier.ok) this.log.warn({ channel, key: delivery.key, error: earlier.error, ...context }, 'could not look for an earlier attempt of this message; sending it');
    }
    const metadata = delivery ? { event_type: DELIVERY_METADATA_TYPE, event_payload: { key: delivery.key } } : undefined;
    return sent(
      await this.call('chat.postMessage', { channel, ...context }, async () => {
        const r = await this.once.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false, ...(metadata ? { metadata } : {}) });
        return { ts: r.ts ?? '', channel: r.channel ?? channel };
      }),
    );
  }

  /**
   * A direct message: one chat.postMessage to the user id, which Slack delivers into the app's IM
   * with them and answers with that IM's id (FACTS.md section 8). No conversations.open per DM: it
   * is Tier 3 (50/min), so a 10,000-person digest would take hours. The IM id is recorded for the
   * look before a resend, which is the only thing that needs it.
   */
  async dm(user: string, message: OutgoingMessage, context: Record<string, unknown> = {}, delivery?: DeliveryContext): Promise<EffectResult<{ ts: string; channel: string }>> {
    const log = { user, ...context };
    let lookIn: string | null = null;
    if (delivery?.lookSince) {
      const im = await this.imOf(user, log);
      if (!im.ok && im.retryable) return im;
      lookIn = im.ok ? im.value : null;
    }
    const result = await this.postTo(user, message, log, delivery, lookIn);
    if (result.ok && result.value.channel && this.imChannels.get(user) !== result.value.channel) {
      this.imChannels.set(user, result.value.channel);
      await this.ims?.remember(user, result.value.channel).catch((err: unknown) => {
        this.log.warn({ err, ...log }, 'could not record the IM of a DM; a takeover will open it again');
      });
    }
    return result;
  }

  /**
   * The IM with `user`, for the look before a resend: known to this process, recorded, or else
   * conversations.open (Tier 3, but only when taking over from a worker that died before it could
   * record the IM of its first DM to this person).
   */
  private async imOf(user: string, log: Record<string, unknown>): Promise<SlackResult<string>> {
    const known = this.imChannels.get(user) ?? (await this.ims?.find(user).catch(() => null)) ?? null;
    if (known) return { ok: true, value: known };
    return this.call('conversations.open', log, async () => (await this.client.conversations.open({ users: user })).channel?.id ?? '');
  }

  /** files.uploadV2 into the person's DM (scope files:write): upload URL, the bytes, completion. */
  async uploadToDm(user: string, file: { bytes: Buffer; filename: string; title: string; comment: string }): Promise<SlackResult<void>> {
    const im = await this.imOf(user, { user });
    if (!im.ok) return im;
    return this.call('files.uploadV2', { user, file: file.filename }, async () => {
      await this.once.client.filesUploadV2({ channel_id: im.value, file: file.bytes, filename: file.filename, title: file.title, initial_comment: file.comment });
    });
  }

  /**
   * chat.update of a message the app sent (an offer DM once answered, the intro once responders
   * said no). Idempotent by nature: updating twice to the same content changes nothing.
   */
  async update(channel: string, ts: string, message: OutgoingMessage, context: Record<string, unknown> = {}): Promise<SlackResult<void>> {
    return this.call('chat.update', { channel, ts, ...context }, async () => {
      await this.once.client.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
    });
  }

  async ephemeral(channel: string, user: string, message: OutgoingMessage): Promise<SlackResult<void>> {
    return this.call('chat.postEphemeral', { channel, user }, async () => {
      await this.once.client.chat.postEphemeral({ channel, user, text: message.text, blocks: message.blocks });
    });
  }

  async publishHome(user: string, view: HomeView): Promise<SlackResult<void>> {
    return this.call('views.publish', { user }, async () => {
      await this.once.client.views.publish({ user_id: user, view });
    });
  }

  /** views.open: the trigger_id must be used within 3 seconds of the click. Returns the view's id and hash. */
  async openModal(triggerId: string, view: ModalView): Promise<SlackResult<{ id: string; hash: string }>> {
    return this.call('views.open', {}, async () => {
      const r = await this.once.client.views.open({ trigger_id: triggerId, view });
      return { id: r.view?.id ?? '', hash: r.view?.hash ?? '' };
    });
  }

  /** views.update of an open modal; with `hash`, only if nobody changed it since (else `hash_conflict`). */
  async updateModal(viewId: string, view: ModalView, hash?: string): Promise<SlackResult<void>> {
    return this.call('views.update', { view: viewId }, async () => {
      await this.once.client.views.update({ view_id: viewId, view, ...(hash ? { hash } : {}) });
    });
  }
}
