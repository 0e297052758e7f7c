import { storedEnvelope, type StoredEnvelope } from '../../src/db/events';
import { pruneLedgers, pruneProcessedEvents } from '../../src/jobs/event-retention';
import { startHarness, waitUntil, person, type Harness } from '../helpers/harness';

// Four juniors: each incident below gets two learners, and a learner is busy until their incident resolves.
const team = [person('U0CREATOR', 'Casey'), person('U0JUNIOR1', 'Jo'), person('U0JUNIOR2', 'Kim'), person('U0JUNIOR3', 'Ari'), person('U0JUNIOR4', 'Mo')];

/** The stored events are the queue (src/jobs/event-queue.ts): leases, retries and other processes' leftovers. */
describe('the event queue', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ users: team });
  });
  afterAll(async () => h?.stop());

  const row = (eventId: string) => h.app.deps.db.slackEvent.findUniqueOrThrow({ where: { eventId } });
  const created = (id: string, name: string) => ({ type: 'channel_created', channel: { id, name, created: Math.floor(h.clock().getTime() / 1000), creator: 'U0CREATOR' } });

  it('retries an event whose processing failed, after a backoff, and records the attempts', async () => {
    const channel = h.emulator.addChannel({ name: 'inc-flaky-slack', creator: 'U0CREATOR' });
    // Reads are retried by the Slack client itself (four times); five 500s outlast that, and the event fails.
    h.emulator.addFault({ method: 'conversations.info', status: 500, times: 5, when: (args) => args.channel === channel.id });
    const envelope = h.sender.envelope(created(channel.id, channel.name));
    expect((await h.sender.deliver(envelope)).status).toBe(200);
    const eventId = envelope.event_id as string;
    await waitUntil(async () => (await row(eventId)).lastError !== null, 'the first attempt to fail', 15_000);
    const failed = await row(eventId);
    expect(failed.processedAt).toBeNull();
    expect(failed.availableAt.getTime()).toBeGreaterThan(failed.receivedAt.getTime());
    await waitUntil(async () => (await row(eventId)).processedAt !== null, 'the retry to succeed', 15_000);
    expect(await row(eventId)).toMatchObject({ attempts: 2, lastError: null });
    expect(h.emulator.callsTo('conversations.invite').filter((c) => c.args.channel === channel.id)).toHaveLength(2);
  });

  it('leaves an event taken by a process that died until its lease ends, then processes it once', async () => {
    const channel = h.emulator.addChannel({ name: 'inc-orphaned', creator: 'U0CREATOR' });
    const envelope = h.sender.envelope(created(channel.id, channel.name));
    const eventId = envelope.event_id as string;
    // Stored by a process that took it and died: its lease runs for another minute.
    await h.app.deps.pool.query(`INSERT INTO slack_events (event_id, type, payload, attempts, available_at) VALUES ($1, 'channel_created', $2, 1, now() + interval '1 minute')`, [
      eventId,
      JSON.stringify(storedEnvelope(envelope as unknown as StoredEnvelope)),
    ]);
    h.app.deps.events.wake();
    await new Promise((r) => setTimeout(r, 1_500)); // more than one poll: nothing may take it before the lease ends
    expect((await row(eventId)).processedAt).toBeNull();
    await h.app.deps.pool.query(`UPDATE slack_events SET available_at = now() WHERE event_id = $1`, [eventId]);
    await waitUntil(async () => (await row(eventId)).processedAt !== null, 'the orphaned event to be processed');
    expect(await row(eventId)).toMatchObject({ attempts: 2 });
    expect(h.emulator.messagesTo(channel.id)).toHaveLength(1);
  });
});

describe('event retention', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ users: team });
  });
  afterAll(async () => h?.stop());

  it('deletes processed events older than 30 days and keeps recent or unprocessed ones', async () => {
    const insert = (id: string, processedDaysAgo: number | null, receivedDaysAgo: number) =>
      h.app.deps.pool.query(
        `INSERT INTO slack_events (event_id, type, payload, received_at, processed_at, attempts, available_at)
         VALUES ($1, 'channel_created', '{}', now() - $2 * interval '1 day', CASE WHEN $3::int IS NULL THEN NULL ELSE now() - $3 * interval '1 day' END, 10, now())`,
        [id, receivedDaysAgo, processedDaysAgo],
      );
    await insert('EvOLDDONE1', 40, 40);
    await insert('EvOLDDONE2', 31, 31);
    await insert('EvRECENT01', 5, 5);
    await insert('EvSTUCK001', null, 90); // failed for good: kept for a person to look at
    const deleted = await pruneProcessedEvents(h.app.deps, 1);
    expect(deleted).toBe(2);
    const left = await h.app.deps.db.slackEvent.findMany({ where: { eventId: { in: ['EvOLDDONE1', 'EvOLDDONE2', 'EvRECENT01', 'EvSTUCK001'] } }, select: { eventId: true }, orderBy: { eventId: 'asc' } });
    expect(left.map((e) => e.eventId)).toEqual(['EvRECENT01', 'EvSTUCK001']);
  });
  it('deletes settled delivery rows older than 90 days and digest rows older than 400 days, and keeps pending ones', async () => {
    const { db, pool } = h.app.deps;
    const jo = await db.engineer.findUniqueOrThrow({ where: { slackId: 'U0JUNIOR1' } });
    const delivery = (key: string, status: string, daysAgo: number) =>
      pool.query(`INSERT INTO deliveries (key, kind, engineer_id, status, sent_at, created_at) VALUES ($1, 'prompt', $2, $3::"DeliveryStatus", CASE WHEN $3 = 'sent' THEN now() - $4 * interval '1 day' END, now() - $4 * interval '1 day')`, [key, jo.id, status, daysAgo]);
    await delivery('prompt:COLD:U0JUNIOR1:1', 'sent', 91);
    await delivery('prompt:COLD:U0JUNIOR1:2', 'cancelled', 120);
    await delivery('prompt:COLD:U0JUNIOR1:3', 'failed', 200);
    await delivery('prompt:WARM:U0JUNIOR1:1', 'sent', 89);
    await delivery('prompt:STUCK:U0JUNIOR1:1', 'pending', 300); // still work: kept
    const digest = (daysAgo: number, status: string) =>
      pool.query(`INSERT INTO digests (engineer_id, week_start, status) VALUES ($1, current_date - $2::int, $3::"DeliveryStatus")`, [jo.id, daysAgo, status]);
    await digest(406, 'sent');
    await digest(399, 'sent');
    await digest(700, 'skipped');

    const pruned = await pruneLedgers(h.app.deps, 1);

    expect(pruned).toEqual({ deliveries: 3, digests: 2 });
    const keys = (await db.delivery.findMany({ where: { key: { contains: ':U0JUNIOR1:' } }, select: { key: true }, orderBy: { key: 'asc' } })).map((d) => d.key);
    expect(keys).toEqual(['prompt:STUCK:U0JUNIOR1:1', 'prompt:WARM:U0JUNIOR1:1']);
    // Only the rows made above: the app's own digest job may have given Jo a row for this week meanwhile.
    const { rows } = await pool.query<{ age: number }>(`SELECT (current_date - week_start)::int AS age FROM digests WHERE engineer_id = $1 AND week_start < current_date - 300 ORDER BY age`, [jo.id]);
    expect(rows.map((r) => r.age)).toEqual([399]);
  });
});
