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

interface GrowthWindowRow {
  request: number;
  fires: Array<{ i: number; s: Stage | null; j: string; r: boolean }>;
  decisions: Array<{ i: number; d: MentorDecision; at: string; note: string | null }>;
  changes: Array<{ by: 'mentor' | 'admin'; to: Stage; at: string }>;
  replies: Array<{ i: number; c: string; n: string; by: string; text: string; at: string }>;
}

/**
 * The growth facts of a batch of digests (SPEC.md "Growth"), one query for the batch: per person
 * their fires as learner or volunteer with whether each has a reflection, their mentor's answers,
 * their stage changes, and the replies to their reflections written in the window.
 */
export async function growthInWindows(db: Tx, windows: ReadonlyArray<{ engineerId: number; weekFrom: Date; weekTo: Date }>) {
  if (windows.length === 0) return [];
  const rows = await db.$queryRaw<GrowthWindowRow[]>`
    SELECT (w.ordinality - 1)::int AS request,
      (SELECT coalesce(json_agg(json_build_object('i', p.incident_id, 's', p.stage, 'j', p.joined_at,
          'r', EXISTS (SELECT 1 FROM learnings l WHERE l.engineer_id = p.engineer_id AND l.incident_id = p.incident_id))), '[]'::json)
        FROM participations p WHERE p.engineer_id = w.engineer_id AND p.role IN ('learner', 'volunteer') AND p.joined_at IS NOT NULL) AS fires,
      (SELECT coalesce(json_agg(json_build_object('i', d.incident_id, 'd', d.decision, 'at', d.decided_at, 'note', d.note)), '[]'::json)
        FROM stage_decisions d WHERE d.engineer_id = w.engineer_id) AS decisions,
      (SELECT coalesce(json_agg(json_build_object('by', c.by, 'to', c.to_stage, 'at', c.at)), '[]'::json)
        FROM stage_changes c WHERE c.engineer_id = w.engineer_id) AS changes,
      (SELECT coalesce(json_agg(json_build_object('i', l.incident_id, 'c', i.channel_id, 'n', i.name, 'by', l.mentor_reply_by, 'text', l.mentor_reply, 'at', l.mentor_replied_at)), '[]'::json)
        FROM learnings l JOIN incidents i ON i.id = l.incident_id
        WHERE l.engineer_id = w.engineer_id AND l.mentor_replied_at >= w.from_at AND l.mentor_replied_at < w.to_at) AS replies
    FROM unnest(${windows.map((w) => w.engineerId)}::int[], ${windows.map((w) => w.weekFrom)}::timestamptz[], ${windows.map((w) => w.weekTo)}::timestamptz[])
      WITH ORDINALITY AS w(engineer_id, from_at, to_at, ordinality)`;
  return rows.map((r) => ({
    request: r.request,
    fires: r.fires.map((f) => ({ incidentId: f.i, stage: f.s, joinedAt: new Date(f.j), reflected: f.r })),
    decisions: r.decisions.map((d) => ({ incidentId: d.i, decision: d.d, decidedAt: new Date(d.at), note: d.note })),
    changes: r.changes.map((c) => ({ by: c.by, toStage: c.to, at: new Date(c.at) })),
    replies: r.replies.map((x) => ({ incidentId: x.i, channelId: x.c, channelName: x.n, by: x.by ?? '', text: x.text, at: new Date(x.at) })),
  }));
}
