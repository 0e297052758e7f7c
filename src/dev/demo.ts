/**
 * `npm run demo`: the whole product, offline, in well under a minute (SPEC.md section 1).
 *
 * An embedded PostgreSQL (PGlite; or a fresh database on the server at DATABASE_URL), the Slack
 * workspace emulator with a sample team, and the real app: `start()` from main.ts, the same Bolt
 * app, migrations and durable jobs as `npm start`. The story (demo/story.ts) is driven only through
 * what Slack would send (signed events, a slash command, button clicks, a modal submission), and
 * what the app sends back is read from the emulator and printed as a transcript (demo/transcript.ts).
 *
 * The demo's clock is fixed (Wednesday 25 November 2026, 10:00 in Berlin) and moves only when the
 * story moves on, and every printed line comes from it or from the data, so two runs print the
 * same transcript. The app's logs go to stderr and are off unless LOG_LEVEL is set;
 * DEMO_TIMING=1 prints how long each step took, on stderr too.
 */
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { loadConfig } from '../config';
import { loadCandidates } from '../db/engineers';
import { createLogger } from '../log';
import { start } from '../main';
import { backfillThePast } from './demo/backfill';
import { growthStory } from './demo/growth';
import { keepRunning } from './demo/live';
import { practiceFire } from './demo/practice';
import { DEMO_START, HOME_ZONE, MARTA, PRIYA, PROMPT_SCHEDULE } from './demo/script';
import { adminView, incidentOpens, incidentResolves, reflection, seedTeam, showMetrics, showTeam, someoneVolunteers, weeklyDigest } from './demo/story';
import { longDate, out, type Names } from './demo/transcript';
import { userName, type World } from './demo/world';
import { startEmbeddedPostgres } from './embedded-postgres';
import { sampleUsers } from './sample-team';
import { createScratchDatabase } from './scratch-database';
import { ResponseUrlSink, SlackEmulator } from './slack-emulator';
import { SlackSender } from './slack-sender';

interface DemoDatabase {
  url: string;
  description: string;
  stop(): Promise<void>;
}

async function provideDatabase(): Promise<DemoDatabase> {
  const serverUrl = process.env.DATABASE_URL?.trim();
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres();
    return { url: embedded.url, description: 'an embedded PostgreSQL (PGlite), fresh for this run', stop: () => embedded.stop() };
  }
  // Never the database DATABASE_URL names: the demo's sample team would end up among real people.
  const scratch = await createScratchDatabase(serverUrl, 'smokejumper_demo');
  return { url: scratch.url, description: 'a fresh database on the PostgreSQL server at DATABASE_URL, dropped at the end', stop: scratch.drop };
}

const USAGE = [
  'usage: npm run demo [-- --keep-running]',
  '  --keep-running  after the story, keep the app, the emulator and the database running, print',
  '                  every Slack call the app makes, and create incidents from the keyboard',
].join('\n');

