import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { LogLevel, WebClient } from '@slack/web-api';
import { loadConfig } from '../src/config';
import { connectDatabase } from '../src/db/client';
import { imDirectory } from '../src/db/im-channels';
import { SlackEmulator } from '../src/dev/slack-emulator';
import { POST_MESSAGE_WORKSPACE_PER_MINUTE, TIER_PER_MINUTE } from '../src/dev/slack-emulator/tiers';
import { runDigestWeek } from '../src/flows/digest-flow';
import { createLogger } from '../src/log';
import { SlackGateway } from '../src/slack/gateway';
import { createBenchDatabase } from './database';
import { BENCH_NOW, emulatedUsers, organisation, seedEngineers, seedHistory } from './data';
import { POOL_MAX } from './org';
import { ratio, round } from './stats';
import type { BenchOptions, BenchResult } from './result';

/**
 * `dms`: the weekly digest actually sent to 10,000 people, against the Slack emulator answering
 * with Slack's rate-limit tiers (src/dev/slack-emulator/tiers.ts). Two figures:
 *
 * - Slack calls per DM (goal 1.0): calls Slack accepted, and every attempt including the 429s,
 *   over the DMs sent. A DM is one chat.postMessage to the user id.
 * - Total time against the floor the limits allow: chat.postMessage's workspace-wide limit
 *   (300 a minute here) bounds any sender, so 10,000 DMs cannot take less than 10,000 / 300
 *   minutes. The baseline is the floor of the old way (conversations.open, Tier 3, before each DM).
 *
 * Real windows would make this a 33-minute run, so the emulator's windows are shortened by
 * TIME_SCALE, and the floor with them: every time here is "scaled", and times TIME_SCALE is the
 * real-Slack equivalent.
 */
export const TIME_SCALE = 10;
/** The last whole ISO week before BENCH_NOW. */
const WEEK = '2026-11-16';

export async function benchDms(options: BenchOptions): Promise<BenchResult> {
  const engineers = options.quick ? 2_000 : 10_000;
  const database = await createBenchDatabase('dms');
  const seedPool = new Pool({ connectionString: database.url, max: 1 });
  seedPool.on('error', () => undefined);
  const db = connectDatabase(database.url, POOL_MAX);
  const emulator = new SlackEmulator({ rateLimits: 'tiers', timeScale: TIME_SCALE });
  await emulator.start();
  try {
    const people = organisation(engineers);
    await seedEngineers(seedPool, people, BENCH_NOW);
    await seedHistory(seedPool, engineers * 5, BENCH_NOW);
    for (const user of emulatedUsers(people)) emulator.addUser(user);

    const config = loadConfig({ SLACK_BOT_TOKEN: emulator.botToken, SLACK_SIGNING_SECRET: 'unused', SLACK_API_URL: emulator.apiUrl }, 'test');
    const log = createLogger('silent');
    // As the app builds its client for calls with an effect (listeners/app.ts createEffectClient): the gateway waits out 429s.
    const client = new WebClient(emulator.botToken, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logLevel: LogLevel.ERROR });
    const slack = new SlackGateway(client, log, undefined, client, imDirectory(db.prisma));
    const deps = { config, db: db.prisma, slack, log, clock: () => BENCH_NOW };

    const t0 = performance.now();
    const report = await runDigestWeek(deps, { weekStart: WEEK, dryRun: false }, BENCH_NOW);
    const totalMs = performance.now() - t0;

    const sent = report.tally?.sent ?? 0;
    const calls = emulator.calls;
    const accepted = calls.filter((c) => c.status === 200).length;
    const byMethod: Record<string, number> = {};
    for (const c of calls) {
      const key = c.status === 200 ? c.method : `${c.method} HTTP ${c.status}`;
      byMethod[key] = (byMethod[key] ?? 0) + 1;
    }
    const minuteMs = 60_000 / TIME_SCALE;
    const floorMs = (sent / POST_MESSAGE_WORKSPACE_PER_MINUTE) * minuteMs;
    const oldFloorMs = (sent / TIER_PER_MINUTE[3]) * minuteMs;
    const perDm = sent ? accepted / sent : null;
    return {
      name: 'dms',
      target: 'calls per DM 1.0; time near the floor',
      passed: perDm === 1 && (report.tally?.failed ?? 0) === 0 && (report.tally?.retry ?? 0) === 0,
      figures: {
        engineers,
        time_scale: TIME_SCALE,
        dms_sent: sent,
        tally: report.tally,
        slack_calls_accepted: accepted,
        slack_calls_including_429: calls.length,
        calls_by_method: byMethod,
        calls_per_dm: perDm === null ? null : round(perDm),
        attempts_per_dm: sent ? round(calls.length / sent) : null,
        total_ms_scaled: round(totalMs),
        floor_ms_scaled: round(floorMs),
        ratio_to_floor: ratio(totalMs, floorMs),
        real_slack_equivalent_min: round((totalMs * TIME_SCALE) / 60_000),
        real_slack_floor_min: round((floorMs * TIME_SCALE) / 60_000),
        old_way_floor_min_real: round((oldFloorMs * TIME_SCALE) / 60_000),
      },
      rows: [
        { what: 'Slack calls per DM (accepted)', value: perDm === null ? 'n/a' : String(round(perDm)), baseline: '2 with conversations.open', ratio: perDm === null ? null : ratio(perDm, 2) },
        { what: 'attempts per DM, 429s included', value: sent ? String(round(calls.length / sent)) : 'n/a' },
        { what: `${sent} digest DMs at Slack's tiers (time /${TIME_SCALE})`, value: `${(totalMs / 1000).toFixed(1)} s`, baseline: `floor ${(floorMs / 1000).toFixed(1)} s`, ratio: ratio(totalMs, floorMs) },
        { what: 'the same at real Slack speed', value: `${round((totalMs * TIME_SCALE) / 60_000)} min`, baseline: `old way's floor ${round((oldFloorMs * TIME_SCALE) / 60_000)} min`, ratio: ratio(totalMs, oldFloorMs) },
      ],
      notes: [`the emulator's rate-limit windows are ${TIME_SCALE}x shorter than Slack's; times are scaled the same way (a real run takes ${TIME_SCALE}x as long)`],
    };
  } finally {
    await emulator.stop();
    await db.close();
    await seedPool.end();
    await database.drop();
  }
}
