import type { MentorDecision, Stage } from '../domain/progression';
import type { Tx } from './tx';

/**
 * The growth path's rows (SPEC.md section "Growth"): the stage of each person and of each of
 * their fires, the mentor's answers after a fire, every stage change, and the mentor's reply
 * stored with the learning.
 */

/**
 * Fixes the stage each learner or volunteer of an incident has in it, from their stage now, when
 * they are chosen or join; a row that has one keeps it. One statement for the whole incident.
 */
export async function stampStages(db: Tx, incidentId: number, engineerId?: number): Promise<number> {
  if (engineerId === undefined) {
    return db.$executeRaw`
      UPDATE participations p SET stage = e.stage FROM engineers e
      WHERE p.incident_id = ${incidentId} AND p.engineer_id = e.id AND p.stage IS NULL AND p.role IN ('learner', 'volunteer')`;
  }
  return db.$executeRaw`
    UPDATE participations p SET stage = e.stage FROM engineers e
    WHERE p.incident_id = ${incidentId} AND p.engineer_id = ${engineerId} AND p.engineer_id = e.id AND p.stage IS NULL AND p.role IN ('learner', 'volunteer')`;
}

/** Everything progression.ts needs about one person, and the growth record shows. */
export async function growthRowsOf(db: Tx, engineerId: number) {
  const [fires, decisions, changes] = await Promise.all([
    db.participation.findMany({
      where: { engineerId, role: { in: ['learner', 'volunteer'] }, joinedAt: { not: null } },
      select: {
        incidentId: true,
        role: true,
        stage: true,
        joinedAt: true,
        incident: { select: { name: true, isPrivate: true } },
      },
      orderBy: { joinedAt: 'asc' },
    }),
    db.stageDecision.findMany({ where: { engineerId }, include: { incident: { select: { name: true, isPrivate: true } } }, orderBy: { decidedAt: 'asc' } }),
    db.stageChange.findMany({ where: { engineerId }, orderBy: { at: 'asc' } }),
  ]);
  const learnings = await db.learning.findMany({ where: { engineerId }, include: { incident: { select: { name: true, isPrivate: true } } }, orderBy: { createdAt: 'asc' } });
  return { fires, decisions, changes, learnings };
}

export type GrowthRows = Awaited<ReturnType<typeof growthRowsOf>>;

/** Sets the person's stage and records how (one transaction's worth, the caller's). */
export async function changeStage(
  db: Tx,
  change: { engineerId: number; from: Stage | null; to: Stage; by: 'mentor' | 'admin'; bySlackId: string | null; incidentId?: number | null; at: Date },
): Promise<void> {
  await db.engineer.update({ where: { id: change.engineerId }, data: { stage: change.to } });
  await db.stageChange.create({
    data: { engineerId: change.engineerId, fromStage: change.from, toStage: change.to, by: change.by, bySlackId: change.bySlackId, incidentId: change.incidentId ?? null, at: change.at },
  });
}

/**
 * The mentor's answer after a learner's fire, once: true when this call recorded it, false when
 * an answer was there already (a double click, a second replica).
 */
export async function recordDecision(
  db: Tx,
  row: { incidentId: number; engineerId: number; mentorSlackId: string; decision: MentorDecision; note: string | null; decidedAt: Date },
): Promise<boolean> {
  const { count } = await db.stageDecision.createMany({ data: [row], skipDuplicates: true });
  return count === 1;
}

export function findDecision(db: Tx, incidentId: number, engineerId: number) {
  return db.stageDecision.findUnique({ where: { incidentId_engineerId: { incidentId, engineerId } } });
}

/** A learning with its incident and author, for the mentor loop. */
export function learningWithContext(db: Tx, learningId: number) {
  return db.learning.findUnique({ where: { id: learningId }, include: { incident: true, engineer: true } });
}

/** Stores the mentor's reply with the learning, once: false when there is one already. */
export async function saveMentorReply(db: Tx, learningId: number, reply: { text: string; by: string; at: Date }): Promise<boolean> {
  const { count } = await db.learning.updateMany({ where: { id: learningId, mentorReply: null }, data: { mentorReply: reply.text, mentorReplyBy: reply.by, mentorRepliedAt: reply.at } });
  return count === 1;
}

/** The learnings of an incident's learners that their mentor has not replied to yet (the debrief nudge). */
export function unrepliedLearnings(db: Tx, incidentId: number) {
  return db.learning.findMany({ where: { incidentId, mentorReply: null }, include: { engineer: true }, orderBy: { id: 'asc' } });
}

/** Pending ledger rows of a kind that have fallen due on the app's clock (jobs that poll the ledger). */
export function dueDeliveries(db: Tx, kind: string, now: Date, limit = 200) {
  return db.delivery.findMany({ where: { kind, status: 'pending', dueAt: { lte: now } }, orderBy: { dueAt: 'asc' }, take: limit });
}
