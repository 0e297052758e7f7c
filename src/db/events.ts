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

export async function markEventProcessed(db: PrismaClient, eventId: string, now: Date) {
  await db.slackEvent.update({ where: { eventId }, data: { processedAt: now, lastError: null } });
}

export async function markEventFailed(db: PrismaClient, eventId: string, error: string) {
  await db.slackEvent.update({ where: { eventId }, data: { attempts: { increment: 1 }, lastError: error.slice(0, 1000) } });
}

/** Events stored but not processed after `olderThanMs`: their job was never enqueued (a crash right after the ack). */
export async function unprocessedEventIds(db: PrismaClient, now: Date, olderThanMs: number, limit = 500): Promise<string[]> {
  const before = new Date(now.getTime() - olderThanMs);
  const rows = await db.slackEvent.findMany({
    where: { processedAt: null, receivedAt: { lt: before }, attempts: { lt: 10 } },
    select: { eventId: true },
    orderBy: { receivedAt: 'asc' },
    take: limit,
  });
  return rows.map((r) => r.eventId);
}
