import type { AppliedCall } from '../../src/dev/slack-emulator';
import { introKey, inviteKey, promptKey, welcomeKey } from '../../src/domain/ledger-keys';
import type { AppProcess } from '../helpers/app-process';
import { requiresRealPostgres } from '../helpers/database';
import {
  burstComplete,
  checkExactlyOnce,
  ConnectionSampler,
  effectsInSlack,
  eventFigures,
  freePort,
  incidentBurst,
  metadataKeyOf,
  report,
  secretLeaks,
  SEED,
  seededRandom,
  simulateDowntime,
  SlackPlayer,
  World,
} from './support';

/**
 * Crash (SPEC.md section 8): the app is killed with SIGKILL in the middle of a burst of
 * incidents, three times, each time in the worst place: Slack has done what the app asked (an
 * intro posted, a person invited, a DM sent) and the app dies before it hears the answer, so its
 * ledger row stays claimed. After each kill the database is made to look as if the app had been
 * down for 10 minutes (job expiry, claim and event leases), and the app is started again on the
 * same port, where Slack's redeliveries find it. Every invite, intro, DM and prompt happens once.
 */
const INCIDENTS = 40;
const DOWNTIME_MS = 10 * 60_000;

type Kind = 'intro' | 'invite' | 'dm';

const okApplied = (call: AppliedCall) => call.status === 200 && (call.response as { ok?: boolean }).ok === true;

/** Prompt numbers looked for among the DMs that may be killed in: more than any playbook has. */
const PROMPT_NUMBERS = Array.from({ length: 10 }, (_, i) => i + 1);

/**
 * Which effect a call is, for the kill points. Keys are built with the app's own builders
 * (src/domain/ledger-keys.ts) from the burst's channels and the call's arguments, never parsed.
 */
function kindOf(call: AppliedCall, channels: readonly string[]): { kind: Kind; key: string } | undefined {
  if (!okApplied(call)) return undefined;
  const to = String(call.args.channel);
  if (call.method === 'conversations.invite') return { kind: 'invite', key: inviteKey(to, String(call.args.users)) };
  if (call.method !== 'chat.postMessage') return undefined;
  const key = metadataKeyOf(call);
  if (!key) return undefined;
  if (key === introKey(to)) return { kind: 'intro', key };
  // A DM is posted to the user id: the welcome DM or a prompt of that person in one of the burst's incidents.
  const dm = channels.some((ch) => key === welcomeKey(ch, to) || PROMPT_NUMBERS.some((n) => key === promptKey(ch, to, n)));
  return dm ? { kind: 'dm', key } : undefined;
}

/**
 * Marks up to `n` stored, unprocessed events as taken by the process that just died (its lease on
 * them runs for another minute), as the event queue (src/jobs/event-queue.ts) leaves them when a
 * process is killed mid-batch: nobody may take them until the lease ends, and then somebody must.
 */
async function takenByDeadProcess(world: World, n: number): Promise<string[]> {
  const { rows } = await world.pg.query<{ event_id: string }>(
    `UPDATE slack_events SET attempts = attempts + 1, available_at = now() + interval '1 minute'
     WHERE event_id IN (SELECT event_id FROM slack_events WHERE processed_at IS NULL ORDER BY received_at DESC LIMIT $1)
     RETURNING event_id`,
    [n],
  );
  return rows.map((r) => r.event_id);
}

