import type { RecordedCall } from '../../src/dev/slack-emulator';
import { lastDueWeek } from '../../src/domain/iso-week';
import { parseDigestSchedule } from '../../src/config';
import { migrate } from '../../src/db/migrator';
import { appEnv, runCli, type AppProcess, type CliResult } from '../helpers/app-process';
import { requiresRealPostgres } from '../helpers/database';
import {
  burstComplete,
  checkExactlyOnce,
  ConnectionSampler,
  eventFigures,
  incidentBurst,
  report,
  SCENARIO_ENV,
  secretLeaks,
  SEED,
  seededRandom,
  SlackPlayer,
  waitUntil,
  World,
} from './support';

/**
 * Two replicas on one database under a burst (SPEC.md sections 5, 7, 8): events reach either
 * replica at random, a quarter of them both at the same moment (a retry behind a load balancer).
 * Meanwhile the weekly digests fall due, and `npm run digest` is run twice at once for the same
 * week on top of the scheduled check. Each effect happens once, each incident's learners are
 * chosen once, each prompt has one job, each digest goes out once.
 */
const INCIDENTS = 40;
const POOL_MAX = 4;
const DIGEST_SCHEDULE = 'Mon 00:00';

requiresRealPostgres('two app processes share one database')('fault: two replicas, one database', () => {
  let world: World;
  let sampler: ConnectionSampler;
  let replicas: AppProcess[];
  const random = seededRandom(SEED + 2);

  let digestClis: Promise<CliResult[]>;
  let digestWeek: string;
  let outcome: Awaited<ReturnType<typeof runReplicas>>;

  // The burst, the digests and both replicas run here, once; the tests below check one side each, in any order.
  beforeAll(async () => {
    // Slack answering in 20 ms, as it rarely does faster, so that the senders below overlap.
    world = await World.create('replicas', 90, { latencyMs: 20 });
    // Everyone was known a month ago, so last week's digest is theirs to get (a person added after it fell due is skipped).
    for (const user of world.users) {
      await world.pg.query(`INSERT INTO engineers (slack_id, name, email, time_zone, created_at, updated_at) VALUES ($1, $2, $3, $4, now() - interval '30 days', now())`, [
        user.id,
        user.real_name,
        user.email,
        user.tz,
      ]);
    }
    sampler = new ConnectionSampler(world.database.name);
    await sampler.start();

    // The week most people are due for; anyone due for another week gets that one from the scheduled check.
    const schedule = parseDigestSchedule(DIGEST_SCHEDULE);
    const weeks = world.users.map((u) => lastDueWeek(new Date(), u.tz ?? 'UTC', schedule).weekStart);
    digestWeek = [...new Set(weeks)].sort((a, b) => weeks.filter((w) => w === b).length - weeks.filter((w) => w === a).length)[0]!;
    const cli = (n: number) => {
      world.poolOf.set(`sj-digest-cli-${n}`, 2);
      return runCli({
        name: `digest-cli-${n}`,
        script: 'src/cli/digest.ts',
        args: ['--week', digestWeek],
        logBook: world.logBook,
        env: appEnv({ databaseUrl: world.database.url, name: `digest-cli-${n}`, botToken: world.secrets.botToken, signingSecret: world.secrets.signingSecret, slackApiUrl: world.emulator.apiUrl, poolMax: 2, extra: SCENARIO_ENV }),
      });
    };
    // Everyone had a fire in that week, so that their digest has something in it: a quiet week sends
    // none (SPEC.md section 7), and this scenario is about each digest going out once.
    await migrate(world.database.url);
    await hadAFireIn(digestWeek);
    // `npm run digest` twice at once, started with the replicas, whose scheduled due check runs at start.
    digestClis = Promise.all([cli(1), cli(2)]);

    // One after the other: two replicas starting at the same moment on a fresh database can deadlock in
    // pg-boss's createQueue (reported in RELIABILITY.md); the burst below runs with both up.
    replicas = [];
    for (const name of ['replica-a', 'replica-b']) replicas.push(await world.startApp(name, { poolMax: POOL_MAX, env: { DIGEST_SCHEDULE } }));
    await world.rosterSynced();
    outcome = await runReplicas();
  }, 330_000);

  /** Each user known for months, and in one resolved incident on the Wednesday of `week` (noon UTC: Wednesday in every zone). */
  async function hadAFireIn(week: string): Promise<void> {
    const at = new Date(`${week}T12:00:00Z`);
    at.setUTCDate(at.getUTCDate() + 2);
    const { rows: [incident] } = await world.pg.query<{ id: number }>(
      `INSERT INTO incidents (channel_id, name, opened_at, resolved_at, selected_at) VALUES ('C0LASTWEEK', 'inc-last-week', $1, $1::timestamptz + interval '1 hour', $1) RETURNING id`,
      [at],
    );
    for (const u of world.users) {
      const { rows: [engineer] } = await world.pg.query<{ id: number }>(
        `INSERT INTO engineers (slack_id, name, time_zone, created_at) VALUES ($1, $2, $3, now() - interval '90 days')
         ON CONFLICT (slack_id) DO UPDATE SET created_at = EXCLUDED.created_at RETURNING id`,
        [u.id, u.real_name ?? u.name, u.tz ?? 'UTC'],
      );
      await world.pg.query(`INSERT INTO participations (engineer_id, incident_id, role, source, joined_at) VALUES ($1, $2, 'responder', 'self_joined', $3)`, [engineer!.id, incident!.id, at]);
    }
  }

  afterAll(async () => {
    await sampler?.stop();
    await world?.stop();
  });

  async function runReplicas() {
    const players = replicas.map((r) => new SlackPlayer(() => r.eventsUrl, world.secrets.signingSecret));
    const burst = incidentBurst(world, 'replicas', INCIDENTS);
    const sender = world.sender('http://unused.invalid');
    const eventIds = burst.envelopes.map((e) => e.event_id as string);
    let toBoth = 0;
    const spread = async (envelope: Record<string, unknown>) => {
      if (random() < 0.25) {
        toBoth += 1;
        await Promise.all(players.map((p) => p.deliver(envelope)));
      } else {
        await players[random() < 0.5 ? 0 : 1]!.deliver(envelope);
      }
    };
    const joins: Array<Promise<void>> = [];
    const onCall = (call: RecordedCall) => {
      if (call.method !== 'conversations.invite' || (call.response as { ok?: boolean }).ok !== true) return;
      const envelope = sender.envelope({ type: 'member_joined_channel', user: String(call.args.users), channel: String(call.args.channel), channel_type: 'C', team: world.emulator.teamId });
      eventIds.push(envelope.event_id as string);
      joins.push(spread(envelope));
    };

    world.emulator.on('call', onCall);
    let clis;
    try {
      [clis] = await Promise.all([digestClis, Promise.all(burst.envelopes.map(spread))]);
      await burstComplete(world, burst.channels);
      await waitUntil(() => joins.length >= INCIDENTS * 2, 'a member_joined_channel for every invite');
      await Promise.all(joins);
    } finally {
      world.emulator.off('call', onCall);
    }
    await waitUntil(async () => (await eventFigures(world, eventIds)).processed === eventIds.length, 'every stored event processed');
    // The scheduled due check runs every minute on one replica or the other; it must have run at least once.
    await waitUntil(async () => (await world.count(`SELECT count(*) FROM pgboss.job WHERE name = 'weekly-digest' AND state = 'completed'`)) + (await world.count(`SELECT count(*) FROM pgboss.archive WHERE name = 'weekly-digest' AND state = 'completed'`)) > 0, 'a scheduled digest check', 90_000, 500);
    await waitUntil(async () => (await world.count(`SELECT count(*) FROM digests WHERE status = 'sent'`)) >= world.users.length, 'every digest sent', 90_000, 500);

    const once = await checkExactlyOnce(world, burst.channels);
    const events = await eventFigures(world, eventIds);
    const chosen = world.logBook.json().filter((l) => l.msg === 'learners chosen');
    const handledBy = new Map<string, number>();
    for (const l of world.logBook.lines) if (l.text.includes('"msg":"learners chosen"')) handledBy.set(l.app, (handledBy.get(l.app) ?? 0) + 1);

    const { rows: promptJobs } = await world.pg.query<{ key: string; jobs: string; completed: string }>(`
      SELECT data->>'key' AS key, count(*) AS jobs, count(*) FILTER (WHERE state = 'completed') AS completed
      FROM (SELECT data, state FROM pgboss.job WHERE name = 'send-prompt' UNION ALL SELECT data, state FROM pgboss.archive WHERE name = 'send-prompt') j
      GROUP BY 1`);
    const { rows: digestRows } = await world.pg.query<{ slack_id: string; sent: string }>(
      `SELECT e.slack_id, count(*) FILTER (WHERE d.status = 'sent') AS sent FROM engineers e LEFT JOIN digests d ON d.engineer_id = e.id GROUP BY 1`,
    );
    // Digest DMs carry their ledger key (`digest:<user>:<week>`) as message metadata: counted per person in Slack.
    const digestDms = new Map<string, number>();
    for (const call of world.emulator.callsTo('chat.postMessage')) {
      if (call.status !== 200 || (call.response as { ok?: boolean }).ok !== true) continue;
      const raw = call.args.metadata;
      const metadata = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { event_payload?: { key?: string } } | undefined;
      const key = metadata?.event_payload?.key;
      if (!key?.startsWith('digest:')) continue;
      const user = key.split(':')[1]!;
      digestDms.set(user, (digestDms.get(user) ?? 0) + 1);
    }
    const digestMismatch = digestRows.filter((r) => (digestDms.get(r.slack_id) ?? 0) !== Number(r.sent) || Number(r.sent) < 1);
    const digestDoubled = [...digestDms.values()].reduce((n, v) => n + Math.max(0, v - 1), 0);

    report('replicas', {
      events: eventIds.length,
      deliveredToBoth: toBoth,
      selections: chosen.length,
      selectionsByReplica: Object.fromEntries(handledBy),
      promptJobs: promptJobs.length,
      promptJobsNotOne: promptJobs.filter((j) => j.jobs !== '1' || j.completed !== '1').length,
      digestWeek,
      digestCli: clis!.map((c) => c.stdout.split('\n').pop()),
      digests: digestRows.length,
      digestDms: [...digestDms.values()].reduce((a, b) => a + b, 0),
      digestDoubled,
      digestMismatch: digestMismatch.length,
      ...events,
      ...once,
      connections: sampler.summary(),
    });
    return { clis: clis!, once, events, eventIds, chosen, handledBy, promptJobs, digestRows, digestMismatch, digestDoubled };
  }

  it('gives each effect, selection, prompt job and digest once, with events spread over both replicas', () => {
    const { clis, once, events, eventIds, chosen, handledBy, promptJobs, digestRows, digestMismatch, digestDoubled } = outcome;
    expect(clis.map((c) => c.code)).toEqual([0, 0]);
    expect(once.incidents).toBe(INCIDENTS);
    expect(once.details).toEqual([]);
    expect({ doubled: once.doubled, lost: once.lost, unexplained: once.unexplained, delivered: once.delivered }).toEqual({ doubled: 0, lost: 0, unexplained: 0, delivered: once.expected });
    expect(events).toEqual({ sent: eventIds.length, stored: eventIds.length, processed: eventIds.length, duplicateRows: 0 });
    expect(chosen).toHaveLength(INCIDENTS);
    // Both replicas did work.
    expect([...handledBy.keys()].sort()).toEqual(['replica-a', 'replica-b']);
    // Per learner: the welcome DM and prompt 2 (PROMPT_SCHEDULE 0s,2s); the creator leads, so no mentor DM.
    expect(promptJobs).toHaveLength(INCIDENTS * 2 * 2);
    expect(promptJobs.filter((j) => j.jobs !== '1' || j.completed !== '1')).toEqual([]);
    expect(digestRows.length).toBeGreaterThan(0);
    expect(digestMismatch).toEqual([]);
    expect(digestDoubled).toBe(0);
  });

  it('never holds more database connections than DATABASE_POOL_MAX in either replica or CLI', () => {
    expect(sampler.samples).toBeGreaterThan(50);
    expect(sampler.peak.get('sj-replica-a')).toBeGreaterThan(0);
    expect(sampler.peak.get('sj-replica-b')).toBeGreaterThan(0);
    expect(sampler.overLimit(world.poolOf)).toEqual([]);
  });

  it('starts two replicas at the same moment on a fresh database, three times out of three', async () => {
    const outcomes: string[] = [];
    let leaks = 0;
    let lines = 0;
    for (let round = 1; round <= 3; round++) {
      const fresh = await World.create(`replicas-start-${round}`, 2);
      try {
        const started = await Promise.allSettled(['a', 'b'].map((n) => fresh.startApp(`start-${round}-${n}`)));
        outcomes.push(started.map((r) => (r.status === 'fulfilled' ? 'up' : `failed: ${String(r.reason).split('\n').find((l) => l.includes('"msg"'))?.slice(0, 200) ?? String(r.reason).slice(0, 200)}`)).join(' | '));
      } finally {
        await fresh.stop();
        const scan = secretLeaks(fresh);
        lines += scan.lines;
        leaks += scan.leaks.length;
      }
    }
    report('replicas/simultaneous-start', { rounds: outcomes, lines, leaks });
    expect(lines).toBeGreaterThan(0);
    expect(leaks).toBe(0);
    expect(outcomes).toEqual(['up | up', 'up | up', 'up | up']);
  }, 120_000);

  it('writes no token or signing secret into any log line', () => {
    const scan = secretLeaks(world);
    report('replicas/secrets', { lines: scan.lines, leaks: scan.leaks.length, masked: scan.masked });
    expect(scan.lines).toBeGreaterThan(0);
    expect(scan.leaks).toEqual([]);
  });
});
