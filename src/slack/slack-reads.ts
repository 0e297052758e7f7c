import type { ChannelMessage } from '../domain/incident-lead';
import type { HistoryLine, ListedChannel } from '../domain/backfill';
import { contextMessage, type ChannelBookmark, type ContextMessage } from '../domain/channel-context';
import type { SlackMember } from '../domain/people';
import { SlackCalls, type SlackResult } from './slack-calls';

/** A channel as conversations.info and conversations.list describe it (the fields the app reads). */
export type ChannelInfo = ListedChannel;

/** A message as conversations.history lists it, as far as the backfill reads it. */
export type HistoryMessage = HistoryLine;

interface SlackChannelObject {
  id?: string;
  name?: string;
  is_private?: boolean;
  is_archived?: boolean;
  is_member?: boolean;
  is_ext_shared?: boolean;
  creator?: string;
  created?: number;
  updated?: number;
  topic?: { value?: string };
  purpose?: { value?: string };
}

/** A channel object of conversations.info or conversations.list, as the app reads it. */
function toChannelInfo(c: SlackChannelObject, fallbackId: string): ChannelInfo {
  return {
    id: c.id ?? fallbackId,
    name: c.name ?? '',
    isPrivate: Boolean(c.is_private),
    isArchived: Boolean(c.is_archived),
    isMember: Boolean(c.is_member),
    isExtShared: Boolean(c.is_ext_shared),
    creator: c.creator ?? null,
    created: c.created ?? null,
    updated: c.updated ?? null,
    topic: c.topic?.value ?? '',
    purpose: c.purpose?.value ?? '',
  };
}

/** Messages read from the top of a fresh incident channel, at most (one conversations.history page). */
export const OPENING_MESSAGES = 50;

/**
 * Slack message metadata that marks a message as the effect of one ledger key (flows/deliver.ts),
 * so that a worker taking over from one that died can find out whether it was already sent.
 */
export const DELIVERY_METADATA_TYPE = 'smokejumper_delivery';

/** Messages read from a new channel to find its lead: a fresh incident channel has a handful. */
const HISTORY_LIMIT = 50;
/** Subtypes of messages someone wrote (everything else is a join, a topic change, a system notice). */
const SPOKEN_SUBTYPES = new Set(['bot_message', 'thread_broadcast', 'me_message', 'file_share']);

/** conversations.history pages looked through for a message, at most (200 messages each). */
const LOOK_PAGES = 10;

/** conversations.history pages read for a prompt's context, at most (200 messages each): the newest 1,000 messages. */
const CONTEXT_PAGES = 5;

/** The ledger key in a message's metadata payload (typed `{}` by the WebClient). */
const payloadKey = (payload: object | undefined): unknown => (payload && 'key' in payload ? payload.key : undefined);

/** What the gateway reads from Slack: people, channels, groups, and the messages it sent. */
export class SlackReads extends SlackCalls {
  /** Who the app is; `enterpriseId` only on Enterprise Grid. */
  async whoAmI(): Promise<SlackResult<{ userId: string; teamId: string; botId: string | null; enterpriseId: string | null }>> {
    return this.call('auth.test', {}, async () => {
      const r = await this.client.auth.test();
      return { userId: r.user_id ?? '', teamId: r.team_id ?? '', botId: r.bot_id ?? null, enterpriseId: r.enterprise_id || null };
    });
  }

  /**
   * Every member of the workspace, page by page (users.list, Tier 2: 200 a page), each page to
   * `onPage` as it arrives; a 429 asks the same page again (eachPage).
   */
  async eachUserPage(onPage: (members: SlackMember[]) => Promise<void> | void): Promise<SlackResult<{ pages: number }>> {
    return this.eachPage('users.list', {}, async (cursor) => {
      const page = await this.client.users.list({ limit: 200, cursor });
      return { items: (page.members ?? []) as SlackMember[], next: page.response_metadata?.next_cursor };
    }, onPage);
  }

  async userInfo(userId: string): Promise<SlackResult<SlackMember>> {
    return this.call('users.info', { user: userId }, async () => (await this.client.users.info({ user: userId })).user as SlackMember);
  }

  async lookupByEmail(email: string): Promise<SlackResult<SlackMember>> {
    return this.call('users.lookupByEmail', {}, async () => (await this.client.users.lookupByEmail({ email })).user as SlackMember);
  }

  async channelInfo(channel: string): Promise<SlackResult<ChannelInfo>> {
    return this.call('conversations.info', { channel }, async () => toChannelInfo((await this.client.conversations.info({ channel })).channel ?? {}, channel));
  }

