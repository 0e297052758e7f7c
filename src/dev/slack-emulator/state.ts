/**
 * The emulated workspace: its people, channels, IMs, messages, views, user groups and files, with
 * the setup and inspection a test uses and the lookups every method family shares. The method
 * handlers (methods/*.ts) read and change it; SlackEmulator (server.ts) puts it behind HTTP.
 */
import { EventEmitter } from 'node:events';
import {
  SLACK_EMULATOR_DEFAULTS,
  SLACKBOT_USER_ID,
  type EmulatedBookmark,
  type EmulatedChannel,
  type EmulatedEphemeral,
  type EmulatedFile,
  type EmulatedMessage,
  type EmulatedPin,
  type EmulatedUser,
  type EmulatedUserGroup,
  type SlackEmulatorOptions,
  type SlackView,
} from './types';
import { nowSec, type Args, type Reply } from './wire';

function assertValidTimeZone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new Error(`SlackEmulator: '${tz}' is not a valid IANA time zone`);
  }
}

/** An EventEmitter so that SlackEmulator, built on it, tells listeners of each call ('call') and effect ('effect'). */
export abstract class Workspace extends EventEmitter {
  readonly teamId: string;
  /** Enterprise Grid only: the organisation the workspace belongs to */
  readonly enterpriseId: string | undefined;
  readonly teamName: string;
  readonly teamDomain: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly botName: string;
  readonly appId: string;
  readonly botToken: string;

  // The state below is for the method handlers (methods/*.ts) to read and change; tests use the methods below.
  readonly users = new Map<string, EmulatedUser>();
  readonly channels = new Map<string, EmulatedChannel>();
  readonly userGroups = new Map<string, EmulatedUserGroup>();
  readonly previousNames = new Map<string, string[]>();
  readonly imByUser = new Map<string, string>();
  readonly userByIm = new Map<string, string>();
  readonly messages: EmulatedMessage[] = [];
  readonly pins: EmulatedPin[] = [];
  readonly bookmarks: EmulatedBookmark[] = [];
  readonly ephemerals: EmulatedEphemeral[] = [];
  readonly views = new Map<string, SlackView>();
  readonly homeViewIdByUser = new Map<string, string>();
  readonly viewIdByExternalId = new Map<string, string>();
  readonly opened: SlackView[] = [];
  /** trigger_id -> when Slack issued it (the click), ms */
  readonly triggers = new Map<string, number>();
  /** files.getUploadURLExternal's files, by id, completed or not */
  readonly uploads = new Map<string, EmulatedFile>();
  private idCounter = 0;
  private hashCounter = 0;
  private lastTsMicros = 0;

  constructor(opts: SlackEmulatorOptions) {
    super();
    this.teamId = opts.teamId ?? SLACK_EMULATOR_DEFAULTS.teamId;
    this.enterpriseId = opts.enterpriseId;
    this.teamName = opts.teamName ?? SLACK_EMULATOR_DEFAULTS.teamName;
    this.teamDomain = opts.teamDomain ?? SLACK_EMULATOR_DEFAULTS.teamDomain;
    this.botUserId = opts.botUserId ?? SLACK_EMULATOR_DEFAULTS.botUserId;
    this.botId = opts.botId ?? SLACK_EMULATOR_DEFAULTS.botId;
    this.botName = opts.botName ?? SLACK_EMULATOR_DEFAULTS.botName;
    this.appId = opts.appId ?? SLACK_EMULATOR_DEFAULTS.appId;
    this.botToken = opts.botToken ?? SLACK_EMULATOR_DEFAULTS.botToken;
    // Slack's own Slackbot is listed with is_bot false, which apps must filter by id.
    this.users.set(SLACKBOT_USER_ID, { id: SLACKBOT_USER_ID, name: 'slackbot', real_name: 'Slackbot', tz: 'America/Los_Angeles' });
    this.users.set(this.botUserId, { id: this.botUserId, name: this.botName, real_name: this.botName, is_bot: true });
  }

  /** The Web API base URL (files.getUploadURLExternal names an upload URL beside it). */
  abstract get apiUrl(): string;

  // ----- setup -----

  addUser(u: EmulatedUser): void {
    if (this.users.has(u.id)) throw new Error(`SlackEmulator: user ${u.id} already exists`);
    if (u.tz !== undefined) assertValidTimeZone(u.tz);
    this.users.set(u.id, { ...u });
  }

  updateUser(id: string, patch: Partial<EmulatedUser>): void {
    const current = this.requireUser(id);
    if (patch.tz !== undefined) assertValidTimeZone(patch.tz);
    this.users.set(id, { ...current, ...patch, id });
  }

  addChannel(c: {
    id?: string;
    name: string;
    is_private?: boolean;
    creator: string;
    members?: string[];
    created?: number;
    /** another organisation's team id: the channel is shared with it (Slack Connect, `is_ext_shared`) */
    shared_with_team?: string;
    topic?: string;
    purpose?: string;
  }): EmulatedChannel {
    const isPrivate = c.is_private ?? false;
    const id = c.id ?? this.newId(isPrivate ? 'G' : 'C');
    if (this.channels.has(id)) throw new Error(`SlackEmulator: channel ${id} already exists`);
    const channel: EmulatedChannel = {
      id,
      name: c.name,
      is_private: isPrivate,
      is_archived: false,
      creator: c.creator,
      created: c.created ?? nowSec(),
      members: new Set([c.creator, ...(c.members ?? [])]),
      ...(c.shared_with_team ? { external_teams: [c.shared_with_team] } : {}),
      ...(c.topic !== undefined ? { topic: c.topic } : {}),
      ...(c.purpose !== undefined ? { purpose: c.purpose } : {}),
    };
    this.channels.set(id, channel);
    return channel;
  }

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

