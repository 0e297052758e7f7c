import type { AppliedCall } from '../../src/dev/slack-emulator';
import type { AppProcess } from '../helpers/app-process';
import { requiresRealPostgres } from '../helpers/database';
import {
  burstComplete,
  checkExactlyOnce,
  ConnectionSampler,
  eventFigures,
  incidentBurst,
  report,
  secretLeaks,
  SEED,
  seededRandom,
  simulateDowntime,
  SlackPlayer,
  waitUntil,
  World,
} from './support';

/**
 * Roles split (SPEC.md section 8, ROLE): two `web` processes take Slack's events (spread at
 * random), two `worker` processes do the work. In the middle of the burst one web and one worker
 * are killed with SIGKILL: the web half-way through the deliveries, the worker just after Slack
 * applied one of the first effects (while both workers hold events and claims). Slack redelivers what the dead web did not answer to the live one; the
 * dead worker's leases and claims are made to look 10 minutes old, as after a real wait. Every
 * event is stored once and processed, and every effect happens once.
 */
const INCIDENTS = 30;
const POOL_MAX = 4;
const DOWNTIME_MS = 10 * 60_000;

requiresRealPostgres('four app processes share one database')('fault: web and worker roles, one of each killed mid-burst', () => {
  let world: World;
  let sampler: ConnectionSampler;
  const webs: AppProcess[] = [];
  const workers: AppProcess[] = [];
  const random = seededRandom(SEED + 19);

  beforeAll(async () => {
    world = await World.create('roles', 70, { latencyMs: 20 });
    sampler = new ConnectionSampler(world.database.name);
    await sampler.start();
    // One after the other, as in the replicas scenario (pg-boss's createQueue on a fresh database).
    for (const name of ['web-a', 'web-b']) webs.push(await world.startApp(name, { poolMax: POOL_MAX, env: { ROLE: 'web' } }));
    for (const name of ['worker-a', 'worker-b']) workers.push(await world.startApp(name, { poolMax: POOL_MAX, env: { ROLE: 'worker' } }));
    await world.rosterSynced();
  }, 120_000);

  afterAll(async () => {
    await sampler?.stop();
    await world?.stop();
  });

  it('loses and doubles nothing with a web and a worker killed mid-burst', async () => {
    expect([...webs, ...workers].map((a) => a.role)).toEqual(['web', 'web', 'worker', 'worker']);
    const [webA, webB] = webs as [AppProcess, AppProcess];
    const [workerA] = workers as [AppProcess, AppProcess];
    const liveWeb = () => {
      const live = webs.filter((w) => w.alive);
      return live[Math.floor(random() * live.length)] ?? webB;
    };
    const player = new SlackPlayer(() => liveWeb().eventsUrl, world.secrets.signingSecret, { retryEveryMs: 300, giveUpMs: 180_000 });
    const burst = incidentBurst(world, 'roles', INCIDENTS);

    let effects = 0;
    let workerKilledAt: string | undefined;
    const killAfter = 8 + Math.floor(random() * 8);
    // Runs inside the emulator, after Slack applied a call and before the answer leaves.
    const onEffect = (call: AppliedCall) => {
      if (call.status !== 200 || (call.response as { ok?: boolean }).ok !== true) return;
      if (call.method !== 'conversations.invite' && call.method !== 'chat.postMessage') return;
      effects += 1;
      if (effects === killAfter && workerA.alive) {
        workerA.signal('SIGKILL');
        workerKilledAt = call.method;
      }
    };
    world.emulator.on('effect', onEffect);
    let downtime: Awaited<ReturnType<typeof simulateDowntime>> | undefined;
    try {
      const half = INCIDENTS / 2;
      await player.deliverAll(burst.envelopes.slice(0, half), 4, 200);
      webA.signal('SIGKILL');
      await player.deliverAll(burst.envelopes.slice(half), 4, 200);
      await webA.exited;
      // The worker dies on the killAfter-th effect, in the middle of the work (330 effects in all).
      await waitUntil(() => !workerA.alive, 'worker-a to be killed on an effect', 60_000);
      await workerA.exited;
      downtime = await simulateDowntime(world, DOWNTIME_MS);
      await burstComplete(world, burst.channels, 150_000);
    } finally {
      world.emulator.off('effect', onEffect);
    }

    const once = await checkExactlyOnce(world, burst.channels);
    const events = await eventFigures(world, burst.envelopes.map((e) => e.event_id as string));
    const chosenBy = new Map<string, number>();
    for (const l of world.logBook.lines) if (l.text.includes('"msg":"learners chosen"')) chosenBy.set(l.app, (chosenBy.get(l.app) ?? 0) + 1);
    report('roles', {
      workerKilledAfterEffects: killAfter,
      workerKilledAt,
      downtime,
      deliveries: player.stats.requests,
      refusedOrUnanswered: player.stats.refused + player.stats.unanswered,
      selectionsByProcess: Object.fromEntries(chosenBy),
      ...events,
      ...once,
      connections: sampler.summary(),
    });

    expect(workerKilledAt).toBeDefined();
    expect(once.details).toEqual([]);
    expect({ doubled: once.doubled, lost: once.lost, unexplained: once.unexplained, delivered: once.delivered }).toEqual({ doubled: 0, lost: 0, unexplained: 0, delivered: once.expected });
    expect(events).toEqual({ sent: INCIDENTS, stored: INCIDENTS, processed: INCIDENTS, duplicateRows: 0 });
    // Only workers chose learners: a web never processes an event.
    expect([...chosenBy.keys()].every((app) => app.startsWith('worker-'))).toBe(true);
    expect([...chosenBy.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(INCIDENTS);
  }, 300_000);

  it('never holds more database connections than DATABASE_POOL_MAX in any process, whatever its role', () => {
    for (const name of ['sj-web-a', 'sj-web-b', 'sj-worker-a', 'sj-worker-b']) expect(sampler.peak.get(name)).toBeGreaterThan(0);
    expect(sampler.overLimit(world.poolOf)).toEqual([]);
  });

  it('writes no token or signing secret into any log line', () => {
    expect(secretLeaks(world).leaks).toEqual([]);
  });
});