  /**
   * Public channels and the private channels the app is in, page by page (conversations.list,
   * Tier 2: pages of 200), each page to `onPage` as it arrives; archived ones too with
   * `archived`. A 429 asks the same page again (eachPage).
   */
  async eachChannelPage(options: { archived: boolean }, onPage: (channels: ChannelInfo[]) => Promise<void> | void): Promise<SlackResult<{ pages: number }>> {
    return this.eachPage('conversations.list', { archived: options.archived }, (cursor) => this.channelPage(options.archived, cursor), onPage);
  }

  private async channelPage(archived: boolean, cursor: string | undefined): Promise<{ items: ChannelInfo[]; next: string | undefined }> {
    const page = await this.client.conversations.list({ types: 'public_channel,private_channel', exclude_archived: !archived, limit: 200, cursor });
    return { items: (page.channels ?? []).map((c) => toChannelInfo(c, '')), next: page.response_metadata?.next_cursor };
  }

  /** Every public channel and every private channel the app is in, not archived, all pages. */
  async listChannels(): Promise<SlackResult<ChannelInfo[]>> {
    return this.allPages('conversations.list', { archived: false }, (cursor) => this.channelPage(false, cursor));
  }

  /** The channel's bookmarks (bookmarks.list, Tier 3, scope bookmarks:read): title and link of each. */
  async bookmarks(channel: string): Promise<SlackResult<Array<{ title: string; link: string }>>> {
    return this.call('bookmarks.list', { channel }, async () => {
      // Optional (a call link, a quote): read once, without the WebClient's own retry, whose re-send after a
      // 5xx cannot see another call's Retry-After for the method (slack-calls.ts holds it); a failure means none.
      const r = await this.once.client.bookmarks.list({ channel_id: channel });
      return (r.bookmarks ?? []).map((b) => ({ title: b.title ?? '', link: b.link ?? '' }));
    });
  }

  /** Every user group of the workspace (usergroups.list, Tier 2), enabled ones only. */
  async listUserGroups(): Promise<SlackResult<Array<{ id: string; handle: string }>>> {
    return this.call('usergroups.list', {}, async () => {
      const r = await this.client.usergroups.list({});
      return (r.usergroups ?? []).map((g) => ({ id: g.id ?? '', handle: g.handle ?? '' }));
    });
  }

  /**
   * A user group's members. usergroups.users.list has no cursor and no limit (it answers the whole
   * group in one call; Slack's reference and the SDKs list only `usergroup`, `include_disabled` and
   * `team_id`), so one call is one page, and a 429 asks for that call again, alone.
   */
  async userGroupMembers(usergroup: string): Promise<SlackResult<string[]>> {
    return this.call('usergroups.users.list', { usergroup }, async () => (await this.client.usergroups.users.list({ usergroup })).users ?? []);
  }

  /** A channel's members, every page (conversations.members, Tier 4); a 429 asks the same page again. */
  async channelMembers(channel: string): Promise<SlackResult<string[]>> {
    return this.allPages('conversations.members', { channel }, async (cursor) => {
      const page = await this.client.conversations.members({ channel, limit: 1000, cursor });
      return { items: page.members ?? [], next: page.response_metadata?.next_cursor };
    });
  }

  /**
   * The first messages of a young channel, oldest first (one conversations.history page of
   * HISTORY_LIMIT, Tier 3): what an incident tool announced and who spoke. Joins, topic changes and
   * other system messages are left out; a message from a bot or an app (`bot_id`, subtype
   * `bot_message`) is marked so, and its attachments' text is read too (tools often post there).
   */
  async firstMessages(channel: string): Promise<SlackResult<ChannelMessage[]>> {
    return this.call('conversations.history', { channel }, async () => {
      const r = await this.client.conversations.history({ channel, limit: HISTORY_LIMIT });
      return (r.messages ?? [])
        .filter((m) => m.subtype === undefined || SPOKEN_SUBTYPES.has(m.subtype))
        .map((m) => ({
          user: m.user ?? null,
          text: [m.text ?? '', ...(m.attachments ?? []).map((a) => a.text ?? a.fallback ?? '')].filter(Boolean).join('\n'),
          fromBot: Boolean(m.bot_id) || m.subtype === 'bot_message',
        }))
        .reverse();
    });
  }

  /**
   * A channel's conversation, oldest first (conversations.history, Tier 3, pages of 200): people's
   * and integrations' top-level messages; joins, topic changes and other system messages are left
   * out. Null when it holds more than `maxMessages`, since its beginning would be pages away. Read
   * for a practice fire when it runs, and never stored.
   */
  async conversation(channel: string, maxMessages: number): Promise<SlackResult<ContextMessage[] | null>> {
    return this.call('conversations.history', { channel }, async () => {
      const messages: ContextMessage[] = [];
      let cursor: string | undefined;
      do {
        const r = await this.client.conversations.history({ channel, limit: 200, cursor });
        for (const m of r.messages ?? []) {
          if (!m.ts || (m.subtype !== undefined && m.subtype !== 'bot_message')) continue;
          messages.push({ ts: m.ts, user: m.user ?? null, text: m.text ?? '', fromBot: Boolean(m.bot_id) || m.subtype === 'bot_message' });
        }
        cursor = r.has_more ? r.response_metadata?.next_cursor || undefined : undefined;
        if (cursor && messages.length >= maxMessages) return null;
      } while (cursor);
      // Pages come newest first.
      return messages.sort((a, b) => Number(a.ts) - Number(b.ts));
    });
  }