  addMember(channelId: string, userId: string): void {
    this.requireChannel(channelId).members.add(userId);
  }

  removeMember(channelId: string, userId: string): void {
    this.requireChannel(channelId).members.delete(userId);
  }

  /**
   * A trigger_id as Slack puts in an interaction payload, issued at `at` (default now): views.open
   * accepts it for TRIGGER_TTL_MS. One never issued is `invalid_trigger_id`.
   */
  issueTrigger(at = Date.now()): string {
    this.idCounter += 1;
    const id = `${Math.floor(at / 1000)}${String(this.idCounter).padStart(4, '0')}.47445629121.${this.idCounter.toString(16).padStart(32, '0')}`;
    this.triggers.set(id, at);
    return id;
  }

  // ----- inspection -----

  channel(id: string): EmulatedChannel | undefined {
    return this.channels.get(id);
  }

  user(id: string): EmulatedUser | undefined {
    return this.users.get(id);
  }

  /** The IM ('D…') channel id of a user, if one was opened. */
  imOf(userId: string): string | undefined {
    return this.imByUser.get(userId);
  }

  messagesTo(channelOrUserId: string): EmulatedMessage[] {
    const channel = this.imByUser.get(channelOrUserId) ?? channelOrUserId;
    return this.messages.filter((m) => m.channel === channel).map((m) => ({ ...m }));
  }

  ephemeralsTo(userId: string): EmulatedEphemeral[] {
    return this.ephemerals.filter((e) => e.user === userId).map((e) => ({ ...e }));
  }

  homeViewOf(userId: string): SlackView | undefined {
    const id = this.homeViewIdByUser.get(userId);
    return id === undefined ? undefined : this.views.get(id);
  }

  /** Modals opened with views.open / views.push, as returned at the time. */
  get openedViews(): SlackView[] {
    return [...this.opened];
  }

  view(id: string): SlackView | undefined {
    return this.views.get(id);
  }

  /** Files shared by files.completeUploadExternal, in order, with their bytes (a user id finds their IM). */
  filesSharedIn(channelOrUserId: string): EmulatedFile[] {
    const channel = this.imByUser.get(channelOrUserId) ?? channelOrUserId;
    return [...this.uploads.values()].filter((f) => f.channel === channel && f.completed);
  }

  // ----- shared by the method handlers -----

  newId(prefix: string): string {
    this.idCounter += 1;
    return `${prefix}0EMU${this.idCounter.toString(36).toUpperCase().padStart(5, '0')}`;
  }

  /** Unique, increasing message timestamps in Slack's "seconds.micros" form. */
  nextTs(): string {
    const micros = Math.max(Date.now() * 1000, this.lastTsMicros + 100);
    this.lastTsMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  nextHash(): string {
    this.hashCounter += 1;
    return `${nowSec()}.${String(this.hashCounter).padStart(8, '0')}`;
  }

  requireUser(id: string): EmulatedUser {
    const u = this.users.get(id);
    if (!u) throw new Error(`SlackEmulator: unknown user ${id}`);
    return u;
  }

  requireChannel(id: string): EmulatedChannel {
    const c = this.channels.get(id);
    if (!c) throw new Error(`SlackEmulator: unknown channel ${id}`);
    return c;
  }

  /**
   * Another organisation's person. On Enterprise Grid a member of another workspace of the same
   * organisation (another team_id) is not external: only a stranger or another enterprise is.
   */
  isExternal(u: EmulatedUser): boolean {
    if (u.is_stranger) return true;
    if (this.enterpriseId !== undefined) return u.enterprise_id !== undefined && u.enterprise_id !== this.enterpriseId;
    return u.team_id !== undefined && u.team_id !== this.teamId;
  }

  botIsMember(c: EmulatedChannel): boolean {
    return c.members.has(this.botUserId);
  }

  /** A private channel the bot is not in does not exist as far as the bot can tell. */
  visibleChannel(id: string | undefined): EmulatedChannel | undefined {
    const c = id === undefined ? undefined : this.channels.get(id);
    if (!c) return undefined;
    return c.is_private && !this.botIsMember(c) ? undefined : c;
  }

  ensureIm(userId: string): { id: string; existed: boolean } {
    const existing = this.imByUser.get(userId);
    if (existing) return { id: existing, existed: true };
    const id = this.newId('D');
    this.imByUser.set(userId, id);
    this.userByIm.set(id, userId);
    return { id, existed: false };
  }

  /** Where chat.* may write: a visible channel the bot is in, an IM, or a user id (their IM). */
  resolveWritableChannel(id: string | undefined): { channel: string } | { error: string } {
    if (id === undefined || id === '') return { error: 'channel_not_found' };
    if (this.userByIm.has(id)) return { channel: id };
    const user = this.users.get(id);
    if (user && !this.channels.has(id)) return { channel: this.ensureIm(user.id).id };
    const c = this.visibleChannel(id);
    if (!c) return { error: 'channel_not_found' };
    if (c.is_archived) return { error: 'is_archived' };
    if (!this.botIsMember(c)) return { error: 'not_in_channel' };
    return { channel: c.id };
  }
}

/** A method family: Web API method name to its handler. */
export type Methods = Record<string, (ws: Workspace, args: Args) => Reply>;
