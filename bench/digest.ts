import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { WebClient } from '@slack/web-api';
import { loadConfig } from '../src/config';
import { connectDatabase } from '../src/db/client';
import { digestPeople } from '../src/db/digests';
import { composeDigests, DIGEST_BATCH_SIZE, runDigestWeek } from '../src/flows/digest-flow';
import { createLogger } from '../src/log';
import { SlackGateway } from '../src/slack/gateway';
import { createBenchDatabase } from './database';
import { BENCH_NOW, organisation, seedEngineers, seedHistory } from './data';
import { POOL_MAX } from './org';
import { ms, type BenchOptions, type BenchResult } from './result';
import { captureQueries } from './sql-capture';
import { ratio, round, summarize } from './stats';

/**
 * `digest`: composing the weekly digests of 10,000 engineers with a year of history (SPEC.md
 * section 9, target under 5 s, number of SQL queries reported). What is timed is the whole of
 * `npm run digest -- --week W --dry-run`: runDigestWeek from src/flows/digest-flow.ts, which reads
 * the people, composes every digest in batches and renders every message, and sends nothing.
 * Queries are counted at the driver (every statement pg sends, whatever sent it). Baseline: the
 * same composition one person at a time (batch size 1), timed on a sample and scaled up, which
 * is what a per-person loop would cost.
 */
const TARGET_MS = 5_000;
/** The last whole ISO week before BENCH_NOW (Wednesday 25 November 2026). */
const WEEK = '2026-11-16';

export async function benchDigest(options: BenchOptions): Promise<BenchResult> {
  const engineers = options.quick ? 2_000 : 10_000;
  const participations = options.quick ? 10_000 : 50_000;
  const database = await createBenchDatabase('digest');
  const seedPool = new Pool({ connectionString: database.url, max: 1 });
  seedPool.on('error', () => undefined);
  const db = connectDatabase(database.url, POOL_MAX);
  try {
    const seedStarted = Date.now();
    await seedEngineers(seedPool, organisation(engineers), BENCH_NOW);
    const history = await seedHistory(seedPool, participations, BENCH_NOW);
    const seedMs = Date.now() - seedStarted;

    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-bench-unused', SLACK_SIGNING_SECRET: 'unused' }, 'test');
    const log = createLogger('silent');
    // A dry run sends nothing; the gateway points at a closed port so that any call would fail loudly.
    const slack = new SlackGateway(new WebClient('xoxb-bench-unused', { slackApiUrl: 'http://127.0.0.1:9/api/', retryConfig: { retries: 0 } }), log);
    const deps = { config, db: db.prisma, slack, log, clock: () => BENCH_NOW };
    const dryRun = () => runDigestWeek(deps, { weekStart: WEEK, dryRun: true }, BENCH_NOW);

    const cold = performance.now();
    const first = await captureQueries(dryRun);
    const coldMs = performance.now() - cold;
    const times: number[] = [];
    let queries = first.queries.length;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const run = await captureQueries(dryRun);
      times.push(performance.now() - t0);
      queries = run.queries.length;
    }
    const warm = summarize(times);
    const digests = first.result.digests;
    const withFires = digests.filter((d) => d.summary.kind === 'summary').length;

    // Queries against the number of people: composition alone, for a tenth and for everyone.
    const people = await digestPeople(db.prisma);
    const requests = people.filter((p) => p.active && !p.digestOff).map((p) => ({ person: { id: p.id, slackId: p.slackId, name: p.name, timeZone: p.timeZone, level: p.level, knownSince: p.createdAt }, weekStart: WEEK }));
    const composeQueries = async (n: number) => (await captureQueries(() => composeDigests(db.prisma, requests.slice(0, n), config.digestSchedule, BENCH_NOW))).queries.length;
    const tenth = Math.ceil(requests.length / 10);
    const scaling = { [tenth]: await composeQueries(tenth), [requests.length]: await composeQueries(requests.length) };

    // Baseline: one person at a time, timed on a sample.
    const sample = Math.min(300, requests.length);
    const b0 = performance.now();
    const single = await captureQueries(() => composeDigests(db.prisma, requests.slice(0, sample), config.digestSchedule, BENCH_NOW, 1));
    const perPersonMs = (performance.now() - b0) / sample;
    const baselineMs = perPersonMs * requests.length;
    const baselineQueries = (single.queries.length / sample) * requests.length;

    return {
      name: 'digest',
      target: `under ${TARGET_MS / 1000} s`,
      passed: warm.p50 < TARGET_MS && coldMs < TARGET_MS,
      figures: {
        engineers,
        participations: history.participations,
        learnings: history.learnings,
        seed_ms: seedMs,
        week: WEEK,
        digests: digests.length,
        digests_with_fires: withFires,
        cold_ms: round(coldMs),
        warm_ms: Object.fromEntries(Object.entries(warm).map(([k, v]) => [k, round(v)])),
        sql_queries: queries,
        sql_queries_by_people_composed: scaling,
        batch_size: DIGEST_BATCH_SIZE,
        baseline_one_at_a_time_ms: round(baselineMs),
        baseline_one_at_a_time_queries: Math.round(baselineQueries),
        ratio_to_one_at_a_time: ratio(warm.p50, baselineMs),
      },
      rows: [
        { what: `compose ${digests.length} digests (dry run), warm p50`, value: ms(warm.p50), baseline: `${ms(baselineMs)} one at a time`, ratio: ratio(warm.p50, baselineMs) },
        { what: 'first run (cold)', value: ms(coldMs), baseline: `${withFires} with fires` },
        { what: 'SQL queries per run', value: String(queries), baseline: `${Math.round(baselineQueries)} one at a time` },
        { what: 'queries composing a tenth / everyone', value: Object.values(scaling).join(' / '), baseline: `${Object.keys(scaling).join(' / ')} people` },
      ],
      notes: [],
    };
  } finally {
    await db.close();
    await seedPool.end();
    await database.drop();
  }
}
