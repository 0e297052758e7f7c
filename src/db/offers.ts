import type { PrismaClient, Tx } from './tx';
import { SELECTION_LOCK } from './selections';

/**
 * Offers (INVITE_MODE=offer, SPEC.md section 4): one row per person asked and incident. An offer
 * is `open` until it is answered (`accepted`, `declined`), times out (`expired`), or is closed by
 * the incident (`withdrawn`: responders said no learners, or it resolved). Every change of status
 * is conditional on the row still being open, so two answers (a double click, a timeout racing a
 * click) cannot both win.
 */
export type OfferStatus = 'open' | 'accepted' | 'declined' | 'expired' | 'withdrawn';

export async function createOffer(
  db: Tx,
  row: { incidentId: number; engineerId: number; source: 'auto_invite' | 'volunteer'; reason: string; offeredAt: Date },
) {
  return db.offer.upsert({ where: { engineerId_incidentId: { engineerId: row.engineerId, incidentId: row.incidentId } }, create: row, update: {} });
}

export function findOffer(db: Tx, id: number) {
  return db.offer.findUnique({ where: { id }, include: { engineer: true, incident: true } });
}

export function offersOf(db: Tx, incidentId: number, status?: OfferStatus) {
  return db.offer.findMany({ where: { incidentId, ...(status ? { status } : {}) }, include: { engineer: true }, orderBy: { id: 'asc' } });
}

/** Moves an open offer to `to`; false when it was not open any more (answered or closed meanwhile). */
export async function closeOffer(db: Tx, id: number, to: Exclude<OfferStatus, 'open'>, at: Date): Promise<boolean> {
  const { count } = await db.offer.updateMany({ where: { id, status: 'open' }, data: { status: to, answeredAt: at } });
  return count === 1;
}

/** The offer's DM, once sent, for chat.update later. */
export async function recordOfferDm(db: Tx, id: number, dm: { channel: string; ts: string }): Promise<void> {
  await db.offer.update({ where: { id }, data: { dmChannel: dm.channel, dmTs: dm.ts } });
}

/** Slack ids of everyone offered this incident, whatever they answered: nobody is asked twice. */
export async function offeredSlackIds(db: Tx, incidentId: number): Promise<string[]> {
  const rows = await db.offer.findMany({ where: { incidentId }, select: { engineer: { select: { slackId: true } } } });
  return rows.map((r) => r.engineer.slackId);
}

/**
 * Runs `fn` holding the selection lock (db/selections.ts: selections one at a time across
 * replicas) and the incident's row lock, for choosing the next person after a declined offer.
 */
export async function withIncidentLock<T>(db: PrismaClient, incidentId: number, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SELECTION_LOCK})`;
      await tx.$queryRaw`SELECT id FROM incidents WHERE id = ${incidentId} FOR UPDATE`;
      return fn(tx);
    },
    { timeout: 20_000, maxWait: 10_000 },
  );
}
