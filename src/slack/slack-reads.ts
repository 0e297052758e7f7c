import type { ContextMessage } from '../domain/channel-context';
import type { SlackMember } from '../domain/people';
import { SlackCalls, type SlackResult } from './slack-calls';

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

/**
 * Slack message metadata that marks a message as the effect of one ledger key (flows/deliver.ts),
 * so that a worker taking over from one that died can find out whether it was already sent.
 */
export const DELIVERY_METADATA_TYPE = 'smokejumper_delivery';

/** conversations.history pages looked through for a message, at most (200 messages each). */
const LOOK_PAGES = 10;

/** The ledger key in a message's metadata payload (typed `{}` by the WebClient). */
const payloadKey = (payload: object | undefined): unknown => (payload && 'key' in payload ? payload.key : undefined);

/** What the gateway reads from Slack: people, channels, groups, and the messages it sent. */
export class SlackReads extends SlackCalls {
  async whoAmI(): Promise<SlackResult<{ userId: string; teamId: string; botId: string | null }>> {
    return this.call('auth.test', {}, async () => {
      const r = await this.client.auth.test();
      return { userId: r.user_id ?? '', teamId: r.team_id ?? '', botId: r.bot_id ?? null };
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
      const c = (await this.client.conversations.info({ channel })).channel ?? {};
      return {
        id: c.id ?? channel,
        name: c.name ?? '',
        isPrivate: Boolean(c.is_private),
        isArchived: Boolean(c.is_archived),
        isMember: Boolean(c.is_member),
        isExtShared: Boolean(c.is_ext_shared),
        creator: c.creator ?? null,
        created: c.created ?? null,
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
        for (const c of page.channels ?? []) channels.push({ id: c.id ?? '', name: c.name ?? '', created: c.created ?? null, creator: c.creator ?? null });
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
      return channels;
    });
  }

  /** Every user group of the workspace (usergroups.list, Tier 2), enabled ones only. */
  async listUserGroups(): Promise<SlackResult<Array<{ id: string; handle: string }>>> {
    return this.call('usergroups.list', {}, async () => {
      const r = await this.client.usergroups.list({});
      return (r.usergroups ?? []).map((g) => ({ id: g.id ?? '', handle: g.handle ?? '' }));
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
