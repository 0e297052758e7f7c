/**
 * What people do in the emulated workspace, as a test or the demo makes them do it: user groups
 * changed in Slack's admin pages, channels renamed, archived, made private or deleted, messages,
 * pins, bookmarks and topics written by members and other integrations. Each returns what Slack
 * would then hold, or the event it would send the app. The state and its lookups are Workspace's
 * (state.ts); SlackEmulator (server.ts) builds on this.
 */
import type { EmulatedBookmark, EmulatedMessage, EmulatedUserGroup } from './types';
import { Workspace } from './state';
import { nowSec } from './wire';

export abstract class WorkspaceActivity extends Workspace {
  addUserGroup(g: { id?: string; handle: string; name?: string; users: string[]; disabled?: boolean }): EmulatedUserGroup {
    const group: EmulatedUserGroup = { id: g.id ?? this.newId('S'), handle: g.handle, name: g.name ?? g.handle, users: [...g.users], disabled: g.disabled ?? false };
    this.userGroups.set(group.id, group);
    return group;
  }

  /**
   * Someone changes a user group's members, as in Slack's admin pages. Returns the
   * `subteam_members_changed` event Slack sends for it (only the delta, docs.slack.dev), or null
   * when nothing changed.
   */
  setUserGroupMembers(id: string, users: string[]): Record<string, unknown> | null {
    const group = this.userGroups.get(id);
    if (!group) throw new Error(`SlackEmulator: unknown user group ${id}`);
    const added = users.filter((u) => !group.users.includes(u));
    const removed = group.users.filter((u) => !users.includes(u));
    if (added.length === 0 && removed.length === 0) return null;
    const previous = group.dateUpdate ?? 0;
    group.users = [...users];
    group.dateUpdate = nowSec();
    return {
      type: 'subteam_members_changed',
      subteam_id: id,
      team_id: this.teamId,
      date_previous_update: previous,
      date_update: group.dateUpdate,
      added_users: added,
      added_users_count: String(added.length),
      removed_users: removed,
      removed_users_count: String(removed.length),
      event_ts: this.nextTs(),
    };
  }

