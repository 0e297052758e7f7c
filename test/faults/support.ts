import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { digestKey, inviteKey } from '../../src/domain/ledger-keys';
import { seededRandom as sharedSeededRandom } from '../../src/domain/random';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import PgBoss from 'pg-boss';
import { SlackEmulator, type EmulatedUser, type RecordedCall } from '../../src/dev/slack-emulator';
import { signRequest, SlackSender } from '../../src/dev/slack-sender';
import { AppProcess, appEnv, LogBook } from '../helpers/app-process';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/database';

/**
 * What every file of the fault suite shares: a world (a fresh PostgreSQL database, the Slack
 * emulator with a team, secrets made up for the run, the app as child processes), Slack's side
 * of event delivery (sign, deliver, redeliver what was not acknowledged), an independent count
 * of every effect in Slack, a sampler of database connections, and the secrets check.
 */

// ------------------------------------------------------------------------------------------------
// Seeded randomness: a failing run can be replayed with the same seed.
// ------------------------------------------------------------------------------------------------

/** The shared mulberry32 (src/domain/random.ts), as a plain function. */
export function seededRandom(seed: number): () => number {
  return sharedSeededRandom(seed).next;
}

export const SEED = Number(process.env.FAULTS_SEED ?? 20261125);

// ------------------------------------------------------------------------------------------------
// Configuration shared by the scenarios
// ------------------------------------------------------------------------------------------------

export const INVITES_PER_INCIDENT = 2;
/** prompt 2 per learner (PROMPT_SCHEDULE 0s,2s: the first entry is the welcome DM, counted apart) */
export const PROMPTS = 1;
/**
 * per incident: invites, one intro, a welcome DM and the prompts per learner. The creator leads, so
 * nobody mentors within a scenario (MENTOR_WAIT, 10m, outlasts it) and no mentor DM is sent.
 */
export const EFFECTS_PER_INCIDENT = 1 + INVITES_PER_INCIDENT * (1 + 1 + PROMPTS);

/** Rules off (any day, any hour) and no weekly cap, so that every incident gets its learners whenever the suite runs. */
export const SCENARIO_ENV: Record<string, string> = {
  WORKING_DAYS: 'Mon-Sun',
  WORKING_HOURS: '00:00-24:00',
  MAX_AUTO_INVITES_PER_WEEK: '100',
  INVITES_PER_INCIDENT: String(INVITES_PER_INCIDENT),
  PROMPT_SCHEDULE: '0s,2s',
  // Selection at once, whatever the channel's size: the scenarios count the effects of immediate invites.
  INVITE_DELAY: '0s',
  MAX_LEARNERS_PER_RESPONDER: '0',
};

export const CREATOR = 'U0CREATOR1';

/**
 * The creator and `juniors` juniors. A learner is busy until their incident resolves (issue 15),
 * so a scenario of N open incidents with two learners each needs at least 2 x N juniors.
 */
export function team(juniors: number): EmulatedUser[] {
  const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC', 'Australia/Sydney'];
  const users: EmulatedUser[] = [{ id: CREATOR, name: 'casey', real_name: 'Casey Creator', email: 'casey@example.com', tz: 'Europe/Berlin' }];
  for (let i = 1; i <= juniors; i++) {
    const id = `U0J${String(i).padStart(5, '0')}`;
    users.push({ id, name: `junior${i}`, real_name: `Junior ${i}`, email: `junior${i}@example.com`, tz: zones[i % zones.length] });
  }
  return users;
}

// ------------------------------------------------------------------------------------------------
// The world
// ------------------------------------------------------------------------------------------------

export interface Secrets {
  botToken: string;
  signingSecret: string;
}

export function freshSecrets(): Secrets {
  return {
    botToken: `xoxb-${randomDigits(12)}-${randomDigits(13)}-${randomBytes(12).toString('hex')}`,
    signingSecret: randomBytes(16).toString('hex'),
  };
}

