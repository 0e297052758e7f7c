/**
 * Delivers signed requests to the app the way Slack does in HTTP mode: Events API envelopes,
 * slash commands and interactivity payloads (see FACTS.md §3, §4, §6).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { URLSearchParams } from 'node:url';
import { SLACK_EMULATOR_DEFAULTS } from './slack-emulator';

export interface SlackSignatureHeaders {
  'x-slack-request-timestamp': string;
  'x-slack-signature': string;
}

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` keyed with the signing secret. */
export function signRequest(signingSecret: string, rawBody: string, timestampSec?: number): SlackSignatureHeaders {
  const ts = String(timestampSec ?? Math.floor(Date.now() / 1000));
  const digest = createHmac('sha256', signingSecret).update(`v0:${ts}:${rawBody}`).digest('hex');
  return { 'x-slack-request-timestamp': ts, 'x-slack-signature': `v0=${digest}` };
}

export interface SendResult {
  status: number;
  body: string;
  headers: Record<string, string>;
  ms: number;
}

export interface SignOptions {
  timestampSec?: number;
  /** replaces the computed signature, for forged-signature tests */
  signature?: string;
}

export interface DeliverOptions extends SignOptions {
  retryNum?: number;
  /** default 'http_timeout' when retryNum is given */
  retryReason?: string;
}

export interface EnvelopeOptions {
  eventId?: string;
  eventTime?: number;
}

export type EventOptions = EnvelopeOptions & DeliverOptions;

export interface SlashCommandFields {
  command?: string;
  text?: string;
  user_id: string;
  user_name?: string;
  channel_id?: string;
  channel_name?: string;
  trigger_id?: string;
  response_url?: string;
}

export interface SlackSenderOptions {
  /** e.g. http://127.0.0.1:3000/slack/events */
  appUrl: string;
  signingSecret: string;
  teamId?: string;
  apiAppId?: string;
  /** the app's bot user, put in `authorizations[].user_id` */
  botUserId?: string;
  teamDomain?: string;
  /** the deprecated verification token carried in payloads */
  verificationToken?: string;
  /** the clock for event_time (the app's clock in tests that move time); signatures always use real time */
  eventClock?: () => Date;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomId(prefix: string, length: number): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (const b of bytes) out += ALNUM[b % ALNUM.length];
  return out;
}

/** Same layout as real trigger ids: "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c". */
function randomTriggerId(): string {
  const digits = (n: number): string => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
  return `${digits(12)}.${digits(11)}.${randomBytes(16).toString('hex')}`;
}

/** Real event_context values are "4-" + base64url JSON of event type, team, app and channel. */
function eventContext(event: Record<string, unknown>, teamId: string, appId: string): string {
  const context: Record<string, unknown> = { et: event.type, tid: teamId, aid: appId };
  if (typeof event.channel === 'string') context.cid = event.channel;
  return `4-${Buffer.from(JSON.stringify(context)).toString('base64url')}`;
}

export class SlackSender {
  private readonly appUrl: string;
  private readonly signingSecret: string;
  readonly teamId: string;
  readonly apiAppId: string;
  readonly botUserId: string;
  readonly teamDomain: string;
  private readonly verificationToken: string;
  private readonly eventClock: () => Date;

  constructor(opts: SlackSenderOptions) {
    this.appUrl = opts.appUrl;
    this.signingSecret = opts.signingSecret;
    this.teamId = opts.teamId ?? SLACK_EMULATOR_DEFAULTS.teamId;
    this.apiAppId = opts.apiAppId ?? SLACK_EMULATOR_DEFAULTS.appId;
    this.botUserId = opts.botUserId ?? SLACK_EMULATOR_DEFAULTS.botUserId;
    this.teamDomain = opts.teamDomain ?? SLACK_EMULATOR_DEFAULTS.teamDomain;
    this.verificationToken = opts.verificationToken ?? 'emulated-verification-token';
    this.eventClock = opts.eventClock ?? (() => new Date());
  }

