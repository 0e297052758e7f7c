import type { AppProcess } from '../helpers/app-process';
import { requiresRealPostgres, TEST_DATABASE_URL } from '../helpers/database';
import { TcpProxy } from '../helpers/tcp-proxy';
import {
  ACK_DEADLINE_MS,
  burstComplete,
  checkExactlyOnce,
  ConnectionSampler,
  eventFigures,
  expireJobsStartedBefore,
  incidentBurst,
  percentile,
  report,
  secretLeaks,
  SlackPlayer,
  waitUntil,
  World,
} from './support';

/**
 * Database outage (SPEC.md section 8): the app reaches PostgreSQL through a TCP proxy that the
 * test cuts in the middle of a burst and restores after a while. Meanwhile events that cannot be
 * stored are not acknowledged (Slack redelivers them, played by the test), /healthz says 503,
 * and the process stays up. Once the database is back the app recovers by itself, and nothing
 * is lost or doubled.
 */
const WAVE = 8;
const OUTAGE_MS = 6_000;
const HEALTH_PROBE_LAG_MS = 3_200;

/**
 * `reset`: PostgreSQL goes away and every connection to it fails at once (a crash, a restart, a
 * failover). `blackhole`: packets stop (a network partition): connections hang instead of failing.
 */
requiresRealPostgres('the app runs as a separate process reaching PostgreSQL through a TCP proxy').each(['reset', 'blackhole'] as const)('fault: database outage (%s)', (mode) => {
  let world: World;
  let sampler: ConnectionSampler;
  let proxy: TcpProxy;
  let app: AppProcess;
  let outcome: Awaited<ReturnType<typeof runOutage>>;

  // The outage runs here, once; every test below checks one side of it, in any order.
  beforeAll(async () => {
    world = await World.create(`db-outage-${mode}`, 60);
    proxy = TcpProxy.forUrl(TEST_DATABASE_URL);
    await proxy.start();
    sampler = new ConnectionSampler(world.database.name);
    await sampler.start();
    app = await world.startApp(`outage-${mode}`, { poolMax: 5, databaseUrl: proxy.rewrite(world.database.url) });
    await world.rosterSynced();
    outcome = await runOutage();
  }, 330_000);

  afterAll(async () => {
    await sampler?.stop();
    await world?.stop();
    await proxy?.stop();
  });

  async function health(): Promise<number> {
    const res = await fetch(`${app.url}/healthz`, { signal: AbortSignal.timeout(5_000) });
    await res.text();
    return res.status;
  }

  async function runOutage() {
    const player = new SlackPlayer(() => app.eventsUrl, world.secrets.signingSecret, { retryEveryMs: 500, giveUpMs: 120_000 });
    const burst = incidentBurst(world, 'outage', WAVE * 3);
    const before = burst.envelopes.slice(0, WAVE);
    const during = burst.envelopes.slice(WAVE, WAVE * 2);
    const after = burst.envelopes.slice(WAVE * 2);

    await player.deliverAll(before, 4);
    const healthBefore = await health();

    proxy.cut(mode);
    const cutAt = Date.now();
    // Slack's first delivery of each event during the outage: none may be acknowledged.
    const firstAnswers = await Promise.all(during.map((e) => player.post(e, 0)));
    const healthDuring: number[] = [];
    // /healthz answers from a background probe (once a second, given up after 2 s): it may say 200
    // for up to 3 s into an outage, by design (SPEC.md section 8); from then on it must say 503.
    while (Date.now() - cutAt < HEALTH_PROBE_LAG_MS) await new Promise((r) => setTimeout(r, 100));
    while (Date.now() - cutAt < OUTAGE_MS) {
      healthDuring.push(await health());
      await new Promise((r) => setTimeout(r, 500));
    }
    // Slack's redeliveries while still down: refused again.
    const retryAnswers = await Promise.all(during.map((e) => player.post(e, 1)));
    const aliveDuring = app.alive;
    proxy.restore();
    const restoredAt = new Date();

    await waitUntil(async () => (await health()) === 200, '/healthz to say 200 again', 30_000, 200);
    const healthyAfterMs = Date.now() - restoredAt.getTime();
    // Slack redelivers what was refused; the rest of the burst comes as usual.
    await Promise.all([Promise.all(during.map((e) => player.deliver(e, 2))), player.deliverAll(after, 4)]);
    const expired = await expireJobsStartedBefore(world, restoredAt);
    await burstComplete(world, burst.channels, 120_000);
    const recoveredMs = Date.now() - restoredAt.getTime();

    const once = await checkExactlyOnce(world, burst.channels);
    const events = await eventFigures(world, burst.envelopes.map((e) => e.event_id as string));
    const logs = world.logBook.json(`outage-${mode}`);
    report(`db-outage/${mode}`, {
      outageMs: OUTAGE_MS,
      firstAnswers,
      retryAnswers,
      refusedMs: { p50: percentile(player.stats.refusedMs, 50), max: percentile(player.stats.refusedMs, 100) },
      healthDuring,
      healthyAfterMs,
      recoveredMs,
      stuckJobsExpired: expired,
      proxy: proxy.stats,
      errorLines: logs.filter((l) => l.level === 'error' || l.level === 'fatal').length,
      ...events,
      ...once,
      connections: sampler.summary(),
    });
    return { healthBefore, firstAnswers, retryAnswers, aliveDuring, refusedMs: player.stats.refusedMs, healthDuring, logs, once, events };
  }

  it('refuses what it cannot store, says 503, survives, recovers by itself, and loses nothing', () => {
    const { healthBefore, firstAnswers, retryAnswers, aliveDuring, refusedMs, healthDuring, logs, once, events } = outcome;
    expect(healthBefore).toBe(200);
    expect(firstAnswers).toHaveLength(WAVE);
    // Not acknowledged: a 5xx, or (a query hanging on a blackholed connection) no answer within Slack's 3 s.
    const notAcknowledged = (s: number | undefined) => s === undefined || s >= 500;
    expect(firstAnswers.every(notAcknowledged)).toBe(true);
    expect(retryAnswers.every(notAcknowledged)).toBe(true);
    if (mode === 'reset') expect(firstAnswers.every((s) => s !== undefined)).toBe(true);
    // Refused within Slack's 3 s, so Slack hears a failure rather than a timeout.
    expect(refusedMs.length).toBeGreaterThan(0);
    expect(Math.max(...refusedMs)).toBeLessThan(ACK_DEADLINE_MS);
    // A blackholed check takes the pool's 2 s connection timeout to fail; a reset one fails at once.
    expect(healthDuring.length).toBeGreaterThanOrEqual(2);
    expect(healthDuring.every((s) => s === 503)).toBe(true);
    expect(aliveDuring).toBe(true);
    expect(app.alive).toBe(true);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.filter((l) => l.level === 'fatal')).toEqual([]);
    expect(once.details).toEqual([]);
    expect({ doubled: once.doubled, lost: once.lost, unexplained: once.unexplained, delivered: once.delivered }).toEqual({ doubled: 0, lost: 0, unexplained: 0, delivered: once.expected });
    expect(events).toEqual({ sent: WAVE * 3, stored: WAVE * 3, processed: WAVE * 3, duplicateRows: 0 });
  });

  it('never holds more database connections than DATABASE_POOL_MAX, before, during or after', () => {
    expect(proxy.stats.accepted).toBeGreaterThan(0);
    expect(proxy.stats.peakOpen).toBeGreaterThan(0);
    expect(proxy.stats.peakOpen).toBeLessThanOrEqual(5);
    expect(sampler.samples).toBeGreaterThan(50);
    expect(sampler.peak.get(`sj-outage-${mode}`)).toBeGreaterThan(0);
    expect(sampler.overLimit(world.poolOf)).toEqual([]);
  });

  it('writes no token or signing secret into any log line', () => {
    const scan = secretLeaks(world);
    report(`db-outage/${mode}/secrets`, { lines: scan.lines, leaks: scan.leaks.length, masked: scan.masked });
    expect(scan.lines).toBeGreaterThan(0);
    expect(scan.leaks).toEqual([]);
  });
});
