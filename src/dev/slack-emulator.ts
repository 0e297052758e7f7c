/**
 * A local stand-in for the Slack Web API of one workspace, for tests and demos.
 *
 * Response shapes follow the Slack-authored examples in test/fixtures/slack
 * (docs.slack.dev/examples/*.json) and FACTS.md. Only node built-ins are used.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { URL, URLSearchParams } from 'node:url';
import { seededRandom } from '../domain/random';
import { listenOnLoopback } from './listen';
import { TierLimiter } from './slack-tiers';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export interface EmulatedUser {
  id: string;
  name: string;
  real_name?: string;
  email?: string;
  /** IANA zone, default 'UTC' */
  tz?: string;
  is_bot?: boolean;
  deleted?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  is_app_user?: boolean;
  /** a team_id different from the workspace's = external Slack Connect user */
  team_id?: string;
  /** for an app's bot user (is_bot): its bot id, shown as profile.bot_id */
  bot_id?: string;
}

/** A user group (a `@handle` people mention), as usergroups.list describes it. */
export interface EmulatedUserGroup {
  id: string;
  handle: string;
  name: string;
  users: string[];
  /** disabled groups are listed only with include_disabled */
  disabled?: boolean;
}

export interface EmulatedChannel {
  id: string;
  name: string;
  is_private: boolean;
  is_archived: boolean;
  creator: string;
  created: number;
  members: Set<string>;
  /** team ids of other organisations this channel is shared with (Slack Connect) */
  external_teams?: string[];
}

export interface RecordedCall {
  seq: number;
  method: string;
  args: Record<string, unknown>;
  status: number;
  response: unknown;
  /** Date.now() when the response was sent */
  at: number;
  /** Date.now() when the request arrived (before any emulated latency) */
  receivedAt: number;
}

/**
 * Emitted as 'effect' after a call has been applied to the workspace and before its response
 * leaves, so a test can stop the caller in the window where Slack did something the caller
 * never heard about (e.g. kill the app with SIGKILL from the listener).
 */
export interface AppliedCall {
  method: string;
  args: Record<string, unknown>;
  status: number;
  response: unknown;
}

export type FaultRule = {
  method: string | '*';
  /** how many calls it applies to (default 1); Infinity allowed */
  times?: number;
  /** HTTP-level fault; 429 sets Retry-After and body {"ok":false,"error":"ratelimited"} */
  status?: 429 | 500 | 503;
  /** default 1 */
  retryAfterSeconds?: number;
  /** ok:false platform error instead (HTTP 200), e.g. 'user_is_restricted' */
  error?: string;
  /** only calls whose args match */
  when?: (args: Record<string, unknown>) => boolean;
  /** 0..1, applied randomly using the emulator's seeded PRNG */
  probability?: number;
};

export interface EmulatedMessage {
  channel: string;
  text?: string;
  blocks?: unknown;
  ts: string;
  user?: string;
  thread_ts?: string;
  /** chat.postMessage `metadata` ({event_type, event_payload}), when given */
  metadata?: unknown;
  /** a system message's subtype, e.g. `channel_convert_to_private` */
  subtype?: string;
}

export interface EmulatedEphemeral {
  channel: string;
  user: string;
  text?: string;
  blocks?: unknown;
  message_ts: string;
}

export type SlackView = Record<string, unknown> & { id: string; type: string };

/** A file uploaded through files.getUploadURLExternal and the upload URL; shared once completed. */
export interface EmulatedFile {
  id: string;
  filename: string;
  length: number;
  title: string;
  bytes: Buffer | null;
  channel: string | null;
  initialComment: string | null;
  completed: boolean;
}

export interface SlackEmulatorOptions {
  teamId?: string;
  teamName?: string;
  teamDomain?: string;
  botUserId?: string;
  botId?: string;
  botName?: string;
  appId?: string;
  botToken?: string;
  seed?: number;
  latencyMs?: number;
  /** 'tiers': each method's Slack rate limit (src/dev/slack-tiers.ts), answered with HTTP 429 and Retry-After. Off by default. */
  rateLimits?: 'off' | 'tiers';
  /** with rateLimits 'tiers': windows last 1/timeScale of Slack's (60: a minute lasts a second). Default 1 */
  timeScale?: number;
}

/** Defaults shared with SlackSender so that envelopes and the emulator agree out of the box. */
export const SLACK_EMULATOR_DEFAULTS = {
  teamId: 'T0SMOKE001',
  teamName: 'Smokejumper Test',
  teamDomain: 'smokejumper-test',
  botUserId: 'U0SMOKEBOT',
  botId: 'B0SMOKEBOT',
  botName: 'smokejumper',
  appId: 'A0SMOKEAPP',
  botToken: 'xoxb-emulator-0000-smokejumper',
} as const;

export const SLACKBOT_USER_ID = 'USLACKBOT';

/** A trigger_id opens a modal for 3 seconds after the click (FACTS.md section 8), then `expired_trigger_id`. */
export const TRIGGER_TTL_MS = 3_000;

// ---------------------------------------------------------------------------------------------
// Internal types and small helpers
// ---------------------------------------------------------------------------------------------

type Args = Record<string, unknown>;
type Body = Record<string, unknown>;

interface Reply {
  status: number;
  body: Body;
  headers?: Record<string, string>;
}

type Handler = (args: Args) => Reply;

interface ActiveFault {
  rule: FaultRule;
  remaining: number;
}

