import { Prisma } from '../generated/prisma/client';
import type { Tx } from './tx';

/**
 * The once-only ledger (SPEC.md section 8), as one interface over the tables that hold it:
 * `deliveries` (one row per planned key) and `digests` (one row per person and week). Each row is
 * claimed before its Slack call and settled after it; flows/deliver.ts runs the protocol, the
 * tables only say how a row is claimed and how an uncertain attempt is put back.
 *
 * A claim is a lease: the worker holding it renews it while its Slack call runs, so a claim that
 * stops being renewed belongs to a process that died. Such a stale claim may be taken over, but
 * the dead process may have reached Slack before it died, so the new holder looks in Slack first.
 * `attempts` numbers the claims: renewing and settling apply only while the row still carries the
 * holder's number, so a holder whose lease was taken over cannot overwrite the new holder's record.
 */
export type LedgerStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped' | 'cancelled';
export type SettledStatus = 'sent' | 'failed' | 'skipped' | 'pending';

/**
 * The lease of a claim, renewed every third of it while the call runs (flows/deliver.ts), so it
 * only has to outlast a stalled event loop, not a slow Slack call. A crash costs at most this much
 * delay before another worker may take the key over.
 */
export const LEDGER_LEASE_MS = 30_000;

export interface Claim {
  key: string;
  /** identifies this claim: settling and renewing only apply while it is still ours */
  attempts: number;
  claimedAt: Date;
  /**
   * When the key was taken over from a claim that may have reached Slack (it went stale, or its
   * call failed in a way that leaves that open), the time that claim was made: the effect has to be
   * looked for before repeating it.
   */
  staleClaimedAt: Date | null;
}

/** One ledger entry: the key Slack sees, and the operations on its row. */
export interface LedgerEntry {
  readonly key: string;
  /** Takes the row for this worker: null when it is settled, held by a live worker, or unknown. */
  claim(now: Date, leaseMs: number): Promise<Claim | null>;
  /** Keeps a claim fresh while its Slack call runs; false when the claim is no longer ours. */
  renew(claim: Claim, now: Date): Promise<boolean>;
  /** Records the outcome, if the claim is still ours; returns whether it applied. */
  settle(claim: Claim, status: SettledStatus, now: Date, error?: string): Promise<boolean>;
  /**
   * Gives the row back after a call that may have reached Slack (a 5xx, a lost connection, a failed
   * look), so that the next claim looks in Slack before sending again.
   */
  releaseUncertain(claim: Claim, leaseMs: number, error: string): Promise<boolean>;
  /** The row's status now, null when there is no row. */
  status(): Promise<LedgerStatus | null>;
}

export type LedgerTable = 'deliveries' | 'digests';

/** How one table keeps the ledger: its row of a key, its claiming statement, its release. */
export interface LedgerTableRow {
  table: LedgerTable;
  key: string;
  /** an SQL condition that picks the key's row */
  row: Prisma.Sql;
  /** Takes the row when it is pending or its claim was made before `staleBefore`; returns it as claimed, with its previous state. */
  claimRows(now: Date, staleBefore: Date): Promise<ClaimRow[]>;
  /** Whether the row as it was before this claim may have reached Slack. */
  uncertain(previous: ClaimRow): boolean;
  releaseUncertain: LedgerEntry['releaseUncertain'];
}

/** A ledger entry from a table's own claim and release, and the renewal, settling and reading both tables share. */
export function ledgerEntry(db: Tx, t: LedgerTableRow): LedgerEntry {
  const from = Prisma.raw(t.table);
  return {
    key: t.key,
    async claim(now, leaseMs) {
      const [claimed] = await t.claimRows(now, new Date(now.getTime() - leaseMs));
      if (!claimed) return null;
      return { key: t.key, attempts: claimed.attempts, claimedAt: claimed.claimed_at, staleClaimedAt: t.uncertain(claimed) ? claimed.previous_claimed_at : null };
    },
    async renew(claim, now) {
      return (await db.$executeRaw`UPDATE ${from} SET claimed_at = ${now} WHERE ${heldBy(t.row, claim)}`) === 1;
    },
    async settle(claim, status, now, error) {
      const count = await db.$executeRaw`
        UPDATE ${from} SET status = ${status}::"DeliveryStatus", error = ${error ?? null},
          sent_at = CASE WHEN ${status} = 'sent' THEN ${now}::timestamptz ELSE sent_at END,
          claimed_at = CASE WHEN ${status} = 'pending' THEN NULL ELSE claimed_at END
        WHERE ${heldBy(t.row, claim)}`;
      return count === 1;
    },
    async status() {
      const rows = await db.$queryRaw<Array<{ status: LedgerStatus }>>`SELECT status::text AS status FROM ${from} WHERE ${t.row}`;
      return rows[0]?.status ?? null;
    },
    releaseUncertain: t.releaseUncertain,
  };
}

/** The row, while `claim` still holds it. */
export const heldBy = (row: Prisma.Sql, claim: Claim) => Prisma.sql`${row} AND status = 'sending' AND attempts = ${claim.attempts}`;

/** Puts a claim back as stale (still `sending`, its time in the past), keeping the time of the claim that may have sent. */
export async function releaseAsStale(db: Tx, table: LedgerTable, row: Prisma.Sql, claim: Claim, leaseMs: number): Promise<boolean> {
  const staleAt = claim.staleClaimedAt ?? new Date(claim.claimedAt.getTime() - leaseMs - 1);
  const count = await db.$executeRaw`
    UPDATE ${Prisma.raw(table)} SET claimed_at = ${staleAt} WHERE ${heldBy(row, claim)}`;
  return count === 1;
}

/** What a claiming statement returns: the new claim and the row as it was before. */
export interface ClaimRow {
  attempts: number;
  claimed_at: Date;
  previous_status: string | null;
  previous_claimed_at: Date | null;
}