function randomDigits(n: number): string {
  return Array.from(randomBytes(n), (b) => String(b % 10)).join('');
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface StartAppOptions {
  poolMax?: number;
  /** the database URL the app uses (default: the world's; a TCP proxy's for outages) */
  databaseUrl?: string;
  /** a fixed port, so that Slack's redeliveries reach a restarted process */
  port?: number;
  env?: Record<string, string>;
}

export class World {
  readonly logBook = new LogBook();
  readonly apps: AppProcess[] = [];
  readonly secrets = freshSecrets();
  readonly emulator: SlackEmulator;
  readonly users: EmulatedUser[];
  readonly poolOf = new Map<string, number>();
  database!: TestDatabase;
  /** a connection of the test's own, for checks */
  pg!: Client;

  constructor(readonly name: string, juniors: number, seed = SEED, latencyMs = 0) {
    this.emulator = new SlackEmulator({ botToken: this.secrets.botToken, seed, latencyMs });
    this.users = team(juniors);
  }

  /** `latencyMs`: how long the emulated Slack takes to answer each call (real Slack: tens to hundreds of ms). */
  static async create(name: string, juniors: number, options: { seed?: number; latencyMs?: number } = {}): Promise<World> {
    const world = new World(name, juniors, options.seed ?? SEED, options.latencyMs ?? 0);
    world.database = await createTestDatabase();
    await world.emulator.start();
    for (const user of world.users) world.emulator.addUser(user);
    world.pg = new Client({ connectionString: world.database.url, application_name: 'faults-checks' });
    await world.pg.connect();
    return world;
  }

  async startApp(name: string, options: StartAppOptions = {}): Promise<AppProcess> {
    const poolMax = options.poolMax ?? 5;
    this.poolOf.set(`sj-${name}`, poolMax);
    const app = await AppProcess.start({
      name,
      logBook: this.logBook,
      env: appEnv({
        databaseUrl: options.databaseUrl ?? this.database.url,
        name,
        botToken: this.secrets.botToken,
        signingSecret: this.secrets.signingSecret,
        slackApiUrl: this.emulator.apiUrl,
        poolMax,
        extra: { ...SCENARIO_ENV, ...(options.port ? { PORT: String(options.port) } : {}), ...options.env },
      }),
    });
    this.apps.push(app);
    return app;
  }

  /** Resolves once the roster sync at start has recorded every human of the team. */
  async rosterSynced(timeoutMs = 30_000): Promise<void> {
    await waitUntil(async () => (await this.count('SELECT count(*) FROM engineers WHERE active')) >= this.users.length, 'the roster sync at start', timeoutMs);
  }

  async count(sql: string, params: unknown[] = []): Promise<number> {
    const { rows } = await this.pg.query<{ count: string }>(sql, params);
    return Number(rows[0]?.count ?? 0);
  }

  sender(appUrl: string): SlackSender {
    return new SlackSender({ appUrl, signingSecret: this.secrets.signingSecret, teamId: this.emulator.teamId, botUserId: this.emulator.botUserId });
  }

  async stop(): Promise<void> {
    await Promise.all(this.apps.map((a) => a.stop(5_000).catch(() => undefined)));
    // FAULTS_LOG_DIR keeps every app line of the scenario, for reading a failure afterwards.
    if (process.env.FAULTS_LOG_DIR) {
      mkdirSync(process.env.FAULTS_LOG_DIR, { recursive: true });
      writeFileSync(path.join(process.env.FAULTS_LOG_DIR, `${this.name}.log`), this.logBook.lines.map((l) => `${l.app} ${l.stream} ${l.text}`).join('\n') + '\n');
    }
    await this.pg?.end().catch(() => undefined);
    await this.emulator.stop();
    await this.database?.drop().catch(() => undefined);
  }
}

/** Polls until `check` is true, with a bound. */
export async function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

// ------------------------------------------------------------------------------------------------
// Slack's side of the Events API: sign, deliver, and redeliver anything not acknowledged
// ------------------------------------------------------------------------------------------------

/** Slack counts a delivery as failed when the answer takes longer than this (FACTS.md §5). */
export const ACK_DEADLINE_MS = 3_000;

export interface DeliveryStats {
  envelopes: number;
  /** HTTP requests made, redeliveries included */
  requests: number;
  acked: number;
  /** answered with a status that is not 2xx */
  refused: number;
  /** no answer: connection refused or reset, or slower than ACK_DEADLINE_MS */
  unanswered: number;
  /** time to answer, for every answered request, ms */
  answerMs: number[];
  /** time to answer of the non-2xx answers, ms */
  refusedMs: number[];
  statuses: Record<string, number>;
}

/**
 * Plays Slack: every envelope is delivered until the app acknowledges it with a 2xx, each
 * redelivery carrying X-Slack-Retry-Num. Real Slack gives up after 3 retries over about 5
 * minutes; the suite redelivers every `retryEveryMs` until `giveUpMs`, to count what the app
 * itself would lose.
 */
export class SlackPlayer {
  readonly stats: DeliveryStats = { envelopes: 0, requests: 0, acked: 0, refused: 0, unanswered: 0, answerMs: [], refusedMs: [], statuses: {} };

  constructor(
    private readonly url: () => string,
    private readonly signingSecret: string,
    private readonly options: { retryEveryMs?: number; giveUpMs?: number } = {},
  ) {}

  /** One HTTP request, as Slack makes it; undefined when nothing answered in time. */
  async post(envelope: Record<string, unknown>, retryNum: number): Promise<number | undefined> {
    const body = JSON.stringify(envelope);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)', ...signRequest(this.signingSecret, body) };
    if (retryNum > 0) {
      headers['x-slack-retry-num'] = String(retryNum);
      headers['x-slack-retry-reason'] = 'http_error';
    }
    this.stats.requests += 1;
    const started = performance.now();
    try {
      const res = await fetch(this.url(), { method: 'POST', headers, body, signal: AbortSignal.timeout(ACK_DEADLINE_MS) });
      await res.text();
      const ms = performance.now() - started;
      this.stats.answerMs.push(ms);
      this.stats.statuses[res.status] = (this.stats.statuses[res.status] ?? 0) + 1;
      if (res.status < 200 || res.status >= 300) {
        this.stats.refused += 1;
        this.stats.refusedMs.push(ms);
      }
      return res.status;
    } catch {
      this.stats.unanswered += 1;
      return undefined;
    }
  }

  /** Delivers until acknowledged; returns the number of requests it took. */
  async deliver(envelope: Record<string, unknown>, firstRetryNum = 0): Promise<number> {
    this.stats.envelopes += 1;
    const deadline = Date.now() + (this.options.giveUpMs ?? 120_000);
    for (let attempt = firstRetryNum; ; attempt++) {
      const status = await this.post(envelope, attempt);
      if (status !== undefined && status >= 200 && status < 300) {
        this.stats.acked += 1;
        return attempt - firstRetryNum + 1;
      }
      if (Date.now() > deadline) throw new Error(`event ${String(envelope.event_id)} was never acknowledged (last status ${status ?? 'none'})`);
      await new Promise((r) => setTimeout(r, this.options.retryEveryMs ?? 250));
    }
  }

  /** Delivers many, `concurrency` at a time, each lane waiting `paceMs` between envelopes. */
  async deliverAll(envelopes: Array<Record<string, unknown>>, concurrency = 8, paceMs = 0): Promise<void> {
    let next = 0;
    const lane = async () => {
      while (next < envelopes.length) {
        const envelope = envelopes[next++]!;
        await this.deliver(envelope);
        if (paceMs > 0) await new Promise((r) => setTimeout(r, paceMs));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, envelopes.length) }, lane));
  }
}

