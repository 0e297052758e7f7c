import type { AppProcess } from '../helpers/app-process';
import { requiresRealPostgres } from '../helpers/database';
import { burstComplete, checkExactlyOnce, ConnectionSampler, eventFigures, incidentBurst, percentile, report, SlackPlayer, World } from './support';

/**
 * GET flood (SPEC.md section 8, RELIABILITY.md): anyone on the internet can reach the port Slack
 * posts to. While signed events arrive, 24 loops hammer GET /healthz on that port (and probe
 * /metrics there, which must not exist). /healthz answers from a background probe, and storing
 * an event has connections of its own, so every event is stored and acknowledged at the first
 * delivery, and the process never holds more than DATABASE_POOL_MAX connections.
 * Before, each request ran a query on a connection of the 5 that also store events. A flood from
 * the test process cannot outrun PostgreSQL on loopback, so on the old code this scenario refused
 * no event (only /metrics, served on this port, fails it); slowing the database through a proxy
 * in the test process slowed the flood as much, and measured the test itself (RELIABILITY.md).
 * The flood is bounded (at most FLOOD_MAX requests) and stays on loopback.
 */
const INCIDENTS = 40;
const POOL_MAX = 5;
const FLOOD_LOOPS = 24;
const FLOOD_MAX = 40_000;

requiresRealPostgres('the app runs as a process on a real server, sampled through pg_stat_activity')('fault: GET flood on the Slack-facing port', () => {
  let world: World;
  let sampler: ConnectionSampler;
  let app: AppProcess;

  beforeAll(async () => {
    world = await World.create('flood', 90);
    sampler = new ConnectionSampler(world.database.name);
    await sampler.start();
    app = await world.startApp('flood', { poolMax: POOL_MAX });
    await world.rosterSynced();
  }, 90_000);

  afterAll(async () => {
    await sampler?.stop();
    await world?.stop();
  });

  it('stores and acknowledges every event at its first delivery while /healthz is flooded, within DATABASE_POOL_MAX', async () => {
    const flood = { requests: 0, statuses: {} as Record<string, number>, failed: 0, metricsOnSlackPort: 0 };
    let stop = false;
    const loop = async () => {
      while (!stop && flood.requests < FLOOD_MAX) {
        flood.requests += 1;
        try {
          const res = await fetch(`${app.url}/healthz`, { signal: AbortSignal.timeout(5_000) });
          await res.arrayBuffer();
          flood.statuses[res.status] = (flood.statuses[res.status] ?? 0) + 1;
        } catch {
          flood.failed += 1;
        }
      }
    };
    const loops = Array.from({ length: FLOOD_LOOPS }, loop);
    const metricsHere = await fetch(`${app.url}/metrics`);
    await metricsHere.text();
    flood.metricsOnSlackPort = metricsHere.status;

    // Slack's side: 4 at a time, paced so that the events arrive over several seconds of flood.
    const player = new SlackPlayer(() => app.eventsUrl, world.secrets.signingSecret, { retryEveryMs: 250, giveUpMs: 60_000 });
    const burst = incidentBurst(world, 'flood', INCIDENTS);
    const samplesBefore = sampler.samples;
    await player.deliverAll(burst.envelopes, 4, 300);
    const samplesDuring = sampler.samples - samplesBefore;
    const floodDuringEvents = flood.requests;
    // The flood ends with the deliveries: what follows only checks that the work got done.
    stop = true;
    await Promise.all(loops);
    await burstComplete(world, burst.channels);

    const events = await eventFigures(world, burst.envelopes.map((e) => e.event_id as string));
    const once = await checkExactlyOnce(world, burst.channels);
    report('flood/healthz', {
      floodLoops: FLOOD_LOOPS,
      floodRequests: flood.requests,
      floodRequestsWhileEventsArrived: floodDuringEvents,
      floodStatuses: flood.statuses,
      floodFailed: flood.failed,
      metricsOnSlackPort: flood.metricsOnSlackPort,
      deliveries: player.stats.requests,
      acked: player.stats.acked,
      refused: player.stats.refused,
      unanswered: player.stats.unanswered,
      ackMs: { p50: percentile(player.stats.answerMs, 50), p99: percentile(player.stats.answerMs, 99), max: percentile(player.stats.answerMs, 100) },
      connectionSamples: samplesDuring,
      connections: sampler.summary(),
      ...events,
      lost: once.lost,
      doubled: once.doubled,
    });

    // It sampled: the flood really ran while events arrived, and connections were counted meanwhile.
    expect(floodDuringEvents).toBeGreaterThan(500);
    expect(samplesDuring).toBeGreaterThan(20);
    expect(sampler.peak.get('sj-flood')).toBeGreaterThan(0);
    // Nothing overflowed: every event acknowledged at its first delivery, stored once, processed.
    expect({ requests: player.stats.requests, acked: player.stats.acked, refused: player.stats.refused, unanswered: player.stats.unanswered }).toEqual({ requests: INCIDENTS, acked: INCIDENTS, refused: 0, unanswered: 0 });
    expect(events).toEqual({ sent: INCIDENTS, stored: INCIDENTS, processed: INCIDENTS, duplicateRows: 0 });
    expect({ lost: once.lost, doubled: once.doubled }).toEqual({ lost: 0, doubled: 0 });
    expect(sampler.overLimit(world.poolOf)).toEqual([]);
    expect(flood.failed).toBe(0);
    expect(Object.keys(flood.statuses)).toEqual(['200']);
    expect(flood.metricsOnSlackPort).toBe(404);
  }, 240_000);
});
