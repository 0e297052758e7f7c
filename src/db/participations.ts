import type { PrismaClient, Tx } from './tx';
import type { Role } from '../domain/experience';

type Source = 'auto_invite' | 'volunteer' | 'self_joined';

/** Records an invitation; an existing row for the same person and incident is left as it is. */
export async function recordInvitation(
  db: Tx,
  row: { engineerId: number; incidentId: number; role: Role; source: Source; reason: string; invitedAt: Date },
) {
  return db.participation.upsert({
    where: { engineerId_incidentId: { engineerId: row.engineerId, incidentId: row.incidentId } },
    create: row,
    update: {},
  });
}

/**
 * Someone is in the channel: keep the first join time, clear a previous leave (they came back).
 * A person nobody invited is recorded with the role and source given.
 */
export async function recordJoin(db: Tx, engineerId: number, incidentId: number, at: Date, ifNew: { role: Role; source: Source }) {
  const existing = await db.participation.findUnique({ where: { engineerId_incidentId: { engineerId, incidentId } } });
  if (!existing) {
    try {
      return { participation: await db.participation.create({ data: { engineerId, incidentId, joinedAt: at, ...ifNew } }), firstJoin: true };
    } catch (error) {
      // Two deliveries of the same join raced; the other one recorded it.
      if ((error as { code?: string }).code !== 'P2002') throw error;
      return { participation: await db.participation.findUniqueOrThrow({ where: { engineerId_incidentId: { engineerId, incidentId } } }), firstJoin: false };
    }
  }
  const firstJoin = existing.joinedAt === null;
  const participation = await db.participation.update({
    where: { id: existing.id },
    data: { joinedAt: existing.joinedAt ?? at, leftAt: null },
  });
  return { participation, firstJoin };
}

export async function recordLeave(db: Tx, engineerId: number, incidentId: number, at: Date) {
  const { count } = await db.participation.updateMany({ where: { engineerId, incidentId, leftAt: null }, data: { leftAt: at } });
  return count === 1;
}

export async function setRole(db: Tx, engineerId: number, incidentId: number, role: Role, source: Source, at: Date) {
  return db.participation.upsert({
    where: { engineerId_incidentId: { engineerId, incidentId } },
    create: { engineerId, incidentId, role, source, joinedAt: at },
    update: { role },
  });
}

/**
 * Someone joined an incident channel on their own. A new `learner` is kept only while fewer than
 * `maxCoached` people are coached (learners and volunteers) in the incident; beyond that they are a
 * responder. The incident row is locked, so a user group mentioned into the channel (many joins at
 * once, on several workers) cannot pass the cap.
 */
export async function recordSelfJoin(db: PrismaClient, engineerId: number, incidentId: number, at: Date, role: Role, maxCoached: number) {
  // Someone invited (their row exists) or not a learner needs no count: no lock on the busy path of invites.
  const known = await db.participation.findUnique({ where: { engineerId_incidentId: { engineerId, incidentId } }, select: { id: true } });
  if (known || role !== 'learner') return recordJoin(db, engineerId, incidentId, at, { role, source: 'self_joined' });
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM incidents WHERE id = ${incidentId} FOR UPDATE`;
    const existing = await tx.participation.findUnique({ where: { engineerId_incidentId: { engineerId, incidentId } }, select: { id: true } });
    let granted: Role = role;
    if (!existing) {
      const coached = await tx.participation.count({ where: { incidentId, role: { in: ['learner', 'volunteer'] } } });
      if (coached >= maxCoached) granted = 'responder';
    }
    return recordJoin(tx, engineerId, incidentId, at, { role: granted, source: 'self_joined' });
  });
}

/** The people a selection chose for an incident (volunteers and the auto-invited), in the order chosen, with their engineer. */
export function selectionParticipations(db: Tx, incidentId: number) {
  return db.participation.findMany({ where: { incidentId, source: { in: ['auto_invite', 'volunteer'] } }, include: { engineer: true }, orderBy: { id: 'asc' } });
}

/** conversations.invite put them in the channel: their join time, until member_joined_channel confirms it. */
export async function markJoined(db: Tx, participationId: number, at: Date): Promise<void> {
  await db.participation.update({ where: { id: participationId }, data: { joinedAt: at } });
}

/** One person's part in one incident, with their engineer. */
export function participationOf(db: Tx, incidentId: number, engineerId: number) {
  return db.participation.findUnique({ where: { engineerId_incidentId: { engineerId, incidentId } }, include: { engineer: true } });
}

/**
 * Those in these roles still in the incident's channel when it resolved, who joined it, and are
 * still active members of the workspace (someone who became a guest or left is never coached).
 */
export function activeParticipantsIn(db: Tx, incidentId: number, roles: Role[]) {
  return db.participation.findMany({
    where: { incidentId, role: { in: roles }, joinedAt: { not: null }, leftAt: null, engineer: { active: true } },
    include: { engineer: true },
    orderBy: { id: 'asc' },
  });
}

/** Everyone in these roles who joined the incident at any time (left since or not), still an active member of the workspace. */
export function joinedParticipantsIn(db: Tx, incidentId: number, roles: Role[]) {
  return db.participation.findMany({
    where: { incidentId, role: { in: roles }, joinedAt: { not: null }, engineer: { active: true } },
    include: { engineer: true },
    orderBy: { id: 'asc' },
  });
}

/** How many other incidents someone took part in, in any role: their recorded fires (live or backfilled). */
export function countOtherParticipations(db: Tx, engineerId: number, exceptIncidentId: number): Promise<number> {
  return db.participation.count({ where: { engineerId, incidentId: { not: exceptIncidentId } } });
}

/** Someone's parts in every incident but this one. */
export function otherParticipations(db: Tx, engineerId: number, exceptIncidentId: number) {
  return db.participation.findMany({ where: { engineerId, incidentId: { not: exceptIncidentId } }, select: { role: true, joinedAt: true, invitedAt: true } });
}

/**
 * Records an invitation when the person has no row for the incident yet; true when this call made
 * the row (and so may take it back with withdrawUnjoinedInvitation), false when one was there already.
 */
export async function recordInvitationIfNew(
  db: Tx,
  row: { engineerId: number; incidentId: number; role: Role; source: Source; reason: string; invitedAt: Date },
): Promise<boolean> {
  const existing = await db.participation.findUnique({ where: { engineerId_incidentId: { engineerId: row.engineerId, incidentId: row.incidentId } } });
  if (existing) return false;
  await recordInvitation(db, row);
  return true;
}

/** Takes back an invitation the person never joined through; a row with a join time is kept whatever happens. */
export async function withdrawUnjoinedInvitation(db: Tx, engineerId: number, incidentId: number): Promise<void> {
  await db.participation.deleteMany({ where: { engineerId, incidentId, joinedAt: null } });
}