interface Waiter {
  predicate: (calls: RecordedCall[]) => boolean;
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

const ok = (body: Body = {}): Reply => ({ status: 200, body: { ok: true, ...body } });
const fail = (error: string, extra: Body = {}): Reply => ({ status: 200, body: { ok: false, error, ...extra } });
const invalidArguments = (...messages: string[]): Reply =>
  fail('invalid_arguments', { response_metadata: { messages } });

function str(args: Args, key: string): string | undefined {
  const v = args[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function bool(args: Args, key: string): boolean {
  const v = args[key];
  return v === true || v === 1 || v === 'true' || v === '1';
}

function int(args: Args, key: string): number | undefined {
  const s = str(args, key);
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number.parseInt(s, 10);
  return Number.isNaN(n) ? undefined : n;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function encodeCursor(id: string): string {
  return Buffer.from(`user:${id}`, 'utf8').toString('base64');
}

function decodeCursor(cursor: string): string | undefined {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  return decoded.startsWith('user:') ? decoded.slice('user:'.length) : undefined;
}

/** Cursor pagination the way Slack does it: next_cursor is '' on the last page. */
function paginate(
  ids: string[],
  args: Args,
  defaultLimit: number,
): { page: string[]; nextCursor: string } | { error: string } {
  const requested = int(args, 'limit');
  const limit = requested === undefined || requested <= 0 ? defaultLimit : Math.min(requested, 1000);
  const cursor = str(args, 'cursor');
  let start = 0;
  if (cursor) {
    const id = decodeCursor(cursor);
    start = id === undefined ? -1 : ids.indexOf(id);
    if (start < 0) return { error: 'invalid_cursor' };
  }
  const page = ids.slice(start, start + limit);
  const next = ids[start + limit];
  return { page, nextCursor: next === undefined ? '' : encodeCursor(next) };
}

function tzInfo(tz: string): { tz_label: string; tz_offset: number } {
  const at = new Date();
  const partOf = (timeZoneName: 'long' | 'longOffset'): string | undefined =>
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value;
  const offsetText = partOf('longOffset') ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(offsetText);
  const tz_offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : 0;
  return { tz_label: partOf('long') ?? tz, tz_offset };
}

function assertValidTimeZone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new Error(`SlackEmulator: '${tz}' is not a valid IANA time zone`);
  }
}

function parseJsonArg(raw: unknown): { value: unknown } | { error: true } {
  if (typeof raw !== 'string') return { value: raw };
  try {
    return { value: JSON.parse(raw) as unknown };
  } catch {
    return { error: true };
  }
}

const JSON_ARGS: Record<string, string> = {
  blocks: 'invalid_blocks_format',
  attachments: 'invalid_attachments',
  view: 'invalid_arguments',
  metadata: 'invalid_metadata_format',
};

// ---------------------------------------------------------------------------------------------
// SlackEmulator
// ---------------------------------------------------------------------------------------------

export class SlackEmulator extends EventEmitter {
  readonly teamId: string;
  readonly teamName: string;
  readonly teamDomain: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly botName: string;
  readonly appId: string;
  readonly botToken: string;
  private readonly latencyMs: number;
  private readonly random: () => number;
  private readonly limiter: TierLimiter | undefined;

  private server: Server | undefined;
  private port: number | undefined;

  private readonly users = new Map<string, EmulatedUser>();
  private readonly channels = new Map<string, EmulatedChannel>();
  private readonly userGroups = new Map<string, EmulatedUserGroup>();
  private readonly previousNames = new Map<string, string[]>();
  private readonly imByUser = new Map<string, string>();
  private readonly userByIm = new Map<string, string>();
  private readonly messages: EmulatedMessage[] = [];
  private readonly ephemerals: EmulatedEphemeral[] = [];
  private readonly views = new Map<string, SlackView>();
  private readonly homeViewIdByUser = new Map<string, string>();
  private readonly viewIdByExternalId = new Map<string, string>();
  private readonly opened: SlackView[] = [];
  /** trigger_id -> when Slack issued it (the click), ms */
  private readonly triggers = new Map<string, number>();
  private recorded: RecordedCall[] = [];
  private faults: ActiveFault[] = [];
  private readonly waiters = new Set<Waiter>();
  private seq = 0;
  private idCounter = 0;
  private hashCounter = 0;
  private lastTsMicros = 0;
  private readonly handlers: Record<string, Handler>;

  constructor(opts: SlackEmulatorOptions = {}) {
    super();
    this.teamId = opts.teamId ?? SLACK_EMULATOR_DEFAULTS.teamId;
    this.teamName = opts.teamName ?? SLACK_EMULATOR_DEFAULTS.teamName;
    this.teamDomain = opts.teamDomain ?? SLACK_EMULATOR_DEFAULTS.teamDomain;
    this.botUserId = opts.botUserId ?? SLACK_EMULATOR_DEFAULTS.botUserId;
    this.botId = opts.botId ?? SLACK_EMULATOR_DEFAULTS.botId;
    this.botName = opts.botName ?? SLACK_EMULATOR_DEFAULTS.botName;
    this.appId = opts.appId ?? SLACK_EMULATOR_DEFAULTS.appId;
    this.botToken = opts.botToken ?? SLACK_EMULATOR_DEFAULTS.botToken;
    this.latencyMs = opts.latencyMs ?? 0;
    this.random = seededRandom(opts.seed ?? 1).next;
    this.limiter = opts.rateLimits === 'tiers' ? new TierLimiter(opts.timeScale ?? 1) : undefined;
    this.addBuiltInUsers();
    this.handlers = {
      'auth.test': () => this.authTest(),
      'users.list': (a) => this.usersList(a),
      'users.info': (a) => this.usersInfo(a),
      'users.lookupByEmail': (a) => this.usersLookupByEmail(a),
      'conversations.info': (a) => this.conversationsInfo(a),
      'conversations.list': (a) => this.conversationsList(a),
      'usergroups.list': (a) => this.usergroupsList(a),
      'usergroups.users.list': (a) => this.usergroupsUsersList(a),
      'conversations.members': (a) => this.conversationsMembers(a),
      'conversations.join': (a) => this.conversationsJoin(a),
      'conversations.invite': (a) => this.conversationsInvite(a),
      'conversations.open': (a) => this.conversationsOpen(a),
      'conversations.history': (a) => this.conversationsHistory(a),
      'chat.postMessage': (a) => this.chatPostMessage(a),
      'chat.postEphemeral': (a) => this.chatPostEphemeral(a),
      'chat.update': (a) => this.chatUpdate(a),
      'views.publish': (a) => this.viewsPublish(a),
      'views.open': (a) => this.viewsOpen(a),
      'views.push': (a) => this.viewsOpen(a),
      'views.update': (a) => this.viewsUpdate(a),
      'files.getUploadURLExternal': (a) => this.filesGetUploadURLExternal(a),
      'files.completeUploadExternal': (a) => this.filesCompleteUploadExternal(a),
    };
  }

  // ----- lifecycle -----

  async start(port = 0): Promise<void> {
    if (this.server) throw new Error('SlackEmulator already started');
    const server = createServer((req, res) => {
      this.handleHttp(req, res).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    });
    this.port = await listenOnLoopback(server, port);
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new Error('SlackEmulator stopped while waitFor was pending'));
    }
    this.waiters.clear();
    // keep-alive sockets from fetch would otherwise hold close() open
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get apiUrl(): string {
    if (this.port === undefined) throw new Error('SlackEmulator not started: call start() first');
    return `http://127.0.0.1:${this.port}/api/`;
  }

  // ----- state setup -----

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
    };
    this.channels.set(id, channel);
    return channel;
  }

  addUserGroup(g: { id?: string; handle: string; name?: string; users: string[]; disabled?: boolean }): EmulatedUserGroup {
    const group: EmulatedUserGroup = { id: g.id ?? this.newId('S'), handle: g.handle, name: g.name ?? g.handle, users: [...g.users], disabled: g.disabled ?? false };
    this.userGroups.set(group.id, group);
    return group;
  }

  renameChannel(id: string, name: string): void {
    const channel = this.requireChannel(id);
    if (channel.name === name) return;
    this.previousNames.set(id, [...(this.previousNames.get(id) ?? []), channel.name]);
    channel.name = name;
  }

  archiveChannel(id: string): void {
    this.requireChannel(id).is_archived = true;
  }

  /** Unarchives a channel; returns the event Slack sends for it (`channel_unarchive`, `group_unarchive` when private). */
  unarchiveChannel(id: string, by?: string): Record<string, unknown> {
    const channel = this.requireChannel(id);
    channel.is_archived = false;
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
   * Deletes a channel: Slack sends `channel_deleted` (`group_deleted` for a private one), not an
   * archive, and every later call naming it answers `channel_not_found`. Returns that event.
   */
  deleteChannel(id: string): Record<string, unknown> {
    const channel = this.requireChannel(id);
    this.channels.delete(id);
    return { type: channel.is_private ? 'group_deleted' : 'channel_deleted', channel: id };
  }

  addMember(channelId: string, userId: string): void {
    this.requireChannel(channelId).members.add(userId);
  }

  removeMember(channelId: string, userId: string): void {
    this.requireChannel(channelId).members.delete(userId);
  }

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

  get calls(): RecordedCall[] {
    return [...this.recorded];
  }

  callsTo(method: string): RecordedCall[] {
    return this.recorded.filter((c) => c.method === method);
  }

  clearCalls(): void {
    this.recorded = [];
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

  waitFor(predicate: (calls: RecordedCall[]) => boolean, timeoutMs = 5000): Promise<void> {
    if (predicate(this.calls)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`SlackEmulator.waitFor timed out after ${timeoutMs}ms. ${this.describeCalls()}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  // ----- files (files.uploadV2 of @slack/web-api: get an upload URL, POST the bytes there, complete) -----

  private readonly uploads = new Map<string, EmulatedFile>();

  /** Files shared by files.completeUploadExternal, in order, with their bytes (a user id finds their IM). */
  filesSharedIn(channelOrUserId: string): EmulatedFile[] {
    const channel = this.imByUser.get(channelOrUserId) ?? channelOrUserId;
    return [...this.uploads.values()].filter((f) => f.channel === channel && f.completed);
  }

  private filesGetUploadURLExternal(args: Args): Reply {
    const filename = str(args, 'filename');
    const length = int(args, 'length');
    if (!filename || length === undefined) return invalidArguments(...(!filename ? ['[ERROR] missing required field: filename'] : []), ...(length === undefined ? ['[ERROR] missing required field: length'] : []));
    const id = this.newId('F');
    this.uploads.set(id, { id, filename, length, title: filename, bytes: null, channel: null, initialComment: null, completed: false });
    return ok({ upload_url: `${this.apiUrl.replace(/\/api\/$/, '')}/upload/v1/${id}`, file_id: id });
  }

  private async receiveUpload(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const file = this.uploads.get(id);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    // The SDK posts the bytes as multipart/form-data (one part); anything else is taken as the bytes themselves.
    const type = req.headers['content-type'] ?? '';
    let bytes = raw;
    if (type.startsWith('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
      const part = [...form.values()].find((v) => typeof v !== 'string');
      if (part && typeof part !== 'string') bytes = Buffer.from(await part.arrayBuffer());
    }
    file.bytes = bytes;
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${bytes.length}`);
  }

  private filesCompleteUploadExternal(args: Args): Reply {
    const parsed = parseJsonArg(args.files);
    const list = 'value' in parsed && Array.isArray(parsed.value) ? (parsed.value as Array<{ id?: unknown; title?: unknown }>) : null;
    if (!list || list.length === 0) return invalidArguments('[ERROR] missing required field: files');
    const channel = str(args, 'channel_id');
    if (channel !== undefined && !this.channels.has(channel) && !this.userByIm.has(channel)) return fail('channel_not_found');
    const files = list.map((f) => this.uploads.get(String(f.id)));
    // Slack refuses to complete a file whose bytes never arrived.
    if (files.some((f) => !f || f.bytes === null || f.completed)) return fail('file_not_found');
    files.forEach((f, i) => Object.assign(f!, { completed: true, channel: channel ?? null, initialComment: str(args, 'initial_comment') ?? null, title: typeof list[i]!.title === 'string' ? list[i]!.title : f!.filename }));
    return ok({ files: files.map((f) => ({ id: f!.id, title: f!.title })) });
  }

  // ----- faults -----

  addFault(rule: FaultRule): void {
    if (rule.status === undefined && rule.error === undefined) {
      throw new Error('SlackEmulator.addFault: a rule needs `status` or `error`');
    }
    if (rule.probability !== undefined && (rule.probability < 0 || rule.probability > 1)) {
      throw new Error('SlackEmulator.addFault: probability must be within 0..1');
    }
    this.faults.push({ rule, remaining: rule.times ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP plumbing
  // ---------------------------------------------------------------------------------------------

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/upload/v1/')) return this.receiveUpload(req, res, url.pathname.slice('/upload/v1/'.length));
    const match = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname);
    if (!match) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const method = match[1];
    const receivedAt = Date.now();
    const raw = await readBody(req);
    const parsed = parseRequest(req, url, raw);
    const reply = this.dispatch(method, parsed);
    if (this.listenerCount('effect') > 0) {
      const applied: AppliedCall = { method, args: parsed.args, status: reply.status, response: reply.body };
      this.emit('effect', applied);
    }
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    const payload = JSON.stringify(reply.body);
    this.record(method, parsed.args, reply.status, payload, receivedAt);
    res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
    res.end(payload);
  }

  private dispatch(method: string, parsed: ParsedRequest): Reply {
    if (parsed.error) return fail(parsed.error.code, parsed.error.extra);
    const fault = this.takeFault(method, parsed.args);
    if (fault) return faultReply(fault);
    const handler = this.handlers[method];
    if (!handler) return fail('unknown_method');
    if (parsed.token === undefined || parsed.token === '') return fail('not_authed');
    if (parsed.token !== this.botToken) return fail('invalid_auth');
    const retryAfter = this.limiter?.take(method, this.rateLimitChannel(method, parsed.args)) ?? null;
    if (retryAfter !== null) return rateLimitedReply(retryAfter);
    return handler(parsed.args);
  }

  /** chat.postMessage is limited per channel too; a user id stands for their IM. */
  private rateLimitChannel(method: string, args: Args): string | undefined {
    if (method !== 'chat.postMessage') return undefined;
    const channel = str(args, 'channel');
    if (channel === undefined) return undefined;
    // A post to a user id lands in their IM (opened here if need be, as the post itself would).
    return this.users.has(channel) && !this.channels.has(channel) ? this.ensureIm(channel).id : channel;
  }

  private takeFault(method: string, args: Args): FaultRule | undefined {
    for (const fault of this.faults) {
      const { rule } = fault;
      if (fault.remaining <= 0) continue;
      if (rule.method !== '*' && rule.method !== method) continue;
      if (rule.when && !rule.when(args)) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      fault.remaining -= 1;
      this.faults = this.faults.filter((f) => f.remaining > 0);
      return rule;
    }
    return undefined;
  }

  private record(method: string, args: Args, status: number, payload: string, receivedAt = Date.now()): void {
    const call: RecordedCall = {
      seq: ++this.seq,
      method,
      args,
      status,
      response: JSON.parse(payload) as unknown,
      at: Date.now(),
      receivedAt,
    };
    this.recorded.push(call);
    this.emit('call', call);
    this.notifyWaiters();
  }

  private notifyWaiters(): void {
    if (this.waiters.size === 0) return;
    const snapshot = this.calls;
    for (const w of [...this.waiters]) {
      let done: boolean;
      try {
        done = w.predicate(snapshot);
      } catch (err) {
        this.waiters.delete(w);
        clearTimeout(w.timer);
        w.reject(err instanceof Error ? err : new Error(String(err)));
        continue;
      }
      if (done) {
        this.waiters.delete(w);
        clearTimeout(w.timer);
        w.resolve();
      }
    }
  }

  private describeCalls(): string {
    if (this.recorded.length === 0) return 'No Web API calls were recorded.';
    const lines = this.recorded.map((c) => {
      const body = isObject(c.response) ? c.response : {};
      const outcome = c.status !== 200 ? `HTTP ${c.status}` : body.ok === true ? 'ok' : String(body.error);
      return `  #${c.seq} ${c.method} -> ${outcome}`;
    });
    return `Recorded calls (${this.recorded.length}):\n${lines.join('\n')}`;
  }

  // ---------------------------------------------------------------------------------------------
  // State helpers
  // ---------------------------------------------------------------------------------------------

  private addBuiltInUsers(): void {
    // Slack's own Slackbot is listed with is_bot false, which apps must filter by id.
    this.users.set(SLACKBOT_USER_ID, {
      id: SLACKBOT_USER_ID,
      name: 'slackbot',
      real_name: 'Slackbot',
      tz: 'America/Los_Angeles',
    });
    this.users.set(this.botUserId, { id: this.botUserId, name: this.botName, real_name: this.botName, is_bot: true });
  }

  private newId(prefix: string): string {
    this.idCounter += 1;
    return `${prefix}0EMU${this.idCounter.toString(36).toUpperCase().padStart(5, '0')}`;
  }

  /** Unique, increasing message timestamps in Slack's "seconds.micros" form. */
  private nextTs(): string {
    const micros = Math.max(Date.now() * 1000, this.lastTsMicros + 100);
    this.lastTsMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  private nextHash(): string {
    this.hashCounter += 1;
    return `${nowSec()}.${String(this.hashCounter).padStart(8, '0')}`;
  }

  private requireUser(id: string): EmulatedUser {
    const u = this.users.get(id);
    if (!u) throw new Error(`SlackEmulator: unknown user ${id}`);
    return u;
  }

  private requireChannel(id: string): EmulatedChannel {
    const c = this.channels.get(id);
    if (!c) throw new Error(`SlackEmulator: unknown channel ${id}`);
    return c;
  }

  private isExternal(u: EmulatedUser): boolean {
    return u.team_id !== undefined && u.team_id !== this.teamId;
  }

  private botIsMember(c: EmulatedChannel): boolean {
    return c.members.has(this.botUserId);
  }

  /** A private channel the bot is not in does not exist as far as the bot can tell. */
  private visibleChannel(id: string | undefined): EmulatedChannel | undefined {
    const c = id === undefined ? undefined : this.channels.get(id);
    if (!c) return undefined;
    return c.is_private && !this.botIsMember(c) ? undefined : c;
  }

  private ensureIm(userId: string): { id: string; existed: boolean } {
    const existing = this.imByUser.get(userId);
    if (existing) return { id: existing, existed: true };
    const id = this.newId('D');
    this.imByUser.set(userId, id);
    this.userByIm.set(id, userId);
    return { id, existed: false };
  }

  // ----- serialisers (shapes from docs.slack.dev examples) -----

  private userJson(u: EmulatedUser): Body {
    const tz = u.tz ?? 'UTC';
    const realName = u.real_name ?? u.name;
    const profile: Body = {
      avatar_hash: '',
      status_text: '',
      status_emoji: '',
      real_name: realName,
      display_name: u.name,
      real_name_normalized: realName,
      display_name_normalized: u.name,
      team: u.team_id ?? this.teamId,
    };
    if (u.email !== undefined) profile.email = u.email;
    if (u.bot_id !== undefined) profile.bot_id = u.bot_id;
    if (u.id === this.botUserId) {
      profile.bot_id = this.botId;
      profile.api_app_id = this.appId;
      profile.always_active = true;
    }
    return {
      id: u.id,
      team_id: u.team_id ?? this.teamId,
      name: u.name,
      deleted: u.deleted ?? false,
      color: '9f69e7',
      real_name: realName,
      tz,
      ...tzInfo(tz),
      profile,
      is_admin: false,
      is_owner: false,
      is_primary_owner: false,
      is_restricted: u.is_restricted ?? false,
      is_ultra_restricted: u.is_ultra_restricted ?? false,
      is_bot: u.is_bot ?? false,
      updated: nowSec(),
      is_app_user: u.is_app_user ?? false,
      has_2fa: false,
    };
  }

  private channelJson(c: EmulatedChannel, includeNumMembers = false): Body {
    const legacyGroup = c.id.startsWith('G');
    const teamIds = new Set([this.teamId, ...(c.external_teams ?? [])]);
    for (const m of c.members) {
      const u = this.users.get(m);
      if (u?.team_id) teamIds.add(u.team_id);
    }
    const body: Body = {
      id: c.id,
      name: c.name,
      is_channel: !legacyGroup,
      is_group: legacyGroup,
      is_im: false,
      is_mpim: false,
      is_private: c.is_private,
      created: c.created,
      is_archived: c.is_archived,
      is_general: false,
      unlinked: 0,
      name_normalized: c.name.toLowerCase(),
      is_shared: teamIds.size > 1,
      is_org_shared: false,
      is_pending_ext_shared: false,
      pending_shared: [],
      context_team_id: this.teamId,
      updated: Date.now(),
      parent_conversation: null,
      creator: c.creator,
      is_ext_shared: teamIds.size > 1,
      shared_team_ids: [...teamIds],
      pending_connected_team_ids: [],
      is_member: this.botIsMember(c),
      topic: { value: '', creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
      previous_names: [...(this.previousNames.get(c.id) ?? [])],
    };
    if (includeNumMembers) body.num_members = c.members.size;
    return body;
  }

  private imJson(imId: string, includeNumMembers = false): Body {
    const body: Body = {
      id: imId,
      created: nowSec(),
      is_im: true,
      is_org_shared: false,
      user: this.userByIm.get(imId),
      last_read: '0000000000.000000',
      latest: null,
      unread_count: 0,
      unread_count_display: 0,
      is_open: true,
      priority: 0,
    };
    if (includeNumMembers) body.num_members = 2;
    return body;
  }

  private viewJson(input: Record<string, unknown>, type: string, id: string, previous?: SlackView): SlackView {
    const view: SlackView = {
      id,
      team_id: this.teamId,
      type,
      close: input.close ?? null,
      submit: input.submit ?? null,
      blocks: input.blocks ?? [],
      private_metadata: input.private_metadata ?? '',
      callback_id: input.callback_id ?? '',
      state: { values: {} },
      hash: this.nextHash(),
      clear_on_close: input.clear_on_close ?? false,
      notify_on_close: input.notify_on_close ?? false,
      root_view_id: previous?.root_view_id ?? id,
      previous_view_id: null,
      app_id: this.appId,
      external_id: input.external_id ?? '',
      app_installed_team_id: this.teamId,
      bot_id: this.botId,
    };
    if (input.title !== undefined) view.title = input.title;
    return view;
  }

  // ---------------------------------------------------------------------------------------------
  // Method handlers
  // ---------------------------------------------------------------------------------------------

  private authTest(): Reply {
    return ok({
      url: `https://${this.teamDomain}.slack.com/`,
      team: this.teamName,
      user: this.botName,
      team_id: this.teamId,
      user_id: this.botUserId,
      bot_id: this.botId,
      is_enterprise_install: false,
    });
  }

  private usersList(args: Args): Reply {
    // users.list covers the workspace's own members; external Slack Connect users are not part of it.
    const ids = [...this.users.values()].filter((u) => !this.isExternal(u)).map((u) => u.id);
    const result = paginate(ids, args, 200);
    if ('error' in result) return fail(result.error);
    return ok({
      members: result.page.map((id) => this.userJson(this.requireUser(id))),
      cache_ts: nowSec(),
      response_metadata: { next_cursor: result.nextCursor },
    });
  }

  private usersInfo(args: Args): Reply {
    const u = this.users.get(str(args, 'user') ?? '');
    return u ? ok({ user: this.userJson(u) }) : fail('user_not_found');
  }

  private usersLookupByEmail(args: Args): Reply {
    const email = (str(args, 'email') ?? '').toLowerCase();
    const u = [...this.users.values()].find((x) => email !== '' && x.email?.toLowerCase() === email);
    return u ? ok({ user: this.userJson(u) }) : fail('users_not_found');
  }

  private conversationsInfo(args: Args): Reply {
    const id = str(args, 'channel');
    const withCount = bool(args, 'include_num_members');
    if (id !== undefined && this.userByIm.has(id)) return ok({ channel: this.imJson(id, withCount) });
    const c = this.visibleChannel(id);
    return c ? ok({ channel: this.channelJson(c, withCount) }) : fail('channel_not_found');
  }

  /**
   * conversations.list: `types` (default public_channel) picks public and/or private channels;
   * private ones only where the bot is a member; `exclude_archived`; cursor paging, `limit`
   * default 100 and under 1000 (docs.slack.dev/examples/conversations.list.success.json).
   */
  private conversationsList(args: Args): Reply {
    const types = (str(args, 'types') ?? 'public_channel').split(',').map((t) => t.trim()).filter(Boolean);
    const known = ['public_channel', 'private_channel', 'mpim', 'im'];
    if (types.some((t) => !known.includes(t))) return fail('invalid_types');
    const limit = int(args, 'limit');
    if (limit !== undefined && (limit < 1 || limit >= 1000)) return fail('invalid_limit');
    const ids = [...this.channels.values()]
      .filter((c) => (c.is_private ? types.includes('private_channel') && this.botIsMember(c) : types.includes('public_channel')))
      .filter((c) => !(bool(args, 'exclude_archived') && c.is_archived))
      .map((c) => c.id);
    const result = paginate(ids, args, 100);
    if ('error' in result) return fail(result.error);
    return ok({ channels: result.page.map((id) => this.channelJson(this.requireChannel(id), true)), response_metadata: { next_cursor: result.nextCursor } });
  }

  private userGroupJson(g: EmulatedUserGroup, withUsers: boolean): Body {
    const body: Body = {
      id: g.id,
      team_id: this.teamId,
      is_usergroup: true,
      name: g.name,
      description: '',
      handle: g.handle,
      is_external: false,
      date_create: 0,
      date_update: 0,
      date_delete: g.disabled ? 1 : 0,
      auto_type: null,
      created_by: SLACKBOT_USER_ID,
      updated_by: SLACKBOT_USER_ID,
      deleted_by: null,
      prefs: { channels: [], groups: [] },
      user_count: String(g.users.length),
    };
    if (withUsers) body.users = [...g.users];
    return body;
  }

  private usergroupsList(args: Args): Reply {
    const groups = [...this.userGroups.values()].filter((g) => bool(args, 'include_disabled') || !g.disabled);
    return ok({ usergroups: groups.map((g) => this.userGroupJson(g, bool(args, 'include_users'))) });
  }

  private usergroupsUsersList(args: Args): Reply {
    const id = str(args, 'usergroup');
    if (!id) return fail('missing_argument');
    const group = this.userGroups.get(id);
    if (!group || (group.disabled && !bool(args, 'include_disabled'))) return fail('no_such_subteam');
    return ok({ users: [...group.users] });
  }

  private conversationsMembers(args: Args): Reply {
    const id = str(args, 'channel');
    let members: string[];
    if (id !== undefined && this.userByIm.has(id)) {
      members = [this.userByIm.get(id) ?? '', this.botUserId];
    } else {
      const c = this.visibleChannel(id);
      if (!c) return fail('channel_not_found');
      members = [...c.members];
    }
    const result = paginate(members, args, 100);
    if ('error' in result) return fail(result.error);
    return ok({ members: result.page, response_metadata: { next_cursor: result.nextCursor } });
  }

  private conversationsJoin(args: Args): Reply {
    const c = this.visibleChannel(str(args, 'channel'));
    if (!c) return fail('channel_not_found');
    if (c.is_private) return fail('method_not_supported_for_channel_type');
    if (c.is_archived) return fail('is_archived');
    if (this.botIsMember(c)) {
      return ok({
        channel: this.channelJson(c),
        warning: 'already_in_channel',
        response_metadata: { warnings: ['already_in_channel'] },
      });
    }
    c.members.add(this.botUserId);
    return ok({ channel: this.channelJson(c) });
  }

  private inviteErrorFor(c: EmulatedChannel, userId: string): string | undefined {
    const u = this.users.get(userId);
    if (!u) return 'user_not_found';
    if (userId === this.botUserId) return 'cant_invite_self';
    if (c.members.has(userId)) return 'already_in_channel';
    if (u.is_restricted || u.is_ultra_restricted) return 'user_is_restricted';
    return undefined;
  }

  private conversationsInvite(args: Args): Reply {
    const c = this.visibleChannel(str(args, 'channel'));
    if (!c) return fail('channel_not_found');
    if (c.is_archived) return fail('is_archived');
    if (!this.botIsMember(c)) return fail('not_in_channel');
    const userIds = [...new Set((str(args, 'users') ?? '').split(',').map((s) => s.trim()).filter(Boolean))];
    if (userIds.length === 0) return fail('no_user');

    const errors: Array<{ user: string; ok: false; error: string }> = [];
    const valid: string[] = [];
    for (const id of userIds) {
      const error = this.inviteErrorFor(c, id);
      if (error) errors.push({ user: id, ok: false, error });
      else valid.push(id);
    }
    const force = bool(args, 'force');
    if (errors.length > 0 && (!force || valid.length === 0)) {
      return fail(errors[0].error, { errors });
    }
    // Deactivated users are skipped silently, as the conversations.invite docs describe.
    for (const id of valid) if (!this.users.get(id)?.deleted) c.members.add(id);
    // With force=true Slack invites the valid users; we still report the skipped ones.
    return ok(errors.length > 0 ? { channel: this.channelJson(c), errors } : { channel: this.channelJson(c) });
  }

  private conversationsOpen(args: Args): Reply {
    const channelArg = str(args, 'channel');
    if (channelArg !== undefined && channelArg !== '') {
      return this.userByIm.has(channelArg) ? ok({ channel: { id: channelArg } }) : fail('channel_not_found');
    }
    const userIds = (str(args, 'users') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (userIds.length === 0) return fail('users_list_not_supplied');
    if (userIds.length > 1) {
      return fail('method_not_supported_for_channel_type', { detail: 'SlackEmulator does not emulate MPIMs' });
    }
    const u = this.users.get(userIds[0]);
    if (!u) return fail('user_not_found');
    if (u.deleted) return fail('user_disabled');
    const im = this.ensureIm(u.id);
    const channel = bool(args, 'return_im') ? this.imJson(im.id) : { id: im.id };
    return ok(im.existed ? { no_op: true, already_open: true, channel } : { channel });
  }

  /** Where chat.* may write: a visible channel the bot is in, an IM, or a user id (their IM). */
  private resolveWritableChannel(id: string | undefined): { channel: string } | { error: string } {
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

  private messageContentError(args: Args, maxBlocks: number): string | undefined {
    const hasText = (str(args, 'text') ?? '') !== '';
    const blocks = args.blocks;
    const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
    const hasAttachments = Array.isArray(args.attachments) && args.attachments.length > 0;
    if (!hasText && !hasBlocks && !hasAttachments) return 'no_text';
    if (blocks !== undefined && !Array.isArray(blocks)) return 'invalid_blocks_format';
    if (Array.isArray(blocks) && blocks.length > maxBlocks) return 'invalid_blocks';
    return undefined;
  }

  private messageJson(m: EmulatedMessage): Body {
    const body: Body = {
      user: m.user ?? this.botUserId,
      type: 'message',
      ts: m.ts,
      bot_id: this.botId,
      app_id: this.appId,
      text: m.text ?? '',
      team: this.teamId,
    };
    if (m.blocks !== undefined) body.blocks = m.blocks;
    if (m.thread_ts !== undefined) body.thread_ts = m.thread_ts;
    if (m.metadata !== undefined) body.metadata = m.metadata;
    if (m.subtype !== undefined) {
      // A system message is the member's, not the app's.
      body.subtype = m.subtype;
      delete body.bot_id;
      delete body.app_id;
    }
    return body;
  }

  private chatPostMessage(args: Args): Reply {
    const target = this.resolveWritableChannel(str(args, 'channel'));
    if ('error' in target) return fail(target.error);
    const contentError = this.messageContentError(args, 50);
    if (contentError) return fail(contentError);
    const metadataError = metadataFormatError(args.metadata);
    if (metadataError) return fail(metadataError);
    const message: EmulatedMessage = { channel: target.channel, ts: this.nextTs(), user: this.botUserId };
    if (args.metadata !== undefined) message.metadata = args.metadata;
    const text = str(args, 'text');
    if (text !== undefined) message.text = text;
    if (args.blocks !== undefined) message.blocks = args.blocks;
    const threadTs = str(args, 'thread_ts');
    if (threadTs) message.thread_ts = threadTs;
    this.messages.push(message);
    return ok({ channel: message.channel, ts: message.ts, message: this.messageJson(message) });
  }

  /**
   * Newest first, top-level messages only (as Slack: thread replies live in conversations.replies).
   * `metadata` appears only with include_all_metadata. The bot must be in the channel; IMs always qualify.
   */
  private conversationsHistory(args: Args): Reply {
    const id = str(args, 'channel');
    if (id === undefined || id === '') return fail('channel_not_found');
    if (!this.userByIm.has(id)) {
      const c = this.visibleChannel(id);
      if (!c) return fail('channel_not_found');
      if (!this.botIsMember(c)) return fail('not_in_channel');
    }
    const inclusive = bool(args, 'inclusive');
    const oldest = Number(str(args, 'oldest') ?? '0') || 0;
    const latestArg = str(args, 'latest');
    const latest = latestArg === undefined || latestArg === '' ? Number.POSITIVE_INFINITY : Number(latestArg);
    const cursor = str(args, 'cursor');
    let before = Number.POSITIVE_INFINITY;
    if (cursor) {
      const decoded = Buffer.from(cursor, 'base64').toString('utf8');
      if (!decoded.startsWith('before:')) return fail('invalid_cursor');
      before = Number(decoded.slice('before:'.length));
    }
    const requested = int(args, 'limit');
    const limit = requested === undefined || requested <= 0 ? 100 : Math.min(requested, 999);
    const inRange = (ts: number) =>
      (inclusive ? ts >= oldest : ts > oldest) && (inclusive ? ts <= latest : ts < latest) && ts < before;
    const matching = this.messages
      .filter((m) => m.channel === id && (m.thread_ts === undefined || m.thread_ts === m.ts) && inRange(Number(m.ts)))
      .sort((a, b) => Number(b.ts) - Number(a.ts));
    const page = matching.slice(0, limit);
    const hasMore = matching.length > limit;
    const withMetadata = bool(args, 'include_all_metadata');
    const messages = page.map((m) => {
      const body = this.messageJson(m);
      if (!withMetadata) delete body.metadata;
      return body;
    });
    const last = page[page.length - 1];
    const nextCursor = hasMore && last ? Buffer.from(`before:${last.ts}`, 'utf8').toString('base64') : '';
    return ok({ messages, has_more: hasMore, pin_count: 0, channel_actions_ts: null, channel_actions_count: 0, response_metadata: { next_cursor: nextCursor } });
  }

  private chatUpdate(args: Args): Reply {
    const channel = str(args, 'channel');
    const ts = str(args, 'ts');
    const message = this.messages.find((m) => m.channel === channel && m.ts === ts);
    if (!message) return fail(channel && this.resolveChannelExists(channel) ? 'message_not_found' : 'channel_not_found');
    const contentError = this.messageContentError(args, 50);
    if (contentError) return fail(contentError);
    const text = str(args, 'text');
    if (text !== undefined) message.text = text;
    if (args.blocks !== undefined) message.blocks = args.blocks;
    return ok({ channel: message.channel, ts: message.ts, text: message.text ?? '', message: this.messageJson(message) });
  }

  private resolveChannelExists(id: string): boolean {
    return this.userByIm.has(id) || this.visibleChannel(id) !== undefined;
  }

  private chatPostEphemeral(args: Args): Reply {
    const userId = str(args, 'user') ?? '';
    const target = this.resolveWritableChannel(str(args, 'channel'));
    if ('error' in target) return fail(target.error);
    const c = this.channels.get(target.channel);
    const imOwner = this.userByIm.get(target.channel);
    const userThere = c ? c.members.has(userId) : imOwner === userId;
    if (!this.users.has(userId) || !userThere) return fail('user_not_in_channel');
    const contentError = this.messageContentError(args, 50);
    if (contentError) return fail(contentError);
    const ephemeral: EmulatedEphemeral = { channel: target.channel, user: userId, message_ts: this.nextTs() };
    const text = str(args, 'text');
    if (text !== undefined) ephemeral.text = text;
    if (args.blocks !== undefined) ephemeral.blocks = args.blocks;
    this.ephemerals.push(ephemeral);
    return ok({ message_ts: ephemeral.message_ts });
  }

  private viewInputError(view: unknown, expectedType: string): Reply | undefined {
    if (!isObject(view)) {
      return invalidArguments('[ERROR] must provide an object [json-pointer:/view]');
    }
    if (view.type !== expectedType) {
      return invalidArguments(`[ERROR] must be \`${expectedType}\` [json-pointer:/view/type]`);
    }
    if (Array.isArray(view.blocks) && view.blocks.length > 100) {
      return invalidArguments('[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]');
    }
    if (expectedType === 'modal' && view.title === undefined) {
      return invalidArguments('[ERROR] missing required field: title [json-pointer:/view]');
    }
    return undefined;
  }

  private storeView(view: SlackView): void {
    this.views.set(view.id, view);
    if (typeof view.external_id === 'string' && view.external_id !== '') {
      this.viewIdByExternalId.set(view.external_id, view.id);
    }
  }

  private viewsPublish(args: Args): Reply {
    const userId = str(args, 'user_id') ?? '';
    if (!this.users.has(userId)) return invalidArguments('invalid `user_id`');
    const inputError = this.viewInputError(args.view, 'home');
    if (inputError) return inputError;
    const previousId = this.homeViewIdByUser.get(userId);
    const previous = previousId === undefined ? undefined : this.views.get(previousId);
    const hash = str(args, 'hash');
    if (hash && previous && previous.hash !== hash) return fail('hash_conflict');
    const view = this.viewJson(args.view as Record<string, unknown>, 'home', previous?.id ?? this.newId('V'), previous);
    this.storeView(view);
    this.homeViewIdByUser.set(userId, view.id);
    return ok({ view });
  }

  private viewsOpen(args: Args): Reply {
    const issuedAt = this.triggers.get(str(args, 'trigger_id') ?? '');
    if (issuedAt === undefined) return fail('invalid_trigger_id');
    if (Date.now() - issuedAt > TRIGGER_TTL_MS) return fail('expired_trigger_id');
    const inputError = this.viewInputError(args.view, 'modal');
    if (inputError) return inputError;
    const view = this.viewJson(args.view as Record<string, unknown>, 'modal', this.newId('V'));
    this.storeView(view);
    this.opened.push(view);
    return ok({ view });
  }

  private viewsUpdate(args: Args): Reply {
    const viewId = str(args, 'view_id') || this.viewIdByExternalId.get(str(args, 'external_id') ?? '');
    if (!str(args, 'view_id') && !str(args, 'external_id')) {
      return invalidArguments('[ERROR] either view_id or external_id is required');
    }
    const previous = viewId === undefined ? undefined : this.views.get(viewId);
    if (!previous) return fail('not_found');
    if (!isObject(args.view)) return invalidArguments('[ERROR] must provide an object [json-pointer:/view]');
    const inputError = this.viewInputError(args.view, previous.type);
    if (inputError) return inputError;
    const hash = str(args, 'hash');
    if (hash && previous.hash !== hash) return fail('hash_conflict');
    const view = this.viewJson(args.view, previous.type, previous.id, previous);
    this.storeView(view);
    return ok({ view });
  }
}

// ---------------------------------------------------------------------------------------------
// Request parsing (outside the class: pure functions)
// ---------------------------------------------------------------------------------------------

interface ParsedRequest {
  args: Args;
  token: string | undefined;
  error?: { code: string; extra?: Body };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(contentType: string, raw: string): { args: Args } | { error: string } {
  if (raw.trim() === '') return { args: {} };
  if (contentType.startsWith('application/json')) {
    try {
      const value = JSON.parse(raw) as unknown;
      return isObject(value) ? { args: { ...value } } : { error: 'invalid_json' };
    } catch {
      return { error: 'invalid_json' };
    }
  }
  if (contentType === '' || contentType.startsWith('application/x-www-form-urlencoded')) {
    return { args: Object.fromEntries(new URLSearchParams(raw)) };
  }
  return { error: 'invalid_form_data' };
}

function parseRequest(req: IncomingMessage, url: URL, raw: string): ParsedRequest {
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  const body = parseBody(contentType, raw);
  const args: Args = { ...Object.fromEntries(url.searchParams), ...('args' in body ? body.args : {}) };
  const auth = req.headers.authorization;
  const bearer = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : undefined;
  const token = bearer || str(args, 'token');
  // The token must never end up in recorded calls.
  delete args.token;
  if ('error' in body) return { args, token, error: { code: body.error } };
  for (const [key, code] of Object.entries(JSON_ARGS)) {
    if (!(key in args)) continue;
    const decoded = parseJsonArg(args[key]);
    if ('error' in decoded) {
      const extra = code === 'invalid_arguments' ? { response_metadata: { messages: [`[ERROR] invalid JSON [json-pointer:/${key}]`] } } : {};
      return { args, token, error: { code, extra } };
    }
    args[key] = decoded.value;
  }
  return { args, token };
}

/** chat.postMessage `metadata`: an object with a string event_type and an object event_payload. */
function metadataFormatError(metadata: unknown): string | undefined {
  if (metadata === undefined) return undefined;
  if (!isObject(metadata) || typeof metadata.event_type !== 'string' || metadata.event_type === '' || !isObject(metadata.event_payload)) {
    return 'invalid_metadata_format';
  }
  return undefined;
}

function rateLimitedReply(retryAfterSeconds: number): Reply {
  return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'Retry-After': String(retryAfterSeconds) } };
}

function faultReply(rule: FaultRule): Reply {
  if (rule.status === 429) return rateLimitedReply(rule.retryAfterSeconds ?? 1);
  if (rule.status !== undefined) {
    return { status: rule.status, body: { ok: false, error: rule.status === 503 ? 'service_unavailable' : 'internal_error' } };
  }
  return fail(rule.error ?? 'internal_error');
}

// ---------------------------------------------------------------------------------------------
// ResponseUrlSink: records what Bolt's respond() posts to response_url
// ---------------------------------------------------------------------------------------------

export interface ReceivedResponse {
  path: string;
  /** parsed JSON when the body is JSON, the raw string otherwise */
  body: unknown;
}

export class ResponseUrlSink {
  readonly received: ReceivedResponse[] = [];
  private server: Server | undefined;
  private port: number | undefined;
  private readonly listeners = new Set<() => void>();

  async start(port = 0): Promise<void> {
    if (this.server) throw new Error('ResponseUrlSink already started');
    const server = createServer((req, res) => {
      readBody(req)
        .then((raw) => {
          this.received.push({ path: req.url ?? '/', body: parseMaybeJson(raw) });
          for (const l of [...this.listeners]) l();
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('{"ok":true}');
        })
        .catch(() => res.writeHead(400).end());
    });
    this.port = await listenOnLoopback(server, port);
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A response_url whose path names the invocation, e.g. url('volunteer-1'). */
  url(name: string): string {
    if (this.port === undefined) throw new Error('ResponseUrlSink not started: call start() first');
    return `http://127.0.0.1:${this.port}/response/${encodeURIComponent(name)}`;
  }

  waitFor(n: number, timeoutMs = 5000): Promise<void> {
    if (this.received.length >= n) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (this.received.length < n) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        const paths = this.received.map((r) => r.path).join(', ') || 'none';
        reject(new Error(`ResponseUrlSink.waitFor: expected ${n} POSTs within ${timeoutMs}ms, got ${this.received.length} (${paths})`));
      }, timeoutMs);
      this.listeners.add(check);
    });
  }
}

function parseMaybeJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