  /**
   * The first top-level messages of a channel, oldest first (conversations.history; the app must be
   * a member). One page of the newest OPENING_MESSAGES: read minutes after the channel was made,
   * that is its whole history; thread replies are not included, as in Slack.
   */
  async openingMessages(channel: string): Promise<SlackResult<ContextMessage[]>> {
    return this.call('conversations.history', { channel }, async () => {
      const r = await this.client.conversations.history({ channel, limit: OPENING_MESSAGES });
      return (r.messages ?? [])
        .filter((m) => m.ts)
        .map((m) => ({ ts: m.ts!, user: m.user ?? null, text: m.text ?? '', fromBot: Boolean(m.bot_id) || m.subtype === 'bot_message' }))
        .sort((a, b) => Number(a.ts) - Number(b.ts));
    });
  }

  /**
   * A channel's top-level messages, newest first, page by page (conversations.history, Tier 3:
   * 200 a page; channels:history / groups:history, and the app must be in the channel). A 429 asks
   * the same page again.
   */
  async eachHistoryPage(channel: string, onPage: (messages: HistoryMessage[]) => Promise<void> | void): Promise<SlackResult<{ pages: number }>> {
    return this.eachPage('conversations.history', { channel }, async (cursor) => {
      const page = await this.client.conversations.history({ channel, limit: 200, cursor });
      const items = (page.messages ?? []).map((m) => ({ user: m.user ?? null, ts: m.ts ?? '', subtype: m.subtype ?? null, botId: m.bot_id ?? null }));
      return { items, next: page.has_more ? page.response_metadata?.next_cursor : undefined };
    }, onPage);
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
        for (const m of r.messages ?? []) {
          if (m.metadata?.event_type === DELIVERY_METADATA_TYPE && payloadKey(m.metadata.event_payload) === key && m.ts) return { ts: m.ts, channel };
        }
        cursor = r.response_metadata?.next_cursor || undefined;
        if (!r.has_more || !cursor) break;
      }
      return null;
    });
  }

  /**
   * The channel's top-level messages since `since` (wall clock), newest first, as a prompt reads
   * them (conversations.history; channels:history, groups:history). At most CONTEXT_PAGES pages.
   * The text is the caller's to use at once and drop: it is never logged here.
   */
  async channelMessages(channel: string, since: Date): Promise<SlackResult<ContextMessage[]>> {
    return this.call('conversations.history', { channel }, async () => {
      const oldest = (since.getTime() / 1000).toFixed(6);
      const messages: ContextMessage[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < CONTEXT_PAGES; page++) {
        // inclusive: a message written in the very millisecond the learner joined is theirs to read.
        const r = await this.client.conversations.history({ channel, oldest, inclusive: true, limit: 200, cursor });
        for (const m of r.messages ?? []) messages.push(contextMessage(m));
        cursor = r.response_metadata?.next_cursor || undefined;
        if (!r.has_more || !cursor) break;
      }
      return messages;
    });
  }

  /** The messages pinned to a channel (pins.list, scope pins:read, Tier 2). */
  async pinnedMessages(channel: string): Promise<SlackResult<ContextMessage[]>> {
    return this.call('pins.list', { channel }, async () => {
      // Optional (a call link, a quote): read once, without the WebClient's own retry, whose re-send after a
      // 5xx cannot see another call's Retry-After for the method (slack-calls.ts holds it); a failure means none.
      const r = await this.once.client.pins.list({ channel });
      return (r.items ?? []).flatMap((item) => (item.type === 'message' && item.message ? [contextMessage(item.message)] : []));
    });
  }

  /** The channel's bookmarks (bookmarks.list, scope bookmarks:read, Tier 3); only links carry a URL. */
  async channelBookmarks(channel: string): Promise<SlackResult<ChannelBookmark[]>> {
    return this.call('bookmarks.list', { channel }, async () => {
      // Optional (a call link, a quote): read once, without the WebClient's own retry, whose re-send after a
      // 5xx cannot see another call's Retry-After for the method (slack-calls.ts holds it); a failure means none.
      const r = await this.once.client.bookmarks.list({ channel_id: channel });
      return (r.bookmarks ?? []).flatMap((b) =>
        b.link ? [{ title: b.title ?? '', url: b.link, user: b.last_updated_by_user_id ?? null, at: new Date((b.date_created ?? 0) * 1000) }] : [],
      );
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
}
