import { ErrorCode, type WebClient } from '@slack/web-api';
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

export interface ChannelInfo {
  id: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  /** whether the app itself is a member */
  isMember: boolean;
  creator: string | null;
  created: number | null;
}

interface SlackErrorLike {
  code?: string;
  data?: { error?: string };
  statusCode?: number;
}

function errorCodeOf(error: unknown): string {
  const e = error as SlackErrorLike;
  if (e?.code === ErrorCode.PlatformError && e.data?.error) return e.data.error;
  if (e?.code === ErrorCode.HTTPError) return `http_${e.statusCode ?? 'error'}`;
  if (typeof e?.code === 'string') return e.code;
  return 'unknown_error';
}

export class SlackGateway {
  private readonly imChannels = new Map<string, string>();

  constructor(
    readonly client: WebClient,
    private readonly log: Logger,
    private readonly metrics?: Metrics,
  ) {}

  private async call<T>(method: string, context: Record<string, unknown>, run: () => Promise<T>): Promise<SlackResult<T>> {
    try {
      return { ok: true, value: await run() };
    } catch (error) {
      const code = errorCodeOf(error);
      const retryable = RETRYABLE.has(code) || code.startsWith('http_5') || code === 'ECONNREFUSED' || code === 'ECONNRESET';
      this.metrics?.slackErrors.inc({ method, code });
      this.log.warn({ method, error: code, retryable, ...context }, 'slack call failed');
      return { ok: false, error: code, retryable };
    }
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
        creator: (c.creator as string | undefined) ?? null,
        created: (c.created as number | undefined) ?? null,
      };
    });
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
      await this.client.conversations.join({ channel });
    });
  }

  /** One person per call, so each person's error is their own. already_in_channel counts as done. */
  async invite(channel: string, user: string): Promise<SlackResult<'invited' | 'already_in_channel'>> {
    const result = await this.call('conversations.invite', { channel, user }, async () => {
      await this.client.conversations.invite({ channel, users: user });
      return 'invited' as const;
    });
    if (!result.ok && result.error === 'already_in_channel') return { ok: true, value: 'already_in_channel' };
    return result;
  }

  async post(channel: string, message: { text: string; blocks?: unknown[] }, context: Record<string, unknown> = {}): Promise<SlackResult<{ ts: string; channel: string }>> {
    return this.call('chat.postMessage', { channel, ...context }, async () => {
      const r = await this.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks as never, unfurl_links: false });
      return { ts: r.ts as string, channel: r.channel as string };
    });
  }

  /** A direct message: conversations.open, then chat.postMessage into that IM. */
  async dm(user: string, message: { text: string; blocks?: unknown[] }, context: Record<string, unknown> = {}): Promise<SlackResult<{ ts: string; channel: string }>> {
    let im = this.imChannels.get(user);
    if (!im) {
      const opened = await this.call('conversations.open', { user, ...context }, async () => {
        const r = await this.client.conversations.open({ users: user });
        return (r.channel as { id: string }).id;
      });
      if (!opened.ok) return opened;
      im = opened.value;
      this.imChannels.set(user, im);
    }
    return this.post(im, message, { user, ...context });
  }

  async ephemeral(channel: string, user: string, message: { text: string; blocks?: unknown[] }): Promise<SlackResult<void>> {
    return this.call('chat.postEphemeral', { channel, user }, async () => {
      await this.client.chat.postEphemeral({ channel, user, text: message.text, blocks: message.blocks as never });
    });
  }

  async publishHome(user: string, view: Record<string, unknown>): Promise<SlackResult<void>> {
    return this.call('views.publish', { user }, async () => {
      await this.client.views.publish({ user_id: user, view: view as never });
    });
  }

  async openModal(triggerId: string, view: Record<string, unknown>): Promise<SlackResult<void>> {
    return this.call('views.open', {}, async () => {
      await this.client.views.open({ trigger_id: triggerId, view: view as never });
    });
  }
}
