import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { start, type Running, type StartOptions } from '../../src/main';
import { SlackEmulator, type EmulatedUser } from '../../src/dev/slack-emulator';
import { SlackSender } from '../../src/dev/slack-sender';
import { createTestDatabase, type TestDatabase } from './database';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
/** Wednesday 25 November 2026, 10:00 in Berlin: working hours there. */
export const WEDNESDAY_MORNING_BERLIN = new Date('2026-11-25T09:00:00Z');

export interface Harness {
  app: Running;
  emulator: SlackEmulator;
  sender: SlackSender;
  database: TestDatabase;
  /** the app's clock */
  clock: () => Date;
  /** moves the app's clock; it keeps ticking from there */
  setNow(date: Date): void;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  users?: EmulatedUser[];
  env?: Record<string, string>;
  now?: Date;
  database?: TestDatabase;
  /** user groups in the workspace before the app starts */
  userGroups?: Array<{ handle: string; users: string[] }>;
  /** a Slack emulator shared with another harness (a `web` and a `worker` on one workspace); the caller stops it */
  emulator?: SlackEmulator;
  /** passed to start(), beside the clock */
  start?: Omit<StartOptions, 'clock'>;
}

/** The real app (Bolt over HTTP, jobs, PostgreSQL) against the Slack emulator, on free ports. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const database = options.database ?? (await createTestDatabase());
  const emulator = options.emulator ?? new SlackEmulator();
  if (!options.emulator) await emulator.start();
  for (const user of options.users ?? []) emulator.addUser(user);
  for (const group of options.userGroups ?? []) emulator.addUserGroup(group);
  let offset = (options.now ?? WEDNESDAY_MORNING_BERLIN).getTime() - Date.now();
  const clock = () => new Date(Date.now() + offset);
  const config = loadConfig(
    {
      DATABASE_URL: database.url,
      SLACK_BOT_TOKEN: emulator.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: emulator.apiUrl,
      PORT: '0',
      METRICS_PORT: '0',
      METRICS_HOST: '127.0.0.1',
      // Most tests are about what follows a selection, in a channel holding only its creator: they
      // select at once and by the other rules. The tests of INVITE_DELAY and the channel-size cap
      // (incident-reading.test.ts) set these back to real values.
      INVITE_DELAY: '0s',
      MAX_LEARNERS_PER_RESPONDER: '0',
      ...options.env,
    },
    'start',
  );
  const app = await start(config, createLogger(process.env.LOG_LEVEL ?? 'silent'), { ...options.start, clock }).catch(async (error: unknown) => {
    // A start-up that fails (a test of a configuration error) leaves nothing running.
    if (!options.emulator) await emulator.stop();
    if (!options.database) await database.drop();
    throw error;
  });
  const sender = new SlackSender({ appUrl: `${app.url}/slack/events`, signingSecret: SIGNING_SECRET, teamId: emulator.teamId, botUserId: emulator.botUserId, eventClock: clock });
  const humans = (options.users ?? []).filter((u) => !u.is_bot && !u.deleted && !u.is_restricted && !u.is_ultra_restricted).length;
  await waitUntil(async () => (await app.deps.db.engineer.count({ where: { active: true } })) >= humans, 'the roster sync at start');
  return {
    app,
    emulator,
    sender,
    database,
    clock,
    setNow(date) {
      offset = date.getTime() - Date.now();
    },
    async stop() {
      await app.stop();
      // pg-boss 10's stop resolves once no job is in progress, but its manager keeps polling (every
      // 1 s, node_modules/pg-boss/src/manager.js stopWorkers) until each worker's fetch loop has
      // seen the stop, up to a polling interval later. A test file that ended in between would have
      // its module registry torn down under that loop ("Cannot destructure property 'setTimeout'").
      await new Promise((resolve) => setTimeout(resolve, WORKER_LOOPS_SETTLE_MS));
      if (!options.emulator) await emulator.stop();
      if (!options.database) await database.drop();
    },
  };
}

/** pg-boss's worker polling interval (0.5 s, src/jobs/queue.ts) plus its manager's 1 s stop check. */
const WORKER_LOOPS_SETTLE_MS = 1_600;

/** A Home tab button as Slack posts it: block_actions from a view container, with no response_url. */
export async function pressHomeButton(h: Harness, user: string, actionId: string, value: string, blockId = 'home'): Promise<void> {
  const view = h.emulator.homeViewOf(user)!;
  const res = await h.sender.interaction({
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: h.emulator.teamId },
    trigger_id: '398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
    container: { type: 'view', view_id: view.id },
    view,
    actions: [{ action_id: actionId, block_id: blockId, text: { type: 'plain_text', text: 'x', emoji: true }, value, type: 'button', action_ts: '1795595401.000200' }],
  });
  if (res.status !== 200 || res.body !== '') throw new Error(`the button ${actionId} was answered ${res.status} ${res.body}`);
}

/** Polls until `check` is true, with a bound; tests never sleep blindly for a job. */
export async function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function person(id: string, name: string, tz = 'Europe/Berlin', extra: Partial<EmulatedUser> = {}): EmulatedUser {
  return { id, name: name.toLowerCase(), real_name: name, email: `${name.toLowerCase()}@example.com`, tz, ...extra };
}
