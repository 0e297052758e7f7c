import { Prisma } from '../generated/prisma/client';
import { ledgerEntry, releaseAsStale, type ClaimRow, type LedgerEntry } from './ledger';
import type { Tx } from './tx';

/**
 * The ledger of effects that must happen exactly once (SPEC.md section 8), one row per key,
 * planned before anything is sent. A key is claimed before the Slack call and settled after it;
 * a second worker, a redelivered event or a restarted process finds the key taken and does
 * nothing. The claim protocol is db/ledger.ts and flows/deliver.ts.
 */
export interface PlannedDelivery {
  key: string;
  kind: string;
  incidentId?: number | null;
  engineerId?: number | null;
  dueAt?: Date | null;
}

export async function planDeliveries(db: Tx, planned: PlannedDelivery[]): Promise<number> {
  if (planned.length === 0) return 0;
  const { count } = await db.delivery.createMany({ data: planned, skipDuplicates: true });
  return count;
}

/**
 * The ledger entry of a planned key (db/ledger.ts). Only a planned row can be claimed: a key
 * nobody planned is never sent. After a call that may have reached Slack the claim is put back as
 * stale, so that the next holder looks in Slack first.
 */
export function deliveryLedger(db: Tx, key: string): LedgerEntry {
  const row = Prisma.sql`key = ${key}`;
  return ledgerEntry(db, {
    table: 'deliveries',
    key,
    row,
    // The row lock of the subquery makes the old values read the ones this UPDATE replaces.
    claimRows: (now, staleBefore) => db.$queryRaw<ClaimRow[]>`
      WITH old AS (SELECT key, status, claimed_at FROM deliveries WHERE key = ${key} FOR UPDATE)
      UPDATE deliveries d SET status = 'sending', claimed_at = ${now}, attempts = d.attempts + 1
      FROM old
      WHERE d.key = old.key AND (old.status = 'pending' OR (old.status = 'sending' AND old.claimed_at < ${staleBefore}))
      RETURNING d.attempts, d.claimed_at, old.status::text AS previous_status, old.claimed_at AS previous_claimed_at`,
    uncertain: (previous) => previous.previous_status === 'sending',
    releaseUncertain: (claim, leaseMs) => releaseAsStale(db, 'deliveries', row, claim, leaseMs),
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

/** Of these keys, the ones still pending, with when each is due. */
export async function pendingDueAt(db: Tx, keys: string[]): Promise<Map<string, Date | null>> {
  const rows = await db.delivery.findMany({ where: { key: { in: keys }, status: 'pending' }, select: { key: true, dueAt: true } });
  return new Map(rows.map((r) => [r.key, r.dueAt]));
}