// ------------------------------------------------------------------------------------------------
// Incidents
// ------------------------------------------------------------------------------------------------

export interface Burst {
  channels: string[];
  envelopes: Array<Record<string, unknown>>;
}

/** How long the responders keep writing in a burst's channels, and how often. */
const CHATTER_FOR_MS = 180_000;
const CHATTER_EVERY_MS = 500;

/**
 * `count` incident channels created in the emulator, and the channel_created envelope of each.
 * The creator keeps writing in them for a while, as responders do: a prompt after the first is
 * skipped when nobody wrote since the previous one (SPEC.md section 5), and every scenario here
 * expects each learner's prompts to go out.
 */
export function incidentBurst(world: World, prefix: string, count: number): Burst {
  const sender = world.sender('http://unused.invalid');
  const channels: string[] = [];
  const envelopes: Array<Record<string, unknown>> = [];
  for (let i = 1; i <= count; i++) {
    const channel = world.emulator.addChannel({ name: `inc-${prefix}-${i}`, creator: CREATOR });
    channels.push(channel.id);
    envelopes.push(sender.envelope({ type: 'channel_created', channel: { id: channel.id, name: channel.name, created: channel.created, creator: CREATOR } }));
  }
  const chatter = setInterval(() => {
    for (const id of channels) if (world.emulator.channel(id)) world.emulator.say(id, CREATOR, 'still investigating');
  }, CHATTER_EVERY_MS);
  chatter.unref();
  setTimeout(() => clearInterval(chatter), CHATTER_FOR_MS).unref();
  return { channels, envelopes };
}