async function run(argv: readonly string[]): Promise<void> {
  const unknown = argv.filter((a) => !['--keep-running', '--help', '-h'].includes(a));
  if (unknown.length > 0 || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${unknown.length > 0 ? `demo: unknown argument "${unknown[0]}"\n` : ''}${USAGE}\n`);
    if (unknown.length > 0) process.exitCode = 2;
    return;
  }
  const started = Date.now();
  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch((err: unknown) => process.stderr.write(`demo: cleanup: ${(err as Error).message}\n`));
    cleanups.length = 0;
  };
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    process.stderr.write('demo: interrupted, cleaning up\n');
    void cleanup().then(() => process.exit(130));
  });

  try {
    const database = await provideDatabase();
    cleanups.push(() => database.stop());
    const emulator = new SlackEmulator({ seed: 1 });
    await emulator.start();
    cleanups.push(() => emulator.stop());
    for (const user of sampleUsers()) emulator.addUser(user);
    const responses = new ResponseUrlSink();
    await responses.start();
    cleanups.push(() => responses.stop());

    // The demo's clock stands still between steps, so that every time and duration it prints is
    // exact; delays such as the prompt schedule still pass, as the job queue runs on real time.
    let current = DEMO_START;
    let ticking: number | null = null;
    const clock = () => new Date(ticking === null ? current.getTime() : Date.now() + ticking);
    const signingSecret = randomBytes(16).toString('hex');
    const environment = (role: 'web' | 'worker') => loadConfig(
      {
        // Deployed as operators run it at scale (ROLE, SPEC.md section 8): a web process that only
        // verifies, stores and acknowledges, and a worker that does the work, on one database.
        ROLE: role,
        DATABASE_URL: database.url,
        // PGlite serves one query at a time; a few connections are plenty and keep waits short.
        DATABASE_POOL_MAX: '4',
        SLACK_BOT_TOKEN: emulator.botToken,
        SLACK_SIGNING_SECRET: signingSecret,
        SLACK_API_URL: emulator.apiUrl,
        PORT: '0',
        METRICS_PORT: '0',
        // Marta is the demo's admin: the last scene is her Home tab's report section.
        ADMIN_USER_IDS: MARTA,
        METRICS_HOST: '127.0.0.1',
        PROMPT_SCHEDULE,
        // The story opens with @Marta alone in a fresh channel and shows selection at once;
        // INVITE_DELAY and the one-learner-per-responder cap are shown by the tests and SPEC.md section 4.
        INVITE_DELAY: '0s',
        MAX_LEARNERS_PER_RESPONDER: '0',
      },
      'start',
    );
    const config = environment('web');
    const log = createLogger(process.env.LOG_LEVEL?.trim() || 'silent', pino.destination(2));
    const worker = await start(environment('worker'), log.child({ role: 'worker' }), { clock });
    cleanups.push(() => worker.stop());
    const app = await start(config, log.child({ role: 'web' }), { clock });
    cleanups.push(() => app.stop());

    const names: Names = { user: userName(emulator), channel: (id) => emulator.channel(id)?.name ?? id };
    const w: World = {
      app,
      worker,
      config,
      emulator,
      sender: new SlackSender({ appUrl: `${app.url}/slack/events`, signingSecret, teamId: emulator.teamId, botUserId: emulator.botUserId }),
      responses,
      names,
      setTime(time) {
        current = time;
        ticking = null;
      },
      tickFrom(time) {
        ticking = time.getTime() - Date.now();
      },
      now: clock,
      seconds: () => Math.floor(clock().getTime() / 1000),
    };

    out.line('Smokejumper demo');
    out.line('════════════════');
    out.para(`The real app (the same Bolt app, migrations and durable jobs as \`npm start\`) runs against ${database.description}, and a Slack workspace emulator, deployed in two roles as at scale: a \`web\` process that verifies, stores and acknowledges what Slack sends, and a \`worker\` that does the work (ROLE). Everything below happens through what Slack would send: signed events, a slash command, button clicks and a form. The clock is the demo's own: ${longDate(DEMO_START, HOME_ZONE)} in Berlin.`, '');

    await seedTeam(w);
    await backfillThePast(w);
    const candidates = await loadCandidates(app.deps.db, w.now());
    showTeam(w, candidates);
    const { channelId, incidentId, learners } = await incidentOpens(w, candidates);
    await someoneVolunteers(w, channelId, incidentId);
    await incidentResolves(w, channelId, [...learners, PRIYA]);
    await reflection(w, incidentId);
    await weeklyDigest(w);
    await showMetrics(w);
    await adminView(w);
    await growthStory(w);
    await practiceFire(w);
    if (argv.includes('--keep-running')) {
      await keepRunning(w);
    } else {
      out.line('');
      out.line('Done. `npm run demo -- --keep-running` leaves it all running to try by hand; `npm start` runs the');
      out.line('same app against a real workspace (README.md).');
    }
  } finally {
    if (!interrupted) await cleanup();
    process.stderr.write(`demo: finished in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
}

run(process.argv.slice(2)).then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    process.stderr.write(`demo failed: ${(error as Error).stack ?? String(error)}\nRun with LOG_LEVEL=info to see the app's own logs (on stderr).\n`);
    process.exit(1);
  },
);