  /** Wraps an event in an event_callback envelope and delivers it. */
  event(event: Record<string, unknown>, opts: EventOptions = {}): Promise<SendResult> {
    return this.deliver(this.envelope(event, opts), opts);
  }

  /** The envelope only, so the same one (same event_id) can be delivered several times. */
  envelope(event: Record<string, unknown>, opts: EnvelopeOptions = {}): Record<string, unknown> {
    const eventTime = opts.eventTime ?? Math.floor(this.eventClock().getTime() / 1000);
    const inner: Record<string, unknown> = { ...event };
    if (inner.event_ts === undefined) {
      inner.event_ts = `${eventTime}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    }
    return {
      token: this.verificationToken,
      team_id: this.teamId,
      api_app_id: this.apiAppId,
      event: inner,
      type: 'event_callback',
      event_id: opts.eventId ?? randomId('Ev', 10),
      event_time: eventTime,
      authorizations: [
        {
          enterprise_id: null,
          team_id: this.teamId,
          user_id: this.botUserId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
      event_context: eventContext(inner, this.teamId, this.apiAppId),
    };
  }

  deliver(envelope: Record<string, unknown>, opts: DeliverOptions = {}): Promise<SendResult> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (opts.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(opts.retryNum);
      headers['x-slack-retry-reason'] = opts.retryReason ?? 'http_timeout';
    }
    return this.signedPost(JSON.stringify(envelope), headers, opts);
  }

  /** A slash command, form-encoded with the fields Slack sends (FACTS.md §6). */
  command(fields: SlashCommandFields, opts: SignOptions = {}): Promise<SendResult> {
    const form = new URLSearchParams({
      token: this.verificationToken,
      team_id: this.teamId,
      team_domain: this.teamDomain,
      channel_id: fields.channel_id ?? 'D0SLASHDM1',
      channel_name: fields.channel_name ?? 'directmessage',
      user_id: fields.user_id,
      user_name: fields.user_name ?? fields.user_id.toLowerCase(),
      command: fields.command ?? '/volunteer',
      text: fields.text ?? '',
      api_app_id: this.apiAppId,
      is_enterprise_install: 'false',
      // Port 9 (discard) refuses quickly, so a test that forgot a ResponseUrlSink fails fast instead of calling Slack.
      response_url: fields.response_url ?? `http://127.0.0.1:9/commands/${this.teamId}/0/unset`,
      trigger_id: fields.trigger_id ?? randomTriggerId(),
    });
    return this.signedPost(form.toString(), { 'content-type': 'application/x-www-form-urlencoded' }, opts);
  }

  /** An interactivity request: form body `payload=<json>`; team/app/token are filled in when absent. */
  interaction(payload: Record<string, unknown>, opts: SignOptions = {}): Promise<SendResult> {
    const full: Record<string, unknown> = {
      token: this.verificationToken,
      api_app_id: this.apiAppId,
      team: { id: this.teamId, domain: this.teamDomain },
      is_enterprise_install: false,
      ...payload,
    };
    const body = new URLSearchParams({ payload: JSON.stringify(full) }).toString();
    return this.signedPost(body, { 'content-type': 'application/x-www-form-urlencoded' }, opts);
  }

  /** Posts the body exactly as given, with only the given headers. */
  raw(body: string, headers: Record<string, string>): Promise<SendResult> {
    return this.post(body, headers);
  }

  private signedPost(body: string, headers: Record<string, string>, opts: SignOptions): Promise<SendResult> {
    const signed = signRequest(this.signingSecret, body, opts.timestampSec);
    if (opts.signature !== undefined) signed['x-slack-signature'] = opts.signature;
    return this.post(body, { 'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)', ...headers, ...signed });
  }

  private async post(body: string, headers: Record<string, string>): Promise<SendResult> {
    const started = performance.now();
    const res = await fetch(this.appUrl, { method: 'POST', headers, body });
    const text = await res.text();
    return {
      status: res.status,
      body: text,
      headers: Object.fromEntries(res.headers.entries()),
      ms: performance.now() - started,
    };
  }
}
