import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { signRequest } from '../src/dev/slack-sender';
import { startChild, type ChildServer } from './child';
import { createBenchDatabase, type BenchDatabase } from './database';
import { POOL_MAX, SIGNING_SECRET, startOrganisation, waitFor, type Organisation } from './org';
import { ms, type BenchOptions, type BenchResult } from './result';
import { mapLimit, ratio, round, summarize, type Summary } from './stats';

/**
 * `ack`: how long Slack waits for the app's answer to a signed event, p50 and p99 over 2,000 events
 * (SPEC.md section 9, target: p99 within 1.25x of the floor). The floor is a bare Bolt app that
 * stores each event with one single-row INSERT into PostgreSQL before answering (the least a bot
 * that loses nothing must do); a bare Bolt app with an empty handler shows what Bolt alone costs.
 * Each server is its own process; batches alternate between the three, so that noise on the
 * machine falls on all of them.
 *
 * The events: channel_created for ordinary (non-incident) channels and member_joined_channel in
 * channels that are not incidents, each with its own event_id. The app stores each, answers, and
 * processes it in the background (a job per event); before the next server's batch, the app's
 * backlog is drained, so that its background work lands on its own batch and not on the floor's.
 */
const TARGET_RATIO = 1.25;
const IN_FLIGHT = 8;

interface Target {
  name: 'app' | 'floor' | 'empty';
  url: string;
  times: number[];
}

function envelope(teamId: string, i: number, people: string[]): { id: string; body: string } {
  const id = `Ev${randomBytes(6).toString('hex').toUpperCase()}${i}`;
  const now = Math.floor(Date.now() / 1000);
  const channel = `CB${String(i).padStart(8, '0')}`;
  const event = i % 2 === 0
    ? { type: 'channel_created', channel: { id: channel, name: `team-chatter-${i}`, created: now, creator: people[i % people.length] } }
    : { type: 'member_joined_channel', user: people[i % people.length], channel, channel_type: 'C', team: teamId, event_ts: `${now}.${String(i).padStart(6, '0')}` };
  return {
    id,
    body: JSON.stringify({
      token: 'bench-verification-token', team_id: teamId, api_app_id: 'A0SMOKEAPP', event, type: 'event_callback',
      event_id: id, event_time: now, authorizations: [{ enterprise_id: null, team_id: teamId, user_id: 'U0SMOKEBOT', is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    }),
  };
}

/** Sends `bodies` to `url` with IN_FLIGHT in flight; returns each request's time to the full answer. */
async function sendBatch(url: string, bodies: string[]): Promise<number[]> {
  return mapLimit(bodies, IN_FLIGHT, async (body) => {
    const headers = { 'content-type': 'application/json', ...signRequest(SIGNING_SECRET, body) };
    const t0 = performance.now();
    const res = await fetch(`${url}/slack/events`, { method: 'POST', headers, body });
    await res.text();
    const elapsed = performance.now() - t0;
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    return elapsed;
  });
}

async function unprocessed(org: Organisation): Promise<number> {
  const { rows } = await org.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM slack_events WHERE processed_at IS NULL');
  return rows[0]!.n;
}

const rounded = (s: Summary) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, round(v)]));

export async function benchAck(options: BenchOptions): Promise<BenchResult> {
  const total = options.samples ?? (options.quick ? 400 : 2_000);
  const batch = options.quick ? 25 : 50;
  const org = await startOrganisation('ack', { engineers: 200, participations: 0 });
  let floorDb: BenchDatabase | undefined;
  const servers: ChildServer[] = [];
  try {
    floorDb = await createBenchDatabase('ack_floor');
    const common = { SLACK_BOT_TOKEN: org.emulator.botToken, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: org.emulator.apiUrl };
    const floor = await startChild('bolt-insert', 'bare-bolt', { ...common, BENCH_BOLT_MODE: 'insert', DATABASE_URL: floorDb.url, DATABASE_POOL_MAX: String(POOL_MAX) });
    servers.push(floor);
    const empty = await startChild('bolt-empty', 'bare-bolt', { ...common, BENCH_BOLT_MODE: 'empty' });
    servers.push(empty);
    const targets: Target[] = [
      { name: 'app', url: org.app.url, times: [] },
      { name: 'floor', url: floor.url, times: [] },
      { name: 'empty', url: empty.url, times: [] },
    ];
    const people = org.people.map((p) => p.slackId);
    let seq = 0;
    const bodies = (n: number) => Array.from({ length: n }, () => envelope(org.emulator.teamId, seq++, people).body);
    const drainTimes: number[] = [];
    const runBatch = async (target: Target, n: number, record: boolean) => {
      const times = await sendBatch(target.url, bodies(n));
      if (record) target.times.push(...times);
      if (target.name === 'app') {
        const t0 = performance.now();
        await waitFor(async () => (await unprocessed(org)) === 0, 'the app to process its backlog', 120_000);
        if (record) drainTimes.push(performance.now() - t0);
      }
    };

    // Warm-up: connections, JIT, Bolt's first auth.test; not measured.
    for (const target of targets) await runBatch(target, batch, false);
    const rounds = Math.ceil(total / batch);
    for (let r = 0; r < rounds; r++) {
      // Rotate who goes first, so that no server always follows the app's background work.
      const order = [...targets.slice(r % 3), ...targets.slice(0, r % 3)];
      for (const target of order) await runBatch(target, batch, true);
    }

    const [app, floorT, emptyT] = targets.map((t) => summarize(t.times)) as [Summary, Summary, Summary];
    const p99Ratio = ratio(app.p99, floorT.p99);
    const stored = (await org.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM slack_events')).rows[0]!.n;
    return {
      name: 'ack',
      target: `p99 within ${TARGET_RATIO}x of the floor`,
      passed: p99Ratio !== null && p99Ratio <= TARGET_RATIO,
      figures: {
        events_per_server: app.n,
        in_flight: IN_FLIGHT,
        batch,
        app_ms: rounded(app),
        floor_bolt_insert_ms: rounded(floorT),
        empty_bolt_ms: rounded(emptyT),
        ratio_p99_app_to_floor: p99Ratio,
        ratio_p50_app_to_floor: ratio(app.p50, floorT.p50),
        ratio_p99_floor_to_empty: ratio(floorT.p99, emptyT.p99),
        app_events_stored: stored,
        app_backlog_drain_ms_per_batch: rounded(summarize(drainTimes)),
      },
      rows: [
        { what: `ack p99, ${app.n} events (${IN_FLIGHT} in flight)`, value: ms(app.p99), baseline: `${ms(floorT.p99)} (Bolt + 1 INSERT)`, ratio: p99Ratio },
        { what: 'ack p50', value: ms(app.p50), baseline: `${ms(floorT.p50)} (Bolt + 1 INSERT)`, ratio: ratio(app.p50, floorT.p50) },
        { what: 'bare Bolt, empty handler, p50 / p99', value: `${ms(emptyT.p50)} / ${ms(emptyT.p99)}`, baseline: 'for scale' },
        { what: `app backlog drained after each batch of ${batch}, p50`, value: ms(summarize(drainTimes).p50), baseline: 'background jobs' },
      ],
      notes: [],
    };
  } finally {
    for (const server of servers) await server.stop();
    await floorDb?.drop();
    await org.stop();
  }
}
