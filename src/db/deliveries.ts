import type { Tx } from './tx';


/**
 * The ledger of effects that must happen at most once (SPEC.md section 8). A key is claimed
 * before the Slack call and marked sent after it; a second worker, a redelivered event or a
 * restarted process finds the key taken and does nothing.
 */
export interface PlannedDelivery {
  key: string;
  kind: string;
  incidentId?: number | null;
  engineerId?: number | null;
  dueAt?: Date | null;
}

/** A claim older than this is from a process that died mid-call; the effect may be retried. */
export const CLAIM_LEASE_MS = 120_000;

export async function planDeliveries(db: Tx, planned: PlannedDelivery[]): Promise<number> {
  if (planned.length === 0) return 0;
  const { count } = await db.delivery.createMany({ data: planned, skipDuplicates: true });
  return count;
}

export type Claim = { key: string; attempts: number } | null;

export async function claimDelivery(db: Tx, key: string, now: Date): Promise<Claim> {
  const staleBefore = new Date(now.getTime() - CLAIM_LEASE_MS);
  const rows = await db.$queryRaw<Array<{ key: string; attempts: number }>>`
    UPDATE deliveries SET status = 'sending', claimed_at = ${now}, attempts = attempts + 1
    WHERE key = ${key} AND (status = 'pending' OR (status = 'sending' AND claimed_at < ${staleBefore}))
    RETURNING key, attempts`;
  return rows[0] ?? null;
}

export async function markDelivery(db: Tx, key: string, status: 'sent' | 'failed' | 'skipped' | 'pending' | 'cancelled', now: Date, error?: string) {
  await db.delivery.update({
    where: { key },
    data: { status, error: error ?? null, sentAt: status === 'sent' ? now : undefined, claimedAt: status === 'pending' ? null : undefined },
  });
}

export function deliveriesOf(db: Tx, incidentId: number, kind?: string) {
  return db.delivery.findMany({ where: { incidentId, ...(kind ? { kind } : {}) }, orderBy: { key: 'asc' } });
}

export function findDelivery(db: Tx, key: string) {
  return db.delivery.findUnique({ where: { key } });
}

/** Cancels what has not gone out yet (prompts of a learner who left, of a resolved incident). */
export async function cancelPending(db: Tx, where: { incidentId: number; engineerId?: number; kind?: string }): Promise<number> {
  const { count } = await db.delivery.updateMany({ where: { ...where, status: 'pending' }, data: { status: 'cancelled' } });
  return count;
}
