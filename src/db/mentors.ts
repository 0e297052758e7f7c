import type { OutsideMentor } from '../domain/mentor-choice';
import type { PrismaClient, Tx } from './tx';

/**
 * Who leads and who mentors an incident (SPEC.md section 4): the lead and the mentor on the
 * incident row, the mentor's one DM, and the asks to mentors outside the channel (`mentor_asks`).
 */

/** Stores the lead once; a lead already stored stays. */
export async function setIncidentLead(db: Tx, incidentId: number, leadSlackId: string): Promise<void> {
  await db.incident.updateMany({ where: { id: incidentId, leadSlackId: null }, data: { leadSlackId } });
}

/**
 * Makes `slackId` the mentor of an open incident that has none yet. Only one call wins, across
 * replicas and racing events: true for that one.
 */
export async function claimMentor(db: Tx, incidentId: number, slackId: string): Promise<boolean> {
  const { count } = await db.incident.updateMany({ where: { id: incidentId, mentorSlackId: null, resolvedAt: null }, data: { mentorSlackId: slackId } });
  return count === 1;
}

/** Where the mentor's DM about this incident is, for chat.update by any replica. */
export async function saveMentorDm(db: Tx, incidentId: number, channel: string, ts: string): Promise<void> {
  await db.incident.update({ where: { id: incidentId }, data: { mentorDmChannel: channel, mentorDmTs: ts } });
}

/**
 * The mentor-flagged active engineers who may be asked to coach this incident from outside: not in
 * `exclude` (channel members, the lead, learners), not asked for this incident before; with their
 * mentoring turns since `weekStart` (participations as mentor).
 */
export async function outsideMentorPool(db: PrismaClient, incidentId: number, exclude: string[], weekStart: Date): Promise<OutsideMentor[]> {
  const rows = await db.$queryRaw<Array<{ slack_id: string; time_zone: string; turns: number }>>`
    SELECT e.slack_id, e.time_zone,
      (SELECT count(*)::int FROM participations p
        WHERE p.engineer_id = e.id AND p.role = 'mentor' AND COALESCE(p.joined_at, p.invited_at) >= ${weekStart}) AS turns
    FROM engineers e
    WHERE e.active AND e.is_mentor AND NOT (e.slack_id = ANY(${exclude}::text[]))
      AND NOT EXISTS (SELECT 1 FROM mentor_asks a WHERE a.incident_id = ${incidentId} AND a.engineer_id = e.id)`;
  return rows.map((r) => ({ slackId: r.slack_id, timeZone: r.time_zone, turnsThisWeek: r.turns }));
}

/**
 * The open ask of an incident that still needs a mentor: the one there is, or a new one to
 * `engineerId` when there is none (null when the incident has a mentor or is resolved). The
 * incident's row is locked, so a decline and a timeout arriving together ask one person, not two.
 */
export async function openAskFor(db: PrismaClient, incidentId: number, engineerId: number, at: Date) {
  return db.$transaction(async (tx) => {
    const [incident] = await tx.$queryRaw<Array<{ mentor_slack_id: string | null; resolved_at: Date | null }>>`
      SELECT mentor_slack_id, resolved_at FROM incidents WHERE id = ${incidentId} FOR UPDATE`;
    if (!incident || incident.mentor_slack_id || incident.resolved_at) return null;
    const open = await tx.mentorAsk.findFirst({ where: { incidentId, state: 'open' }, include: { engineer: true } });
    if (open) return open;
    return tx.mentorAsk.create({ data: { incidentId, engineerId, askedAt: at }, include: { engineer: true } });
  });
}

export function findAsk(db: Tx, id: number) {
  return db.mentorAsk.findUnique({ where: { id }, include: { engineer: true, incident: true } });
}

export function openAsksOf(db: Tx, incidentId: number) {
  return db.mentorAsk.findMany({ where: { incidentId, state: 'open' }, include: { engineer: true } });
}

/** Closes an open ask as declined, timed out or withdrawn; true for the call that closed it. */
export async function closeAsk(db: Tx, id: number, state: 'declined' | 'timed_out' | 'withdrawn', at: Date): Promise<boolean> {
  const { count } = await db.mentorAsk.updateMany({ where: { id, state: 'open' }, data: { state, answeredAt: at } });
  return count === 1;
}

/**
 * "I'll coach": the ask is accepted and its person becomes the mentor, both or neither, and only
 * while the ask is open and the incident has no mentor. True when it happened.
 */
export async function acceptAsk(db: PrismaClient, id: number, at: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const ask = await tx.mentorAsk.findUnique({ where: { id }, include: { engineer: true } });
    if (!ask || ask.state !== 'open') return false;
    const { count } = await tx.mentorAsk.updateMany({ where: { id, state: 'open' }, data: { state: 'accepted', answeredAt: at } });
    if (count !== 1 || !(await claimMentor(tx, ask.incidentId, ask.engineer.slackId))) {
      throw new AskTaken();
    }
    return true;
  }).catch((error: unknown) => {
    if (error instanceof AskTaken) return false;
    throw error;
  });
}

/** Rolls back an acceptance that lost to another answer or to another mentor. */
class AskTaken extends Error {}

export async function saveAskDm(db: Tx, id: number, channel: string, ts: string): Promise<void> {
  await db.mentorAsk.update({ where: { id }, data: { dmChannel: channel, dmTs: ts } });
}
