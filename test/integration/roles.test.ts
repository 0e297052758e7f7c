import { SlackEmulator } from '../../src/dev/slack-emulator';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { person, startHarness, waitUntil, type Harness } from '../helpers/harness';

/**
 * ROLE (SPEC.md sections 2 and 8): a `web` process stores and acknowledges and does nothing else;
 * a `worker` has no Slack-facing port and processes what a web stored, woken by the NOTIFY that
 * rides in the web's INSERT. Both share one database and one workspace (the emulator).
 */
// Four juniors: the two incidents below get two learners each, and a learner is busy until their incident resolves.
const team = [person('U0CREATOR', 'Casey'), person('U0JUNIOR1', 'Jo'), person('U0JUNIOR2', 'Kim'), person('U0JUNIOR3', 'Ari'), person('U0JUNIOR4', 'Mo')];
/** Slack methods with an effect a person would see */
const EFFECTS = ['conversations.invite', 'conversations.join', 'chat.postMessage', 'chat.postEphemeral', 'views.publish'];
/** The worker's poll for due events, turned far out: only a notification can wake it within the test. */
const POLL_FAR_OUT_MS = 3_600_000;

describe('web and worker roles', () => {
  let database: TestDatabase;
  let emulator: SlackEmulator;
  let web: Harness;
  let worker: Harness | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    emulator = new SlackEmulator();
    await emulator.start();
    // No users yet: nothing would sync them until a worker runs the roster job.
    web = await startHarness({ database, emulator, env: { ROLE: 'web' } });
    for (const user of team) emulator.addUser(user);
  });

  afterAll(async () => {
    await worker?.stop();
    await web?.stop();
    await emulator?.stop();
    await database?.drop();
  });

  const processed = async (eventId: string) => (await web.app.deps.db.slackEvent.findUnique({ where: { eventId } }))?.processedAt != null;
  const created = (name: string) => {
    const channel = emulator.addChannel({ name, creator: 'U0CREATOR' });
    return { channel, event: { type: 'channel_created', channel: { id: channel.id, name: channel.name, created: Math.floor(web.clock().getTime() / 1000), creator: 'U0CREATOR' } } };
  };

  it('web alone: stores and acknowledges, reports its role, and never calls Slack for an effect', async () => {
    const { event } = created('inc-web-only');
    const envelope = web.sender.envelope(event);
    const res = await web.sender.deliver(envelope);
    expect(res.status).toBe(200);

    const health = await fetch(`${web.app.url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', database: 'up', role: 'web' });
    expect(await (await fetch(`${web.app.metricsUrl}/metrics`)).text()).toMatch(/^smokejumper_role_info\{role="web"\} 1$/m);
    // Longer than the event queue's poll and wake delay in a process that drains: nothing may take it.
    await new Promise((r) => setTimeout(r, 2_000));
    const row = await web.app.deps.db.slackEvent.findUniqueOrThrow({ where: { eventId: envelope.event_id as string } });
    expect({ processedAt: row.processedAt, attempts: row.attempts }).toEqual({ processedAt: null, attempts: 0 });
    expect(emulator.calls.filter((c) => EFFECTS.includes(c.method))).toEqual([]);
    expect(new Set(emulator.calls.map((c) => c.method))).toEqual(new Set(['auth.test']));
  });

  it('a worker with no Slack-facing port processes what the web stored', async () => {
    const pending = await web.app.deps.db.slackEvent.findMany({ where: { processedAt: null }, select: { eventId: true } });
    expect(pending).toHaveLength(1);
    worker = await startHarness({ database, emulator, env: { ROLE: 'worker' }, start: { eventPollMs: POLL_FAR_OUT_MS } });

    // Its only port is the operations port: /healthz and /metrics, no /slack/events.
    expect(worker.app.url).toBe(worker.app.metricsUrl);
    expect(await (await fetch(`${worker.app.url}/healthz`)).json()).toEqual({ status: 'ok', database: 'up', role: 'worker' });
    const post = await fetch(`${worker.app.url}/slack/events`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    await waitUntil(() => processed(pending[0]!.eventId), 'the worker to process the stored event');
    // The worker runs the jobs too: the roster sync at its start.
    await waitUntil(async () => (await web.app.deps.db.engineer.count({ where: { active: true } })) === team.length, 'the roster sync, run by the worker');
  });

  it('wakes the worker through NOTIFY: with its poll an hour out, an event stored by the web is processed', async () => {
    // The worker's LISTEN is in place (its connection shows it in pg_stat_activity).
    await waitUntil(async () => {
      const { rows } = await web.app.deps.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN %'");
      return rows[0]!.n >= 1;
    }, 'the worker to LISTEN');
    const { event, channel } = created('inc-woken-by-notify');
    const envelope = web.sender.envelope(event);
    expect((await web.sender.deliver(envelope)).status).toBe(200);

    await waitUntil(() => processed(envelope.event_id as string), 'the notified worker to process the event');
    // The worker, not the web, invited the learners.
    await waitUntil(() => emulator.callsTo('conversations.invite').filter((c) => c.args.channel === channel.id && c.status === 200).length === 2, 'two learners invited');
  });
});