  /**
   * A user group renamed, disabled or given new members. Returns the `subteam_updated` event, with
   * the group as Slack describes it (its `users` truncated at 500, `user_count` the real count).
   */
  updateUserGroup(id: string, patch: { handle?: string; name?: string; users?: string[]; disabled?: boolean }): Record<string, unknown> {
    const group = this.userGroups.get(id);
    if (!group) throw new Error(`SlackEmulator: unknown user group ${id}`);
    Object.assign(group, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
    if (patch.users) group.users = [...patch.users];
    group.dateUpdate = nowSec();
    return {
      type: 'subteam_updated',
      subteam: {
        id: group.id,
        team_id: this.teamId,
        is_usergroup: true,
        is_subteam: true,
        name: group.name,
        handle: group.handle,
        is_external: false,
        date_update: group.dateUpdate,
        date_delete: group.disabled ? group.dateUpdate : 0,
        users: group.users.slice(0, 500),
        user_count: group.users.length,
      },
      event_ts: this.nextTs(),
    };
  }

  renameChannel(id: string, name: string): void {
    const channel = this.requireChannel(id);
    if (channel.name === name) return;
    this.previousNames.set(id, [...(this.previousNames.get(id) ?? []), channel.name]);
    channel.name = name;
  }

  /** Archives a channel, now or at `atSec` (Unix seconds, a past archive for a backfill to find). */
  archiveChannel(id: string, atSec = nowSec()): void {
    const channel = this.requireChannel(id);
    channel.is_archived = true;
    channel.archived_at = atSec;
  }

  /**
   * A message someone posted in a channel, at `ts` (Slack's "seconds.micros"; default now): the
   * history a backfill reads. `subtype` for a system message such as `channel_join`.
   */
  addMessage(m: { channel: string; user: string; text?: string; ts?: string; subtype?: string }): EmulatedMessage {
    this.requireChannel(m.channel);
    const message: EmulatedMessage = { channel: m.channel, user: m.user, text: m.text ?? '', ts: m.ts ?? this.nextTs(), ...(m.subtype ? { subtype: m.subtype } : {}) };
    this.messages.push(message);
    return message;
  }

  /** Unarchives a channel; returns the event Slack sends for it (`channel_unarchive`, `group_unarchive` when private). */
  unarchiveChannel(id: string, by?: string): Record<string, unknown> {
    const channel = this.requireChannel(id);
    channel.is_archived = false;
    delete channel.archived_at;
    return { type: channel.is_private ? 'group_unarchive' : 'channel_unarchive', channel: id, ...(by ? { user: by } : {}) };
  }

  /**
   * A member makes a public channel private, as in Slack's channel settings. Slack posts a system
   * message (subtype `channel_convert_to_private`) in the channel and sends it as a `message` event
   * to apps subscribed to message.channels / message.groups; returns that event. The bot stays a member.
   */
  convertToPrivate(id: string, by: string): Record<string, unknown> {
    const channel = this.requireChannel(id);
    channel.is_private = true;
    const text = 'made this channel *private*. Now, it can only be viewed or joined by invitation.';
    const message: EmulatedMessage = { channel: id, ts: this.nextTs(), user: by, text, subtype: 'channel_convert_to_private' };
    this.messages.push(message);
    return { type: 'message', subtype: 'channel_convert_to_private', channel: id, user: by, text, ts: message.ts, event_ts: message.ts, channel_type: 'group' };
  }

  /**
   * Someone other than this app posts in a channel: a person (`user`), another app's bot user
   * (`user` and `bot_id`, e.g. an incident tool announcing the lead), or an integration without a
   * user (`bot_id` alone: subtype `bot_message`). Returns the `message` event Slack would send.
   */
  postAs(m: { channel: string; text: string; user?: string; bot_id?: string; username?: string }): Record<string, unknown> {
    this.requireChannel(m.channel);
    if (m.user === undefined && m.bot_id === undefined) throw new Error('SlackEmulator: postAs needs a user or a bot_id');
    if (m.user !== undefined) this.requireUser(m.user);
    const message: EmulatedMessage = { channel: m.channel, ts: this.nextTs(), text: m.text };
    if (m.user !== undefined) message.user = m.user;
    if (m.bot_id !== undefined) message.bot_id = m.bot_id;
    if (m.bot_id !== undefined && m.user === undefined) message.subtype = 'bot_message';
    if (m.username !== undefined) message.username = m.username;
    this.messages.push(message);
    const event: Record<string, unknown> = { type: 'message', channel: m.channel, text: m.text, ts: message.ts, event_ts: message.ts, channel_type: 'channel' };
    for (const key of ['user', 'bot_id', 'subtype', 'username'] as const) if (message[key] !== undefined) event[key] = message[key];
    return event;
  }

  /**
   * Deletes a channel: Slack sends `channel_deleted` (`group_deleted` for a private one), not an
   * archive, and every later call naming it answers `channel_not_found`. Returns that event.
   */
  deleteChannel(id: string): Record<string, unknown> {
    const channel = this.requireChannel(id);
    this.channels.delete(id);
    return { type: channel.is_private ? 'group_deleted' : 'channel_deleted', channel: id };
  }

  /**
   * A member writes in a channel, as in Slack's client (a human message: no bot_id). Returns the
   * `message` event Slack sends apps subscribed to message.channels / message.groups.
   */
  say(channelId: string, userId: string, text: string): { message: EmulatedMessage; event: Record<string, unknown> } {
    const channel = this.requireChannel(channelId);
    this.requireUser(userId);
    const message: EmulatedMessage = { channel: channelId, ts: this.nextTs(), user: userId, text };
    this.messages.push(message);
    const event = { type: 'message', channel: channelId, user: userId, text, ts: message.ts, event_ts: message.ts, channel_type: channel.is_private ? 'group' : 'channel' };
    return { message: { ...message }, event };
  }

  /** A member pins a message of the channel (listed by pins.list). */
  pin(channelId: string, ts: string, by: string): void {
    this.requireChannel(channelId);
    if (!this.messages.some((m) => m.channel === channelId && m.ts === ts)) throw new Error(`SlackEmulator: no message ${ts} in ${channelId}`);
    this.pins.push({ channel: channelId, ts, created: nowSec(), created_by: by });
  }

  /** A member adds a link bookmark to the channel's header (listed by bookmarks.list). */
  addBookmark(b: { channel: string; title: string; link: string; by: string; emoji?: string }): EmulatedBookmark {
    this.requireChannel(b.channel);
    const bookmark: EmulatedBookmark = { id: this.newId('Bk'), channel_id: b.channel, title: b.title, link: b.link, emoji: b.emoji ?? null, date_created: nowSec(), last_updated_by_user_id: b.by };
    this.bookmarks.push(bookmark);
    return { ...bookmark };
  }

  /** Sets a channel's topic or purpose, as a member (or an incident tool) does in Slack. */
  setChannelTopic(id: string, change: { topic?: string; purpose?: string }): void {
    const channel = this.requireChannel(id);
    if (change.topic !== undefined) channel.topic = change.topic;
    if (change.purpose !== undefined) channel.purpose = change.purpose;
  }

  /**
   * A message someone else wrote in a channel: a member (`{ user }`) or another integration
   * (`{ botId, username }`), at `at` (default now), as conversations.history then lists it. For
   * tests and the demo, which need an incident's story in its channel.
   */
  postAt(channelId: string, by: { user: string } | { botId: string; username: string }, text: string, at?: Date): EmulatedMessage {
    this.requireChannel(channelId);
    let ts = this.nextTs();
    if (at) {
      // Slack's ts is unique per channel: a made-up past moment gets a microsecond suffix that keeps it so.
      const taken = new Set(this.messages.filter((m) => m.channel === channelId).map((m) => m.ts));
      let micros = at.getTime() * 1000;
      do {
        ts = `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
        micros += 1;
      } while (taken.has(ts));
    }
    const message: EmulatedMessage =
      'user' in by
        ? { channel: channelId, ts, user: by.user, text, author: { kind: 'member' } }
        : { channel: channelId, ts, text, author: { kind: 'bot', botId: by.botId, username: by.username } };
    this.messages.push(message);
    return { ...message };
  }
}
