import type { PrismaClient, Tx } from './tx';

/**
 * The once-per-incident selection of learners (SPEC.md section 3): the lock that makes it happen
 * once, one at a time, and the rows it writes besides invitations and ledger entries.
 */

/** One selection at a time across all replicas: see withIncidentSelectionLock. */
export const SELECTION_LOCK = 0x736a_7365; // "sjse"

/** The incident as its selection reads it, under its row lock. */
export interface IncidentToSelect {
  channelId: string;
  createdBy: string | null;
}

/**
 * Runs `select` in one transaction that holds two locks, and only for an incident not yet selected
 * nor resolved (else null, and nothing runs):
 * - selections run one at a time across all replicas (a transaction-scoped advisory lock), so that
 *   each sees the invitations of the one before: run side by side, a burst of incidents took the
 *   same least-exposed people past MAX_AUTO_INVITES_PER_WEEK (BENCHMARKS.md, burst);
 * - the incident's row is locked (FOR UPDATE) and its selected_at read under the lock, so that a
 *   second caller for the same incident waits and then finds it selected.
 * The advisory lock is always taken before the row lock, in that order.
 */
export async function withIncidentSelectionLock<T>(db: PrismaClient, incidentId: number, select: (tx: Tx, incident: IncidentToSelect) => Promise<T>): Promise<T | null> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SELECTION_LOCK})`;
      const [locked] = await tx.$queryRaw<Array<{ selected_at: Date | null; resolved_at: Date | null; channel_id: string; created_by: string | null }>>`
        SELECT selected_at, resolved_at, channel_id, created_by FROM incidents WHERE id = ${incidentId} FOR UPDATE`;
      if (!locked || locked.selected_at || locked.resolved_at) return null;
      return select(tx, { channelId: locked.channel_id, createdBy: locked.created_by });
    },
    { timeout: 20_000, maxWait: 10_000 },
  );
}

/** Engineer ids by Slack id, for the people a selection chose. */
export async function engineerIdsOf(db: Tx, slackIds: string[]): Promise<Map<string, number>> {
  const rows = await db.engineer.findMany({ where: { slackId: { in: slackIds } }, select: { id: true, slackId: true } });
  return new Map(rows.map((e) => [e.slackId, e.id]));
}

/** Stamps the incident selected, with its mentor: no selection runs for it again. */
export async function markIncidentSelected(db: Tx, incidentId: number, at: Date, mentorSlackId: string | null): Promise<void> {
  await db.incident.update({ where: { id: incidentId }, data: { selectedAt: at, mentorSlackId } });
}
