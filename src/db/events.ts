import type { Pool } from 'pg';
import type { PrismaClient } from '../generated/prisma/client';

/**
 * Stores an Events API envelope before it is acknowledged. One single-row statement on the raw
 * pool, because it sits on the path of every acknowledgement. Returns false for a duplicate
 * (a redelivery with X-Slack-Retry-Num, or the same event twice).
 */
export async function storeEvent(pool: Pool, eventId: string, type: string, envelope: unknown): Promise<boolean> {
  const result = await pool.query(
    'INSERT INTO slack_events (event_id, type, payload) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING',
    [eventId, type, JSON.stringify(envelope)],
  );
  return result.rowCount === 1;
}

export function loadEvent(db: PrismaClient, eventId: string) {
  return db.slackEvent.findUnique({ where: { eventId } });
}

/** An event tried this many times is left unprocessed, with its last error, for a person to look at. */
export const MAX_EVENT_ATTEMPTS = 10;

export interface TakenEvent {
  eventId: string;
  receivedAt: Date;
  attempts: number;
}

/**
 * Takes up to `limit` events that are due, oldest first, and moves them one lease ahead, so that
 * no other process takes them meanwhile and a process that dies lets them go when the lease ends.
 * SKIP LOCKED lets replicas take batches side by side. Times are the database's, shared by all.
 */
export async function takeDueEvents(pool: Pool, limit: number, leaseMs: number): Promise<TakenEvent[]> {
  const { rows } = await pool.query<{ event_id: string; received_at: Date; attempts: number }>(
    `UPDATE slack_events SET available_at = now() + $2 * interval '1 millisecond', attempts = attempts + 1
     WHERE event_id IN (
       SELECT event_id FROM slack_events
       WHERE processed_at IS NULL AND available_at <= now() AND attempts < $3
       ORDER BY received_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING event_id, received_at, attempts`,
    [limit, leaseMs, MAX_EVENT_ATTEMPTS],
  );
  return rows
    .map((r) => ({ eventId: r.event_id, receivedAt: r.received_at, attempts: r.attempts }))
    .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
}

export async function markEventProcessed(pool: Pool, eventId: string): Promise<void> {
  await pool.query('UPDATE slack_events SET processed_at = now(), last_error = NULL WHERE event_id = $1', [eventId]);
}

/** A failed attempt: the event is due again after `retryInMs`. */
export async function markEventFailed(pool: Pool, eventId: string, error: string, retryInMs: number): Promise<void> {
  await pool.query(
    `UPDATE slack_events SET last_error = $2, available_at = now() + $3 * interval '1 millisecond' WHERE event_id = $1`,
    [eventId, error.slice(0, 1000), retryInMs],
  );
}

/**
 * When Slack sent the latest event stored (its `event_time`, Slack's clock, as channels' `created`
 * is), or null before the first. A scan, run once per channel sweep (every 15 minutes).
 */
export async function lastEventTime(db: PrismaClient): Promise<Date | null> {
  const [row] = await db.$queryRaw<Array<{ at: bigint | null }>>`
    SELECT max((payload->>'event_time')::bigint) AS at FROM slack_events WHERE payload ? 'event_time'`;
  return row?.at ? new Date(Number(row.at) * 1000) : null;
}
