import { Pool } from 'pg';
import { SlackEmulator } from '../src/dev/slack-emulator';
import { SlackSender } from '../src/dev/slack-sender';
import { startChild, type ChildServer } from './child';
import { createBenchDatabase, type BenchDatabase } from './database';
import { BENCH_NOW, emulatedUsers, inWorkingHours, organisation, seedDigestWeek, seedEngineers, seedHistory, type HistoryCounts, type Person } from './data';

export const SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';
export const POOL_MAX = 5;

/** One company under test: its database, its Slack (the emulator), and the real app in a child process. */
export interface Organisation {
  label: string;
  people: Person[];
  database: BenchDatabase;
  /** the bench's own connection to the same database, for seeding and inspection (not counted as the app's) */
  pool: Pool;
  emulator: SlackEmulator;
  app: ChildServer;
  /** ROLE=worker processes beside a ROLE=web app (OrganisationOptions.workers) */
  workers: ChildServer[];
  sender: SlackSender;
  history: HistoryCounts;
  inWorkingHours: number;
  seedMs: number;
  /** the app's clock: BENCH_NOW, ticking from when the app started */
  now(): Date;
  stop(): Promise<void>;
}

export interface OrganisationOptions {
  engineers: number;
  participations: number;
  env?: Record<string, string>;
  /** run the app as ROLE=web and this many ROLE=worker processes beside it (default 0: one ROLE=all process) */
  workers?: number;
}

/** Polls `check` every 50 ms, with a bound. */
export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startOrganisation(label: string, options: OrganisationOptions): Promise<Organisation> {
  const database = await createBenchDatabase(label);
  const pool = new Pool({ connectionString: database.url, max: 2, application_name: 'smokejumper-bench' });
  // Dropping the database at the end ends idle connections; that is expected, not a crash.
  pool.on('error', () => undefined);
  let emulator: SlackEmulator | undefined;
  const started: ChildServer[] = [];
  try {
    return await startWith(label, options, database, pool, (e) => (emulator = e), (a) => started.push(a));
  } catch (error) {
    for (const child of started) await child.stop().catch(() => undefined);
    await emulator?.stop().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await database.drop().catch(() => undefined);
    throw error;
  }
}

async function startWith(
  label: string,
  options: OrganisationOptions,
  database: BenchDatabase,
  pool: Pool,
  emulatorStarted: (e: SlackEmulator) => void,
  appStarted: (a: ChildServer) => void,
): Promise<Organisation> {
  const people = organisation(options.engineers);
  const seedStarted = Date.now();
  await seedEngineers(pool, people, BENCH_NOW);
  await seedDigestWeek(pool);
  const history = options.participations > 0
    ? await seedHistory(pool, options.participations, BENCH_NOW)
    : { incidents: 0, participations: 0, deliveries: 0, learnings: 0 };
  const seedMs = Date.now() - seedStarted;

  const emulator = new SlackEmulator();
  await emulator.start();
  emulatorStarted(emulator);
  for (const user of emulatedUsers(people)) emulator.addUser(user);
  const startedAt = Date.now();
  const env = {
    DATABASE_URL: database.url,
    DATABASE_POOL_MAX: String(POOL_MAX),
    SLACK_BOT_TOKEN: emulator.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: emulator.apiUrl,
    PORT: '0',
    METRICS_PORT: '0',
    METRICS_HOST: '127.0.0.1',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    BENCH_NOW: BENCH_NOW.toISOString(),
    // SPEC.md section 2 defaults, whatever the shell or a .env says: the figures are for these.
    SLACK_APP_TOKEN: '',
    INCIDENT_CHANNEL_PATTERN: '^(inc|incident)[-_]',
    RESOLVED_CHANNEL_PATTERN: '^(resolved|closed)[-_]',
    INVITES_PER_INCIDENT: '2',
    MAX_VOLUNTEERS_PER_INCIDENT: '3',
    MAX_AUTO_INVITES_PER_WEEK: '2',
    WORKING_HOURS: '09:00-18:00',
    WORKING_DAYS: 'Mon-Fri',
    PROMPT_SCHEDULE: '0s,10m,30m',
    DIGEST_SCHEDULE: 'Mon 09:00',
    // Not the defaults: `invite` times the selection itself, from the event on, in channels that
    // hold only their creator (INVITE_DELAY only postpones it; the size cap would allow one learner).
    INVITE_DELAY: '0s',
    MAX_LEARNERS_PER_RESPONDER: '0',
    ...options.env,
  };
  const split = (options.workers ?? 0) > 0;
  const app = await startChild(`app-${label}${split ? '-web' : ''}`, 'app', { ...env, ROLE: split ? 'web' : 'all' });
  appStarted(app);
  const workers: ChildServer[] = [];
  for (let i = 1; i <= (options.workers ?? 0); i++) {
    const worker = await startChild(`app-${label}-worker-${i}`, 'app', { ...env, ROLE: 'worker' });
    appStarted(worker);
    workers.push(worker);
  }
  const offset = BENCH_NOW.getTime() - startedAt;
  const now = () => new Date(Date.now() + offset);
  const sender = new SlackSender({ appUrl: `${app.url}/slack/events`, signingSecret: SIGNING_SECRET, teamId: emulator.teamId, botUserId: emulator.botUserId, eventClock: now });
  // The roster sync at start rewrites every engineer once; measuring before it ends would measure it.
  await waitFor(
    async () => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM engineers WHERE synced_at > $1', [BENCH_NOW])).rows[0]!.n >= people.length,
    `the roster sync of ${people.length} people at start`,
    120_000,
  );
  return {
    label,
    people,
    database,
    pool,
    emulator,
    app,
    workers,
    sender,
    history,
    inWorkingHours: inWorkingHours(people, BENCH_NOW),
    seedMs,
    now,
    async stop() {
      await app.stop();
      for (const worker of workers) await worker.stop();
      await emulator.stop();
      await pool.end();
      await database.drop();
    },
  };
}

/** Seniors (not mentors, not opted out) to create incident channels and respond in them. */
export function responders(people: readonly Person[], count: number): Person[] {
  return people.filter((p) => (p.level === 'senior' || p.level === 'staff') && !p.optedOut).slice(0, count);
}