requiresRealPostgres('the app runs as separate processes, killed and restarted, against the same database')('fault: SIGKILL mid-burst', () => {
  let world: World;
  let sampler: ConnectionSampler;
  let port: number;
  const random = seededRandom(SEED + 1);
  let outcome: Awaited<ReturnType<typeof runCrashes>>;

  // The kills and restarts run here, once; every test below checks one side of them, in any order.
  beforeAll(async () => {
    world = await World.create('crash', 90);
    sampler = new ConnectionSampler(world.database.name);
    await sampler.start();
    port = await freePort();
    await world.startApp('crash-1', { port });
    await world.rosterSynced();
    outcome = await runCrashes();
  }, 330_000);

  afterAll(async () => {
    await sampler?.stop();
    await world?.stop();
  });

  async function runCrashes() {
    const plan: Kind[] = ['intro', 'invite', 'dm'];
    const burst = incidentBurst(world, 'crash', INCIDENTS);
    const killed: Array<{ kind: Kind; key: string; app: string }> = [];
    const downtimes: Array<{ jobs: number; claims: number; events: number }> = [];
    const orphaned: string[] = [];
    let current: AppProcess = world.apps[0]!;
    let seen = 0;
    let nth = 2 + Math.floor(random() * 4);
    const restarts: Array<Promise<void>> = [];
    let killedOnce: () => void = () => undefined;
    const firstKill = new Promise<void>((resolve) => (killedOnce = resolve));

    // Runs inside the emulator, after Slack applied a call and before the answer leaves.
    const onEffect = (call: AppliedCall) => {
      const stage = killed.length;
      if (stage >= plan.length || !current.alive) return;
      const effect = kindOf(call, burst.channels);
      if (!effect || effect.kind !== plan[stage]) return;
      seen += 1;
      if (seen < nth) return;
      current.signal('SIGKILL');
      killed.push({ ...effect, app: current.name });
      killedOnce();
      seen = 0;
      nth = 2 + Math.floor(random() * 4);
      const dead = current;
      restarts.push(
        (async () => {
          await dead.exited;
          // The first time, the dead process had also taken three stored events it never finished:
          // they come back when its lease ends (the downtime below outlasts it).
          if (stage === 0) orphaned.push(...(await takenByDeadProcess(world, 3)));
          downtimes.push(await simulateDowntime(world, DOWNTIME_MS));
          current = await world.startApp(`crash-${stage + 2}`, { port });
        })(),
      );
    };
    world.emulator.on('effect', onEffect);

    const player = new SlackPlayer(() => `http://127.0.0.1:${port}/slack/events`, world.secrets.signingSecret, { retryEveryMs: 300, giveUpMs: 240_000 });
    try {
      // The second half of the burst arrives right after the first kill, while the app is down: Slack redelivers it.
      const half = INCIDENTS / 2;
      await player.deliverAll(burst.envelopes.slice(0, half), 4, 100);
      await firstKill;
      await player.deliverAll(burst.envelopes.slice(half), 4);
      await burstComplete(world, burst.channels, 150_000);
      await Promise.all(restarts);
    } finally {
      world.emulator.off('effect', onEffect);
    }

    const once = await checkExactlyOnce(world, burst.channels);
    const events = await eventFigures(world, burst.envelopes.map((e) => e.event_id as string));
    const { byKey } = effectsInSlack(world.emulator);
    const exits = await Promise.all(world.apps.slice(0, -1).map((a) => a.exited));
    report('crash', {
      kills: killed,
      orphanedEvents: orphaned.length,
      downtimes,
      requests: player.stats.requests,
      unanswered: player.stats.unanswered,
      ...events,
      ...once,
      connections: sampler.summary(),
    });
    const orphanedProcessed = (await eventFigures(world, orphaned)).processed;
    return { plan, killed, exits, byKey, once, unanswered: player.stats.unanswered, orphaned, orphanedProcessed, events };
  }

  it('sends every invite, intro, DM and prompt exactly once across three kills and restarts', () => {
    const { plan, killed, exits, byKey, once, unanswered, orphaned, orphanedProcessed, events } = outcome;
    expect(killed.map((k) => k.kind)).toEqual(plan);
    expect(exits.map((e) => e.signal)).toEqual(['SIGKILL', 'SIGKILL', 'SIGKILL']);
    // The call the app died in reached Slack once, and the app recorded it as sent without repeating it.
    expect(killed.map((k) => byKey.get(k.key))).toEqual([1, 1, 1]);
    expect(once.takeoversFound).toBeGreaterThanOrEqual(killed.length);
    expect(once.details).toEqual([]);
    expect({ doubled: once.doubled, lost: once.lost, unexplained: once.unexplained, delivered: once.delivered }).toEqual({ doubled: 0, lost: 0, unexplained: 0, delivered: once.expected });
    expect(unanswered).toBeGreaterThan(0);
    expect(orphaned.length).toBeGreaterThan(0);
    expect(orphanedProcessed).toBe(orphaned.length);
    expect(events).toEqual({ sent: INCIDENTS, stored: INCIDENTS, processed: INCIDENTS, duplicateRows: 0 });
  });

  it('never holds more database connections than DATABASE_POOL_MAX in any incarnation', () => {
    expect(sampler.samples).toBeGreaterThan(50);
    expect(sampler.peak.size).toBe(4);
    expect(sampler.overLimit(world.poolOf)).toEqual([]);
  });

  it('writes no token or signing secret into any log line', () => {
    const scan = secretLeaks(world);
    report('crash/secrets', { lines: scan.lines, leaks: scan.leaks.length, masked: scan.masked });
    expect(scan.lines).toBeGreaterThan(0);
    expect(scan.leaks).toEqual([]);
  });
});
