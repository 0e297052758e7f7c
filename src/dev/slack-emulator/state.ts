/**
 * The emulated workspace: its people, channels, IMs, messages, views, user groups and files, with
 * the setup and inspection a test uses and the lookups every method family shares. The method
 * handlers (methods/*.ts) read and change it; what people in it do is in activity.ts; SlackEmulator
 * (server.ts) puts it behind HTTP.
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