// ------------------------------------------------------------------------------------------------
// Counting effects in Slack, independently of the app's own records
// ------------------------------------------------------------------------------------------------

const okCall = (c: RecordedCall) => c.status === 200 && (c.response as { ok?: boolean })?.ok === true;

/** The ledger key a posted message carries in its metadata, if any. */
export const metadataKeyOf = (call: Pick<RecordedCall, 'args'>): string | undefined => {
  const key = (call.args.metadata as { event_payload?: { key?: unknown } } | undefined)?.event_payload?.key;
  return typeof key === 'string' ? key : undefined;
};

/**
 * Every effect Slack saw, by ledger key: a successful conversations.invite is the invite's key
 * (built as the app builds it); a posted message carries its key in metadata. Messages without a
 * key are counted apart. `channelOf` is where each keyed effect was made, and `dms` the keys that
 * went as a DM (posted to a user id, answered with the IM's id).
 */
export function effectsInSlack(emulator: SlackEmulator): { byKey: Map<string, number>; unkeyed: number; channelOf: Map<string, string>; dms: Set<string> } {
  const byKey = new Map<string, number>();
  const channelOf = new Map<string, string>();
  const dms = new Set<string>();
  let unkeyed = 0;
  const add = (key: string, channel: string) => {
    byKey.set(key, (byKey.get(key) ?? 0) + 1);
    channelOf.set(key, channel);
  };
  for (const call of emulator.calls) {
    if (!okCall(call)) continue;
    const channel = String(call.args.channel);
    if (call.method === 'conversations.invite') add(inviteKey(channel, String(call.args.users)), channel);
    if (call.method === 'chat.postMessage') {
      const key = metadataKeyOf(call);
      if (!key) {
        unkeyed += 1;
        continue;
      }
      add(key, channel);
      if ((call.response as { channel?: string }).channel !== channel) dms.add(key);
    }
  }
  return { byKey, unkeyed, channelOf, dms };
}

export interface OnceFigures {
  incidents: number;
  /** effects expected: EFFECTS_PER_INCIDENT per incident */
  expected: number;
  /** distinct effects seen in Slack */
  delivered: number;
  /** effects seen more than once (count of extra copies) */
  doubled: number;
  /** expected effects never seen in Slack, or ledger rows not sent */
  lost: number;
  /** effects in Slack with no ledger row */
  unexplained: number;
  /** stale claims taken over, and how many of those found the earlier attempt in Slack */
  takeovers: number;
  takeoversFound: number;
  details: string[];
}

/**
 * The exactly-once check of a burst: for every incident channel, the ledger must hold its
 * EFFECTS_PER_INCIDENT rows, all sent, and Slack must have seen each of them exactly once.
 */
/** Every key in the ledger: the deliveries' keys, and the digests' built from their rows' columns. */
async function ledgerKeys(world: World): Promise<Set<string>> {
  const deliveries = await world.pg.query<{ key: string }>('SELECT key FROM deliveries');
  const digests = await world.pg.query<{ slack_id: string; week: string }>(
    `SELECT e.slack_id, to_char(d.week_start, 'YYYY-MM-DD') AS week FROM digests d JOIN engineers e ON e.id = d.engineer_id`,
  );
  return new Set([...deliveries.rows.map((r) => r.key), ...digests.rows.map((r) => digestKey(r.slack_id, r.week))]);
}

