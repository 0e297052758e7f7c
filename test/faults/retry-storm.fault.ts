import type { RecordedCall } from '../../src/dev/slack-emulator';
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
  SlackPlayer,
  waitUntil,
  World,
} from './support';

/**
 * Retry storm (SPEC.md section 8): every event is delivered four times, the way Slack retries an
 * acknowledgement it did not see, some of the copies at the same moment. The effects happen once.
 */
const INCIDENTS = 30;

requiresRealPostgres('the app runs as a separate process against the same database')('fault: retry storm', () => {
  let world: World;
  let sampler: ConnectionSampler;
  let outcome: Awaited<ReturnType<typeof runStorm>>;
  const random = seededRandom(SEED);

  // The storm runs here, once; every test below checks one side of it, whatever order they run in.
  beforeAll(async () => {
    world = await World.create('retry-storm', 70);
    sampler = new ConnectionSampler(world.database.name);
    await sampler.start();
    await world.startApp('storm', { poolMax: 5 });
    await world.rosterSynced();
    outcome = await runStorm();
  }, 240_000);

  afterAll(async () => {
    await sampler?.stop();
    await world?.stop();
  });

  /** Four deliveries of one envelope, in one of three patterns, chosen by the seeded PRNG. */
  async function storm(player: SlackPlayer, envelope: Record<string, unknown>): Promise<void> {
    const pattern = Math.floor(random() * 3);
    if (pattern === 0) {
      await Promise.all([0, 1, 2, 3].map((n) => player.deliver(envelope, n)));
    } else if (pattern === 1) {
      await player.deliver(envelope, 0);
      await Promise.all([player.deliver(envelope, 1), player.deliver(envelope, 2)]);
      await player.deliver(envelope, 3);
    } else {
      for (const n of [0, 1, 2, 3]) await player.deliver(envelope, n);
    }
  }

  async function runStorm() {
    const app = world.apps[0]!;
    const player = new SlackPlayer(() => app.eventsUrl, world.secrets.signingSecret);
    const burst = incidentBurst(world, 'storm', INCIDENTS);
    const sender = world.sender(app.eventsUrl);
    const eventIds = burst.envelopes.map((e) => e.event_id as string);

    // As Slack does, each invite is followed by member_joined_channel, itself delivered four times.
    const joins: Array<Promise<void>> = [];
    const onCall = (call: RecordedCall) => {
      if (call.method !== 'conversations.invite' || (call.response as { ok?: boolean }).ok !== true) return;
      const envelope = sender.envelope({ type: 'member_joined_channel', user: String(call.args.users), channel: String(call.args.channel), channel_type: 'C', team: world.emulator.teamId, inviter: world.emulator.botUserId });
      eventIds.push(envelope.event_id as string);
      joins.push(storm(player, envelope));
    };
    world.emulator.on('call', onCall);
    try {
      await Promise.all(burst.envelopes.map((envelope) => storm(player, envelope)));
      await burstComplete(world, burst.channels);
      await waitUntil(() => joins.length >= INCIDENTS * 2, 'a member_joined_channel for every invite');
      await Promise.all(joins);
    } finally {
      world.emulator.off('call', onCall);
    }
    await waitUntil(async () => (await eventFigures(world, eventIds)).processed === eventIds.length, 'every stored event processed');

    const once = await checkExactlyOnce(world, burst.channels);
    const events = await eventFigures(world, eventIds);
    report('retry-storm', {
      events: eventIds.length,
      deliveries: player.stats.requests,
      statuses: player.stats.statuses,
      ...events,
      ...once,
      connections: sampler.summary(),
    });
    return { once, events, eventIds, requests: player.stats.requests, acked: player.stats.acked };
  }

  it('gives every effect once when every event comes four times, some at once', () => {
    const { once, events, eventIds, requests, acked } = outcome;
    expect(once.incidents).toBe(INCIDENTS);
    expect(once.details).toEqual([]);
    expect({ doubled: once.doubled, lost: once.lost, unexplained: once.unexplained, delivered: once.delivered }).toEqual({ doubled: 0, lost: 0, unexplained: 0, delivered: once.expected });
    // Four deliveries each at least (more when an answer was not a 2xx and Slack, here the player, sent it again).
    expect(requests).toBeGreaterThanOrEqual(eventIds.length * 4);
    expect(acked).toBe(eventIds.length * 4);
    expect(events).toEqual({ sent: eventIds.length, stored: eventIds.length, processed: eventIds.length, duplicateRows: 0 });
  });

  it('never holds more database connections than DATABASE_POOL_MAX', () => {
    expect(sampler.samples).toBeGreaterThan(50);
    expect(sampler.peak.get('sj-storm')).toBeGreaterThan(0);
    expect(sampler.overLimit(world.poolOf)).toEqual([]);
  });

  it('writes no token or signing secret into any log line', () => {
    const scan = secretLeaks(world);
    report('retry-storm/secrets', { lines: scan.lines, leaks: scan.leaks.length, masked: scan.masked });
    expect(scan.lines).toBeGreaterThan(0);
    expect(scan.leaks).toEqual([]);
  });
});
