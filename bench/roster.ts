import { performance } from 'node:perf_hooks';
import { LogLevel, WebClient } from '@slack/web-api';
import { connectDatabase } from '../src/db/client';
import { SlackEmulator, type RecordedCall } from '../src/dev/slack-emulator';
import { syncRoster } from '../src/flows/roster-flow';
import { createLogger } from '../src/log';
import { SlackGateway } from '../src/slack/gateway';
import { createBenchDatabase } from './database';
import { POOL_MAX } from './org';
import { mib, type BenchOptions, type BenchResult } from './result';
import { ratio, round } from './stats';

/**
 * `roster`: the roster sync (users.list -> engineers) of a 10,000-person workspace whose users.list
 * answers HTTP 429 with Retry-After 1 s on the first request for every third page. Each page is
 * asked again alone with the same cursor (SPEC.md section 3), so the calls are the pages plus one
 * per 429, and the time is the 429 waits plus the work. Peak RSS is this whole process's (the
 * emulator runs in it too), read from the kernel's high-water mark.
 */
export const RETRY_AFTER_S = 1;
export const EVERY_NTH_PAGE = 3;

export async function benchRoster(options: BenchOptions): Promise<BenchResult> {
  const people = options.quick ? 2_000 : 10_000;
  const database = await createBenchDatabase('roster');
  const db = connectDatabase(database.url, POOL_MAX);
  const emulator = new SlackEmulator();
  await emulator.start();
  try {
    for (let i = 0; i < people; i++) {
      emulator.addUser({ id: `U0B${String(i).padStart(6, '0')}`, name: `person${i}`, real_name: `Person ${i}`, email: `person${i}@example.com`, tz: 'Europe/Berlin' });
    }
    emulator.addFault({ method: 'users.list', status: 429, retryAfterSeconds: RETRY_AFTER_S, everyNthPage: EVERY_NTH_PAGE, times: Infinity });
    const log = createLogger('silent');
    // As the app builds its reading client (listeners/app.ts): the WebClient hands 429s back and the gateway waits them out.
    const client = new WebClient(emulator.botToken, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logLevel: LogLevel.ERROR });
    const slack = new SlackGateway(client, log);
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    const synced = await syncRoster({ db: db.prisma, slack, log, clock: () => new Date(), teamId: emulator.teamId });
    const totalMs = performance.now() - t0;
    const peakRss = process.resourceUsage().maxRSS * 1024;

    const calls = emulator.callsTo('users.list');
    const cursorOf = (c: RecordedCall) => (typeof c.args.cursor === 'string' ? c.args.cursor : '');
    const asked = new Map<string, number>();
    for (const c of calls) asked.set(cursorOf(c), (asked.get(cursorOf(c)) ?? 0) + 1);
    const pages = asked.size;
    const limited = calls.filter((c) => c.status === 429).length;
    const waitsMs = limited * RETRY_AFTER_S * 1000;
    const perPage = round(calls.length / pages);
    const goal = round(1 + limited / pages);
    const mostAsked = Math.max(...asked.values());
    return {
      name: 'roster',
      target: 'calls per page at most 1.0 plus one per 429; every page asked at most twice',
      passed: calls.length <= pages + limited && mostAsked <= 2 && synced.active === people,
      figures: {
        people,
        engineers_active: synced.active,
        pages_fetched: pages,
        calls_made: calls.length,
        responses_429: limited,
        calls_per_page: perPage,
        calls_per_page_goal: goal,
        most_requests_for_one_page: mostAsked,
        total_ms: round(totalMs),
        retry_after_waits_ms: waitsMs,
        time_beyond_waits_ms: round(totalMs - waitsMs),
        rss_before_mib: round(rssBefore / 1048576),
        peak_rss_mib: round(peakRss / 1048576),
      },
      rows: [
        { what: `users.list pages of ${people} people`, value: `${pages} pages, ${calls.length} calls (${limited} answered 429)` },
        { what: 'calls per page', value: String(perPage), baseline: `goal ${goal}`, ratio: ratio(perPage, goal) },
        { what: 'requests for the most-asked page', value: String(mostAsked), baseline: 'at most 2' },
        { what: 'total time', value: `${(totalMs / 1000).toFixed(1)} s`, baseline: `Retry-After waits ${(waitsMs / 1000).toFixed(1)} s`, ratio: ratio(totalMs, waitsMs) },
        { what: 'peak RSS (whole process, emulator included)', value: mib(peakRss) },
      ],
      notes: [`users.list answers 429 (Retry-After ${RETRY_AFTER_S} s) to the first request for every ${EVERY_NTH_PAGE}rd page`],
    };
  } finally {
    await emulator.stop();
    await db.close();
    await database.drop();
  }
}