export async function checkExactlyOnce(world: World, channels: string[]): Promise<OnceFigures> {
  const { byKey, channelOf, dms } = effectsInSlack(world.emulator);
  const { rows } = await world.pg.query<{ key: string; status: string; channel_id: string }>(
    `SELECT d.key, d.status::text AS status, i.channel_id FROM deliveries d JOIN incidents i ON i.id = d.incident_id WHERE i.channel_id = ANY($1)`,
    [channels],
  );
  const details: string[] = [];
  const rowsPerChannel = new Map<string, number>();
  let lost = 0;
  for (const row of rows) {
    rowsPerChannel.set(row.channel_id, (rowsPerChannel.get(row.channel_id) ?? 0) + 1);
    const seen = byKey.get(row.key) ?? 0;
    if (row.status !== 'sent' || seen === 0) {
      lost += 1;
      details.push(`lost: ${row.key} (ledger ${row.status}, seen ${seen} times in Slack)`);
    }
  }
  for (const channel of channels) {
    const planned = rowsPerChannel.get(channel) ?? 0;
    if (planned < EFFECTS_PER_INCIDENT) {
      lost += EFFECTS_PER_INCIDENT - planned;
      details.push(`lost: ${channel} has ${planned} of ${EFFECTS_PER_INCIDENT} effects planned`);
    }
  }
  const scope = new Set(channels);
  const known = new Set(rows.map((r) => r.key));
  // Keys are not parsed: an effect is in scope when its ledger row is, or, with no row anywhere in
  // the ledger, when it was made in one of these channels or sent as a DM (only the ledger tags DMs).
  const everywhere = await ledgerKeys(world);
  const inScope = (key: string) => known.has(key) || (!everywhere.has(key) && (scope.has(channelOf.get(key) ?? '') || dms.has(key)));
  let doubled = 0;
  let unexplained = 0;
  let delivered = 0;
  for (const [key, times] of byKey) {
    if (!inScope(key)) continue;
    delivered += 1;
    if (times > 1) {
      doubled += times - 1;
      details.push(`doubled: ${key} seen ${times} times`);
    }
    if (!known.has(key)) {
      unexplained += 1;
      details.push(`unexplained: ${key} is in Slack but not in the ledger`);
    }
  }
  const takeoverLines = world.logBook.json().filter((l) => l.msg === 'took over a delivery from a worker that stopped');
  return {
    incidents: channels.length,
    expected: channels.length * EFFECTS_PER_INCIDENT,
    delivered,
    doubled,
    lost,
    unexplained,
    takeovers: takeoverLines.length,
    takeoversFound: takeoverLines.filter((l) => l.foundEarlierAttempt === true).length,
    details: details.slice(0, 30),
  };
}

/** Resolves once every incident of the burst has all its effects recorded as sent. */
export async function burstComplete(world: World, channels: string[], timeoutMs = 90_000): Promise<void> {
  await waitUntil(
    async () => {
      const { rows } = await world.pg.query<{ sent: string; total: string }>(
        `SELECT count(*) FILTER (WHERE d.status = 'sent') AS sent, count(*) AS total
         FROM deliveries d JOIN incidents i ON i.id = d.incident_id WHERE i.channel_id = ANY($1)`,
        [channels],
      );
      return Number(rows[0]!.sent) >= channels.length * EFFECTS_PER_INCIDENT;
    },
    `all ${channels.length * EFFECTS_PER_INCIDENT} effects of ${channels.length} incidents`,
    timeoutMs,
    250,
  );
}

/** Every event acknowledged is stored once and processed. */
export async function eventFigures(world: World, eventIds: string[]): Promise<{ sent: number; stored: number; processed: number; duplicateRows: number }> {
  const { rows } = await world.pg.query<{ event_id: string; processed: boolean }>(
    'SELECT event_id, processed_at IS NOT NULL AS processed FROM slack_events WHERE event_id = ANY($1)',
    [eventIds],
  );
  return {
    sent: eventIds.length,
    stored: new Set(rows.map((r) => r.event_id)).size,
    processed: rows.filter((r) => r.processed).length,
    duplicateRows: rows.length - new Set(rows.map((r) => r.event_id)).size,
  };
}

// ------------------------------------------------------------------------------------------------
// Database connections, sampled from pg_stat_activity
// ------------------------------------------------------------------------------------------------

/** Samples every ~20 ms how many connections each app process (by application_name) holds on the world's database. */
export class ConnectionSampler {
  readonly peak = new Map<string, number>();
  samples = 0;
  private client: Client | undefined;
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly databaseName: string) {}

  async start(): Promise<void> {
    this.client = new Client({ connectionString: TEST_DATABASE_URL, application_name: 'faults-sampler' });
    await this.client.connect();
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const { rows } = await this.client!.query<{ application_name: string; n: number }>(
          "SELECT application_name, count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'sj-%' GROUP BY 1",
          [this.databaseName],
        );
        this.samples += 1;
        for (const row of rows) this.peak.set(row.application_name, Math.max(this.peak.get(row.application_name) ?? 0, row.n));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop?.catch(() => undefined);
    await this.client?.end().catch(() => undefined);
  }

  /** processes whose peak went above their pool size */
  overLimit(poolOf: Map<string, number>): string[] {
    return [...this.peak].filter(([app, n]) => n > (poolOf.get(app) ?? Number.POSITIVE_INFINITY)).map(([app, n]) => `${app}: ${n} > ${poolOf.get(app)}`);
  }

  summary(): Record<string, number> {
    return Object.fromEntries([...this.peak].sort());
  }
}

