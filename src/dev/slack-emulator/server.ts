/**
 * SlackEmulator: a local stand-in for the Slack Web API of one workspace, for tests and demos.
 * This file is its HTTP side: authentication, routing to the method families (methods/*.ts),
 * faults and rate limits before a handler runs, and the record of every call.
 *
 * Response shapes follow the Slack-authored examples in test/fixtures/slack
 * (docs.slack.dev/examples/*.json) and FACTS.md. Only node built-ins are used.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { URL, URLSearchParams } from 'node:url';
import { seededRandom } from '../../domain/random';
import { LoopbackServer, readBody } from '../listen';
import { CallLog } from './call-log';
import { Faults, RateLimits } from './faults';
import { authMethods } from './methods/auth';
import { chatMethods } from './methods/chat';
import { conversationsMethods } from './methods/conversations';
import { filesMethods, receiveUpload, UPLOAD_PATH } from './methods/files';
import { pinsMethods } from './methods/pins';
import { scopeRefusal } from './methods/scopes';
import { usergroupsMethods } from './methods/usergroups';
import { usersMethods } from './methods/users';
import { viewsMethods } from './methods/views';
import { WorkspaceActivity } from './activity';
import { type Methods } from './state';
import type { AppliedCall, FaultRule, RecordedCall, SlackEmulatorOptions } from './types';
import { fail, isObject, parseJsonArg, str, type Args, type Body, type Reply } from './wire';

const METHODS: Methods = {
  ...authMethods,
  ...usersMethods,
  ...conversationsMethods,
  ...usergroupsMethods,
  ...chatMethods,
  ...viewsMethods,
  ...filesMethods,
  ...pinsMethods,
};

/** Arguments sent as JSON text, and the error Slack gives when that text does not parse. */
const JSON_ARGS: Record<string, string> = {
  blocks: 'invalid_blocks_format',
  attachments: 'invalid_attachments',
  view: 'invalid_arguments',
  metadata: 'invalid_metadata_format',
};

interface ParsedRequest {
  args: Args;
  token: string | undefined;
  error?: { code: string; extra?: Body };
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class SlackEmulator extends WorkspaceActivity {
  private readonly latencyMs: number;
  private readonly faults: Faults;
  private readonly rateLimits: RateLimits | undefined;
  /** the granted bot scopes; undefined: all of them */
  private readonly scopes: readonly string[] | undefined;
  private readonly log = new CallLog();
  private readonly http = new LoopbackServer('SlackEmulator', (req, res) => this.handleHttp(req, res));

  constructor(opts: SlackEmulatorOptions = {}) {
    super(opts);
    this.latencyMs = opts.latencyMs ?? 0;
    this.faults = new Faults(seededRandom(opts.seed ?? 1).next);
    this.rateLimits = opts.rateLimits === 'tiers' ? new RateLimits(opts.timeScale ?? 1) : undefined;
    this.scopes = opts.scopes ? [...opts.scopes] : undefined;
  }

  // ----- lifecycle -----

  async start(port = 0): Promise<void> {
    await this.http.start(port);
  }

  async stop(): Promise<void> {
    if (!this.http.running) return;
    this.log.rejectWaiters();
    await this.http.stop();
  }

  get apiUrl(): string {
    return this.http.url('/api/');
  }

  // ----- inspection of calls -----

  get calls(): RecordedCall[] {
    return this.log.all;
  }

  callsTo(method: string): RecordedCall[] {
    return this.log.all.filter((c) => c.method === method);
  }

  clearCalls(): void {
    this.log.clear();
  }

  waitFor(predicate: (calls: RecordedCall[]) => boolean, timeoutMs = 5000): Promise<void> {
    return this.log.waitFor(predicate, timeoutMs);
  }

  // ----- faults -----

  addFault(rule: FaultRule): void {
    this.faults.add(rule);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  // ----- HTTP -----

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith(UPLOAD_PATH)) return receiveUpload(this, req, res, url.pathname.slice(UPLOAD_PATH.length));
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
    this.emit('call', this.log.record(method, parsed.args, reply.status, payload, receivedAt));
    this.log.notifyWaiters();
    res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
    res.end(payload);
  }

  private dispatch(method: string, parsed: ParsedRequest): Reply {
    if (parsed.error) return fail(parsed.error.code, parsed.error.extra);
    const fault = this.faults.take(method, parsed.args);
    if (fault) return fault;
    const handler = METHODS[method];
    if (!handler) return fail('unknown_method');
    if (parsed.token === undefined || parsed.token === '') return fail('not_authed');
    if (parsed.token !== this.botToken) return fail('invalid_auth');
    const refused = scopeRefusal(method, this.scopes);
    if (refused) return refused;
    const limited = this.rateLimits?.take(method, this.rateLimitChannel(method, parsed.args));
    if (limited) return limited;
    return handler(this, parsed.args);
  }

  /** chat.postMessage is limited per channel too; a user id stands for their IM. */
  private rateLimitChannel(method: string, args: Args): string | undefined {
    if (method !== 'chat.postMessage') return undefined;
    const channel = str(args, 'channel');
    if (channel === undefined) return undefined;
    // A post to a user id lands in their IM (opened here if need be, as the post itself would).
    return this.users.has(channel) && !this.channels.has(channel) ? this.ensureIm(channel).id : channel;
  }
}
