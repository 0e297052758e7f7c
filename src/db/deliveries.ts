import type { Tx } from './tx';


/**
 * The ledger of effects that must happen exactly once (SPEC.md section 8). A key is claimed
 * before the Slack call and settled after it; a second worker, a redelivered event or a
 * restarted process finds the key taken and does nothing.
 *
 * A claim is a lease: the worker holding it renews it while its Slack call runs, so a claim
 * that stops being renewed belongs to a process that died. Such a stale claim may be taken over,
 * but the dead process may have reached Slack before it died, so the new holder looks in Slack
 * first (flows/deliver.ts) instead of sending blindly.
 */
export interface PlannedDelivery {
  key: string;
  kind: string;
  incidentId?: number | null;
  engineerId?: number | null;
  dueAt?: Date | null;
}

/**
 * The lease of a `deliveries` claim, renewed every third of it while the call runs
 * (flows/deliver.ts), so it only has to outlast a stalled event loop, not a slow Slack call.
 * A crash costs at most this much delay before another worker may take the key over.
 */
export const DELIVERY_LEASE_MS = 30_000;

export async function planDeliveries(db: Tx, planned: PlannedDelivery[]): Promise<number> {
  if (planned.length === 0) return 0;
  const { count } = await db.delivery.createMany({ data: planned, skipDuplicates: true });
  return count;
}

export type Claim = {
  key: string;
  /** identifies this claim: settling and renewing only apply while it is still ours */
  attempts: number;
  claimedAt: Date;
  /**
   * When the key was taken over from a claim that went stale, the time that claim was made: its
   * holder may have reached Slack after it, so the effect has to be looked for before repeating it.
   */
  staleClaimedAt: Date | null;
} | null;

interface ClaimRow {
  key: string;
  attempts: number;
  claimed_at: Date;
  previous_status: string;
  previous_claimed_at: Date | null;
}

export async function claimDelivery(db: Tx, key: string, now: Date, leaseMs = DELIVERY_LEASE_MS): Promise<Claim> {
  const staleBefore = new Date(now.getTime() - leaseMs);
  // The row lock of the subquery makes the old values read the ones this UPDATE replaces.
  const rows = await db.$queryRaw<ClaimRow[]>`
    WITH old AS (SELECT key, status, claimed_at FROM deliveries WHERE key = ${key} FOR UPDATE)
    UPDATE deliveries d SET status = 'sending', claimed_at = ${now}, attempts = d.attempts + 1
    FROM old
    WHERE d.key = old.key AND (old.status = 'pending' OR (old.status = 'sending' AND old.claimed_at < ${staleBefore}))
    RETURNING d.key, d.attempts, d.claimed_at, old.status::text AS previous_status, old.claimed_at AS previous_claimed_at`;
  const row = rows[0];
  if (!row) return null;
  return {
    key: row.key,
    attempts: row.attempts,
    claimedAt: row.claimed_at,
    staleClaimedAt: row.previous_status === 'sending' ? row.previous_claimed_at : null,
  };
}

/** Keeps a claim fresh while its Slack call runs; false when the claim is no longer ours. */
export async function renewClaim(db: Tx, claim: NonNullable<Claim>, now: Date): Promise<boolean> {
  const count = await db.$executeRaw`
    UPDATE deliveries SET claimed_at = ${now}
    WHERE key = ${claim.key} AND status = 'sending' AND attempts = ${claim.attempts}`;
  return count === 1;
}

export type SettledStatus = 'sent' | 'failed' | 'skipped' | 'pending';

/**
 * Records the outcome of a claim, if the claim is still ours: a holder whose lease was taken over
 * (it stalled, or the database was away while it called Slack) must not overwrite what the new
 * holder found or did. Returns whether it applied.
 */
export async function settleDelivery(db: Tx, claim: NonNullable<Claim>, status: SettledStatus, now: Date, error?: string): Promise<boolean> {
  const { count } = await db.delivery.updateMany({
    where: { key: claim.key, status: 'sending', attempts: claim.attempts },
    data: { status, error: error ?? null, sentAt: status === 'sent' ? now : undefined, claimedAt: status === 'pending' ? null : undefined },
  });
  return count === 1;
}

/**
 * Gives a taken-over claim back as stale, so that the next attempt looks in Slack again: used when
 * the look itself failed (Slack unavailable), as putting the key back to pending would forget that
 * an earlier holder may have sent it. The stale claim's own time is put back, since the next look
 * must reach back to when that holder may have sent.
 */
export async function releaseAsStale(db: Tx, claim: NonNullable<Claim>, leaseMs = DELIVERY_LEASE_MS): Promise<boolean> {
  const staleAt = claim.staleClaimedAt ?? new Date(claim.claimedAt.getTime() - leaseMs - 1);
  const count = await db.$executeRaw`
    UPDATE deliveries SET claimed_at = ${staleAt}
    WHERE key = ${claim.key} AND status = 'sending' AND attempts = ${claim.attempts}`;
  return count === 1;
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