// ------------------------------------------------------------------------------------------------
// Secrets
// ------------------------------------------------------------------------------------------------

/** Slack token shapes; the logger's own mask (`xoxb-[redacted]`) is not a token. */
const TOKEN_SHAPE = /\b(?:xox[abposr]|xapp)-(?!\[redacted\])[A-Za-z0-9-]+/;

export function secretLeaks(world: World): { lines: number; leaks: string[]; masked: number } {
  const leaks: string[] = [];
  let masked = 0;
  for (const line of world.logBook.lines) {
    if (line.text.includes('[redacted]')) masked += 1;
    if (line.text.includes(world.secrets.botToken) || line.text.includes(world.secrets.signingSecret) || TOKEN_SHAPE.test(line.text)) {
      leaks.push(`${line.app}: ${line.text.slice(0, 300)}`);
    }
  }
  return { lines: world.logBook.lines.length, leaks, masked };
}

// ------------------------------------------------------------------------------------------------
// Time passing while an app is down
// ------------------------------------------------------------------------------------------------

/**
 * Makes the database look as if the app had been down for `ms`: running jobs past their
 * expireIn, delivery claims and taken events past their leases. Then runs
 * pg-boss's expiry, which a live process runs every maintenance interval, so that the expired
 * jobs are up for retry. This stands in for waiting (5 minutes of job expiry and 2 of
 * maintenance with the production settings) without changing what happens after it.
 */
export async function simulateDowntime(world: World, ms: number): Promise<{ jobs: number; claims: number; events: number }> {
  const interval = `${Math.ceil(ms / 1000)} seconds`;
  const jobs = await world.pg.query(`UPDATE pgboss.job SET started_on = started_on - $1::interval WHERE state = 'active'`, [interval]);
  const claims = await world.pg.query(`UPDATE deliveries SET claimed_at = claimed_at - $1::interval WHERE status = 'sending'`, [interval]);
  const events = await world.pg.query(`UPDATE slack_events SET available_at = available_at - $1::interval WHERE processed_at IS NULL`, [interval]);
  await runJobExpiry(world);
  return { jobs: jobs.rowCount ?? 0, claims: claims.rowCount ?? 0, events: events.rowCount ?? 0 };
}

/**
 * pg-boss's own expiry, as a live process runs it every maintenance interval: active jobs past
 * their expireIn go back to retry (or fail when out of retries).
 */
export async function runJobExpiry(world: World): Promise<void> {
  const boss = new PgBoss({ connectionString: world.database.url, supervise: false, schedule: false, migrate: false, application_name: 'faults-maintenance' });
  boss.on('error', () => undefined);
  await boss.start();
  try {
    await boss.expire();
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

/**
 * A job whose failure pg-boss could not record (the database was away) stays active until its
 * expireIn (300 s for most jobs here) and the next maintenance (120 s). Stands in for that wait:
 * jobs started before `before` are made past their expiry and the expiry is run.
 */
export async function expireJobsStartedBefore(world: World, before: Date): Promise<number> {
  const { rowCount } = await world.pg.query(`UPDATE pgboss.job SET started_on = started_on - interval '1 hour' WHERE state = 'active' AND started_on < $1`, [before]);
  await runJobExpiry(world);
  return rowCount ?? 0;
}

// ------------------------------------------------------------------------------------------------
// Figures
// ------------------------------------------------------------------------------------------------

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 10) / 10;
}

/**
 * Appends one scenario's figures to $FAULTS_REPORT (default: smokejumper-faults.jsonl in the
 * temp folder) and prints one line, so a run's figures can be read back for RELIABILITY.md.
 */
export function report(scenario: string, figures: Record<string, unknown>): void {
  const file = process.env.FAULTS_REPORT ?? path.join(os.tmpdir(), 'smokejumper-faults.jsonl');
  mkdirSync(path.dirname(file), { recursive: true });
  const line = JSON.stringify({ scenario, at: new Date().toISOString(), seed: SEED, ...figures });
  appendFileSync(file, `${line}\n`);
  process.stderr.write(`[faults] ${line}\n`);
}
