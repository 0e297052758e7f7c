import { AsyncLocalStorage } from 'node:async_hooks';
import { ErrorCode, WebClientEvent, type WebClient } from '@slack/web-api';
import type { HomeView, ModalView } from '@slack/types';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { SlackMember } from '../domain/people';

/**
 * The Slack Web API calls the app makes. Each call returns a result instead of throwing, so a
 * caller handles Slack's errors per person (one `user_is_restricted` never stops the other
 * invites). HTTP 429 is waited out by the WebClient itself, honouring Retry-After.
 */
export type SlackResult<T> = { ok: true; value: T } | { ok: false; error: string; retryable: boolean };

// Errors worth trying again later; anything else is about this person or channel and will not change by retrying.
const RETRYABLE = new Set([
  'ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout',
  'slack_webapi_request_error', 'slack_webapi_http_error', 'slack_webapi_rate_limited_error',
]);

/**
 * Slack message metadata that marks a message as the effect of one ledger key (flows/deliver.ts),
 * so that a worker taking over from one that died can find out whether it was already sent.
 */
export const DELIVERY_METADATA_TYPE = 'smokejumper_delivery';

/**
 * The ledger entry a Slack call is made for. It travels with the async call chain (set by
 * flows/deliver.ts around the send), so every message sent for a ledger key carries that key as
 * metadata without each sender having to pass it along.
 */
export interface DeliveryContext {
  key: string;
  /**
   * Set when an earlier holder of this key may have reached Slack (its claim went stale at this
   * wall-clock time or later): post and invite first look for their own effect, and do not
   * repeat it if it is there.
   */
  lookSince?: Date;
  /** what the look found; set by the gateway */
  found?: boolean;
}

const deliveryContext = new AsyncLocalStorage<DeliveryContext>();

/** Runs `send` as the effect of one ledger key (see DeliveryContext). */
export function sendingFor<T>(context: DeliveryContext, send: () => Promise<T>): Promise<T> {
  return deliveryContext.run(context, send);
}

/** conversations.history pages looked through for a message, at most (200 messages each). */
const LOOK_PAGES = 10;

/**
 * How often one call is tried again after HTTP 429 when the WebClient hands the 429 back
 * (`rejectRateLimitedCalls`); each wait is Slack's Retry-After.
 */
const RATE_LIMIT_RETRIES = 5;

const methodOf = (url: string): string => url.slice(url.lastIndexOf('/') + 1).split('?')[0]!;

export interface ChannelInfo {
  id: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  /** whether the app itself is a member */
  isMember: boolean;
  /** shared with another organisation (Slack Connect) */
  isExtShared: boolean;
  creator: string | null;
  created: number | null;
}

interface SlackErrorLike {
  code?: string;
  data?: { error?: string };
  statusCode?: number;
  retryAfter?: number;
}

function errorCodeOf(error: unknown): string {
  const e = error as SlackErrorLike;
  if (e?.code === ErrorCode.PlatformError && e.data?.error) return e.data.error;
  if (e?.code === ErrorCode.HTTPError) return `http_${e.statusCode ?? 'error'}`;
  if (typeof e?.code === 'string') return e.code;
  return 'unknown_error';
}

/**
 * Where the app's IM with each person is kept (db/im-channels.ts), for the look before a resend.
 * DMs go to the user id; the IM id only matters when looking for a DM that may have gone out.
 */
export interface ImDirectory {
  find(userId: string): Promise<string | null>;
  remember(userId: string, channelId: string): Promise<void>;
}

export class SlackGateway {
  /** user -> IM id, as far as this process has seen (a cache of the ImDirectory) */
  private readonly imChannels = new Map<string, string>();
  /** Slack method -> no call before this time (ms), from its last 429's Retry-After. */
  private readonly heldUntil = new Map<string, number>();

  /**
   * Calls that change something in Slack (invite, join, post, publish) go through a client that
   * never retries by itself: a 500 or a dropped connection may come after Slack acted, and a silent
   * retry would double the effect. The ledger retries them instead, looking in Slack first.
   */
  private readonly once: { client: WebClient };

  constructor(
    readonly client: WebClient,
    private readonly log: Logger,
    private readonly metrics?: Metrics,
    effectClient: WebClient = client,
    private readonly ims?: ImDirectory,
  ) {
    this.once = { client: effectClient };
    // Slack's limits are per method. The WebClient waits out a 429 by pausing its whole queue, but
    // when two 429s overlap the first pause's end resumes the queue early; holding the method here
    // keeps this gateway's next calls to it behind Retry-After.
    client.on?.(WebClientEvent.RATE_LIMITED, (retryAfterSeconds: number, request: { url?: string }) => {
      if (request?.url) this.hold(methodOf(request.url), retryAfterSeconds);
    });
  }

