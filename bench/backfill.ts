import { performance } from 'node:perf_hooks';
import { LogLevel, WebClient } from '@slack/web-api';
import { loadConfig } from '../src/config';
import { connectDatabase } from '../src/db/client';
import { emulateYear } from '../src/dev/backfill-world';
import { SlackEmulator } from '../src/dev/slack-emulator';
import { runBackfill } from '../src/flows/backfill-flow';
import { createLogger } from '../src/log';
import { SlackGateway } from '../src/slack/gateway';
import { Pacer } from '../src/slack/pacer';
import { createBenchDatabase } from './database';
import { POOL_MAX } from './org';
import { mib, type BenchOptions, type BenchResult } from './result';
import { ratio, round } from './stats';

/**
 * `backfill`: `npm run backfill` over a year of 500 incident channels (src/dev/backfill-world.ts)
 * against the emulator answering with Slack's rate-limit tiers, windows TIME_SCALE times shorter,
 * and the backfill paced the same way (BACKFILL_TIME_SCALE). The floor is the busiest method at its
 * tier: every channel's history is one Tier 3 call at least, 50 a minute. The waits are scaled;
 * the work between them (round trips, the emulator, the database) is not, so the real-Slack
 * estimate is the real floor plus at most that work.
 */
export const TIME_SCALE = 60;
const TIER_3_PER_MINUTE = 50;

export async function benchBackfill(options: BenchOptions): Promise<BenchResult> {
  const channels = options.quick ? 100 : 500;
  const database = await createBenchDatabase('backfill');
  const db = connectDatabase(database.url, POOL_MAX);
  const emulator = new SlackEmulator({ rateLimits: 'tiers', timeScale: TIME_SCALE });
  await emulator.start();
  try {
    const end = new Date(Date.now() - 2 * 86_400_000);
    emulateYear(emulator, { channels, archived: Math.round(channels * 0.13), private: Math.round(channels * 0.07), privateWithApp: Math.round(channels * 0.02), unreadable: Math.round(channels * 0.1), end, responders: 25, watchers: 200, newcomers: 20 });
    const config = loadConfig({ SLACK_BOT_TOKEN: emulator.botToken, SLACK_SIGNING_SECRET: 'unused', SLACK_API_URL: emulator.apiUrl, BACKFILL_TIME_SCALE: String(TIME_SCALE) }, 'test');
    const log = createLogger('silent');
    const client = new WebClient(emulator.botToken, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logLevel: LogLevel.ERROR });
    const slack = new SlackGateway(client, log).paceBy(new Pacer(config.backfillTimeScale));
    const deps = { config, db: db.prisma, slack, log, clock: () => new Date(), teamId: emulator.teamId, botUserId: emulator.botUserId };
    const t0 = performance.now();
    const summary = await runBackfill(deps, { since: new Date(end.getTime() - 366 * 86_400_000), dryRun: false });
    const totalMs = performance.now() - t0;
    const peakRss = process.resourceUsage().maxRSS * 1024;

    const calls = emulator.calls;
    const byMethod: Record<string, number> = {};
    for (const c of calls) {
      const key = c.status === 200 ? c.method : `${c.method} HTTP ${c.status}`;
      byMethod[key] = (byMethod[key] ?? 0) + 1;
    }
    const limited = calls.filter((c) => c.status === 429).length;
    const history = byMethod['conversations.history'] ?? 0;
    const minuteMs = 60_000 / TIME_SCALE;
    const floorMs = (history / TIER_3_PER_MINUTE) * minuteMs;
    // What is not waiting (round trips, the emulator, the database) does not get 60 times slower
    // against Slack: a real run takes the real floor plus at most that work.
    const realEstimateMs = floorMs * TIME_SCALE + Math.max(0, totalMs - floorMs);
    return {
      name: 'backfill',
      target: 'every channel recorded or named; time near the floor of the tiers',
      passed: summary.skipped.length === 0 && summary.listStopped === null && summary.incidents === summary.incidentChannels - summary.recordedLive - summary.alreadyBackfilled,
      figures: {
        incident_channels: channels,
        time_scale: TIME_SCALE,
        channels_seen: summary.channelsSeen,
        incidents_recorded: summary.incidents,
        participations_recorded: summary.participations,
        history_unread: summary.historyUnread.length,
        skipped: summary.skipped.length,
        heavy_unclassified: summary.heavy.length,
        slack_calls: calls.length,
        responses_429: limited,
        calls_by_method: byMethod,
        total_ms_scaled: round(totalMs),
        floor_ms_scaled: round(floorMs),
        ratio_to_floor: ratio(totalMs, floorMs),
        work_beyond_floor_ms: round(Math.max(0, totalMs - floorMs)),
        real_slack_estimate_min: round(realEstimateMs / 60_000),
        peak_rss_mib: round(peakRss / 1048576),
      },
      rows: [
        { what: `${channels} incident channels over a year`, value: `${summary.incidents} incidents, ${summary.participations} participations` },
        { what: 'Slack calls (429s)', value: `${calls.length} (${limited})` },
        { what: `time at Slack's tiers (/${TIME_SCALE})`, value: `${(totalMs / 1000).toFixed(1)} s`, baseline: `floor ${(floorMs / 1000).toFixed(1)} s`, ratio: ratio(totalMs, floorMs) },
        { what: 'work beyond the floor (not scaled)', value: `${(Math.max(0, totalMs - floorMs) / 1000).toFixed(1)} s` },
        { what: 'estimated at real Slack speed', value: `${round(realEstimateMs / 60_000)} min`, baseline: `floor ${round((floorMs * TIME_SCALE) / 60_000)} min`, ratio: ratio(realEstimateMs, floorMs * TIME_SCALE) },
        { what: 'peak RSS (whole process, emulator included)', value: mib(peakRss) },
      ],
      notes: [`the emulator's rate-limit windows are ${TIME_SCALE}x shorter than Slack's and the backfill is paced ${TIME_SCALE}x faster; the waits of a real run are ${TIME_SCALE}x as long, the work between them is not`],
    };
  } finally {
    await emulator.stop();
    await db.close();
    await database.drop();
  }
}