  private hold(method: string, retryAfterSeconds: number): void {
    const until = Date.now() + Math.max(0, retryAfterSeconds) * 1000;
    if (until > (this.heldUntil.get(method) ?? 0)) this.heldUntil.set(method, until);
  }

  /** Waits while `method` is held by a Retry-After. */
  private async turn(method: string): Promise<void> {
    for (;;) {
      const wait = (this.heldUntil.get(method) ?? 0) - Date.now();
      if (wait <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private async call<T>(method: string, context: Record<string, unknown>, run: () => Promise<T>): Promise<SlackResult<T>> {
    for (let attempt = 0; ; attempt++) {
      await this.turn(method);
      try {
        return { ok: true, value: await run() };
      } catch (error) {
        const retryAfter = (error as SlackErrorLike)?.code === ErrorCode.RateLimitedError ? (error as SlackErrorLike).retryAfter : undefined;
        if (retryAfter !== undefined) {
          // The WebClient handed the 429 back (rejectRateLimitedCalls): Slack did nothing; wait and try again.
          this.hold(method, retryAfter);
          if (attempt < RATE_LIMIT_RETRIES) continue;
        }
        return this.failure(method, context, error);
      }
    }
  }

  private failure(method: string, context: Record<string, unknown>, error: unknown): { ok: false; error: string; retryable: boolean } {
    const code = errorCodeOf(error);
    const retryable = RETRYABLE.has(code) || code.startsWith('http_5') || code === 'ECONNREFUSED' || code === 'ECONNRESET';
    this.metrics?.slackErrors.inc({ method, code });
    this.log.warn({ method, error: code, retryable, ...context }, 'slack call failed');
    return { ok: false, error: code, retryable };
  }

  async whoAmI(): Promise<SlackResult<{ userId: string; teamId: string; botId: string | null }>> {
    return this.call('auth.test', {}, async () => {
      const r = await this.client.auth.test();
      return { userId: r.user_id as string, teamId: r.team_id as string, botId: (r.bot_id as string | undefined) ?? null };
    });
  }

  /** Every member of the workspace, all pages. users.list is Tier 2 (20+/min): one page of 200 per call. */
  async listUsers(): Promise<SlackResult<SlackMember[]>> {
    return this.call('users.list', {}, async () => {
      const members: SlackMember[] = [];
      let cursor: string | undefined;
      do {
        const page = await this.client.users.list({ limit: 200, cursor });
        members.push(...((page.members ?? []) as SlackMember[]));
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
      return members;
    });
  }

  async userInfo(userId: string): Promise<SlackResult<SlackMember>> {
    return this.call('users.info', { user: userId }, async () => (await this.client.users.info({ user: userId })).user as SlackMember);
  }

  async lookupByEmail(email: string): Promise<SlackResult<SlackMember>> {
    return this.call('users.lookupByEmail', {}, async () => (await this.client.users.lookupByEmail({ email })).user as SlackMember);
  }

  async channelInfo(channel: string): Promise<SlackResult<ChannelInfo>> {
    return this.call('conversations.info', { channel }, async () => {
      const c = (await this.client.conversations.info({ channel })).channel as Record<string, unknown>;
      return {
        id: c.id as string,
        name: (c.name as string) ?? '',
        isPrivate: Boolean(c.is_private),
        isArchived: Boolean(c.is_archived),
        isMember: Boolean(c.is_member),
        isExtShared: Boolean(c.is_ext_shared),
        creator: (c.creator as string | undefined) ?? null,
        created: (c.created as number | undefined) ?? null,
      };
    });
  }

  /**
   * Every public channel and every private channel the app is in, not archived, all pages
   * (conversations.list, Tier 2: pages of 200).
   */
  async listChannels(): Promise<SlackResult<Array<{ id: string; name: string; created: number | null; creator: string | null }>>> {
    return this.call('conversations.list', {}, async () => {
      const channels: Array<{ id: string; name: string; created: number | null; creator: string | null }> = [];
      let cursor: string | undefined;
      do {
        const page = await this.client.conversations.list({ types: 'public_channel,private_channel', exclude_archived: true, limit: 200, cursor });
        for (const c of page.channels ?? []) channels.push({ id: c.id as string, name: c.name ?? '', created: c.created ?? null, creator: c.creator ?? null });
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
      return channels;
    });
  }

  /** Every user group of the workspace (usergroups.list, Tier 2), enabled ones only. */
  async listUserGroups(): Promise<SlackResult<Array<{ id: string; handle: string }>>> {
    return this.call('usergroups.list', {}, async () => {
      const r = await this.client.usergroups.list({});
      return (r.usergroups ?? []).map((g) => ({ id: g.id as string, handle: g.handle as string }));
    });
  }

  async userGroupMembers(usergroup: string): Promise<SlackResult<string[]>> {
    return this.call('usergroups.users.list', { usergroup }, async () => (await this.client.usergroups.users.list({ usergroup })).users ?? []);
  }

  async channelMembers(channel: string): Promise<SlackResult<string[]>> {
    return this.call('conversations.members', { channel }, async () => {
      const members: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await this.client.conversations.members({ channel, limit: 1000, cursor });
        members.push(...(page.members ?? []));
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
      return members;
    });
  }

  /** Joining a channel the app is already in is a success with a warning, not an error. */
  async joinChannel(channel: string): Promise<SlackResult<void>> {
    return this.call('conversations.join', { channel }, async () => {
      await this.once.client.conversations.join({ channel });
    });
  }

  /** One person per call, so each person's error is their own. already_in_channel counts as done. */
  async invite(channel: string, user: string): Promise<SlackResult<'invited' | 'already_in_channel'>> {
    const delivery = deliveryContext.getStore();
    if (delivery?.lookSince) {
      // An invite is visible as membership: someone already in the channel was invited by the holder that died.
      const members = await this.channelMembers(channel);
      if (!members.ok && members.retryable) return members;
      if (members.ok && members.value.includes(user)) {
        delivery.found = true;
        return { ok: true, value: 'already_in_channel' };
      }
    }
    const result = await this.call('conversations.invite', { channel, user }, async () => {
      await this.once.client.conversations.invite({ channel, users: user });
      return 'invited' as const;
    });
    if (!result.ok && result.error === 'already_in_channel') return { ok: true, value: 'already_in_channel' };
    return result;
  }

  /**
   * chat.postMessage. `lookIn` is where an earlier attempt would be, when that is not `channel`
   * itself (a DM posted to a user id lands in their IM); null when it cannot be known.
   */
  async post(channel: string, message: { text: string; blocks?: unknown[] }, context: Record<string, unknown> = {}, lookIn: string | null = channel): Promise<SlackResult<{ ts: string; channel: string }>> {
    const delivery = deliveryContext.getStore();
    if (delivery?.lookSince && lookIn) {
      const earlier = await this.findDelivered(lookIn, delivery.key, delivery.lookSince);
      // Slack unavailable: try again later. Any other answer (e.g. missing_scope) cannot tell, and a
      // second message is a smaller harm than a lost one, so it is sent.
      if (!earlier.ok && earlier.retryable) return earlier;
      if (earlier.ok && earlier.value) {
        delivery.found = true;
        this.log.info({ channel, key: delivery.key, ts: earlier.value.ts, ...context }, 'message was already sent by an earlier attempt; not sent again');
        return { ok: true, value: earlier.value };
      }
      if (!earlier.ok) this.log.warn({ channel, key: delivery.key, error: earlier.error, ...context }, 'could not look for an earlier attempt of this message; sending it');
    }
    const metadata = delivery ? { event_type: DELIVERY_METADATA_TYPE, event_payload: { key: delivery.key } } : undefined;
    return this.call('chat.postMessage', { channel, ...context }, async () => {
      const r = await this.once.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks as never, unfurl_links: false, ...(metadata ? { metadata } : {}) });
      return { ts: r.ts as string, channel: r.channel as string };
    });
  }

  /**
   * The message this app sent for ledger key `key` in `channel` at `since` or later, if any
   * (conversations.history with metadata; needs channels:history, groups:history, im:history).
   * Looks through at most LOOK_PAGES pages, newest first.
   */
  async findDelivered(channel: string, key: string, since: Date): Promise<SlackResult<{ ts: string; channel: string } | null>> {
    return this.call('conversations.history', { channel, key }, async () => {
      const oldest = (Math.floor(since.getTime() / 1000)).toFixed(6);
      let cursor: string | undefined;
      for (let page = 0; page < LOOK_PAGES; page++) {
        const r = await this.client.conversations.history({ channel, oldest, inclusive: true, include_all_metadata: true, limit: 200, cursor });
        for (const m of (r.messages ?? []) as Array<{ ts?: string; metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }>) {
          if (m.metadata?.event_type === DELIVERY_METADATA_TYPE && m.metadata.event_payload?.key === key && m.ts) return { ts: m.ts, channel };
        }
        cursor = r.response_metadata?.next_cursor || undefined;
        if (!r.has_more || !cursor) break;
      }
      return null;
    });
  }

  /**
   * A direct message: one chat.postMessage to the user id, which Slack delivers into the app's IM
   * with them and answers with that IM's id (FACTS.md section 8). No conversations.open per DM: it
   * is Tier 3 (50/min), so a 10,000-person digest would take hours. The IM id is recorded for the
   * look before a resend, which is the only thing that needs it.
   */
  async dm(user: string, message: { text: string; blocks?: unknown[] }, context: Record<string, unknown> = {}): Promise<SlackResult<{ ts: string; channel: string }>> {
    const log = { user, ...context };
    let lookIn: string | null = null;
    if (deliveryContext.getStore()?.lookSince) {
      const im = await this.imOf(user, log);
      if (!im.ok && im.retryable) return im;
      lookIn = im.ok ? im.value : null;
    }
    const sent = await this.post(user, message, log, lookIn);
    if (sent.ok && sent.value.channel && this.imChannels.get(user) !== sent.value.channel) {
      this.imChannels.set(user, sent.value.channel);
      await this.ims?.remember(user, sent.value.channel).catch((err: unknown) => {
        this.log.warn({ err, ...log }, 'could not record the IM of a DM; a takeover will open it again');
      });
    }
    return sent;
  }

  /**
   * The IM with `user`, for the look before a resend: known to this process, recorded, or else
   * conversations.open (Tier 3, but only when taking over from a worker that died before it could
   * record the IM of its first DM to this person).
   */
  private async imOf(user: string, log: Record<string, unknown>): Promise<SlackResult<string>> {
    const known = this.imChannels.get(user) ?? (await this.ims?.find(user).catch(() => null)) ?? null;
    if (known) return { ok: true, value: known };
    return this.call('conversations.open', log, async () => {
      const r = await this.client.conversations.open({ users: user });
      return (r.channel as { id: string }).id;
    });
  }

  /**
   * The members of the user groups named by id or handle (usergroups.list, then usergroups.users.list
   * per group; scope usergroups:read). Names that match no group come back in `unknown`.
   */
  async usergroupMembers(wanted: readonly string[]): Promise<SlackResult<{ members: string[]; unknown: string[] }>> {
    const listed = await this.listUserGroups();
    if (!listed.ok) return listed;
    const members = new Set<string>();
    const unknown: string[] = [];
    for (const name of wanted) {
      const group = listed.value.find((g) => g.id === name || g.handle.toLowerCase() === name.toLowerCase());
      if (!group) {
        unknown.push(name);
        continue;
      }
      const users = await this.userGroupMembers(group.id);
      if (!users.ok) return users;
      for (const u of users.value) members.add(u);
    }
    return { ok: true, value: { members: [...members], unknown } };
  }

  /** files.uploadV2 into the person's DM (scope files:write): upload URL, the bytes, completion. */
  async uploadToDm(user: string, file: { bytes: Buffer; filename: string; title: string; comment: string }): Promise<SlackResult<void>> {
    const im = await this.imOf(user, { user });
    if (!im.ok) return im;
    return this.call('files.uploadV2', { user, file: file.filename }, async () => {
      await this.once.client.filesUploadV2({ channel_id: im.value, file: file.bytes, filename: file.filename, title: file.title, initial_comment: file.comment });
    });
  }

  async ephemeral(channel: string, user: string, message: { text: string; blocks?: unknown[] }): Promise<SlackResult<void>> {
    return this.call('chat.postEphemeral', { channel, user }, async () => {
      await this.once.client.chat.postEphemeral({ channel, user, text: message.text, blocks: message.blocks as never });
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
      return { id: r.view?.id as string, hash: r.view?.hash as string };
    });
  }

  /** views.update of an open modal; with `hash`, only if nobody changed it since (else `hash_conflict`). */
  async updateModal(viewId: string, view: ModalView, hash?: string): Promise<SlackResult<void>> {
    return this.call('views.update', { view: viewId }, async () => {
      await this.once.client.views.update({ view_id: viewId, view, ...(hash ? { hash } : {}) });
    });
  }
}
