import type { Deps } from '../deps';
import { changeStage, growthRowsOf, type GrowthRows } from '../db/growth';
import type { Tx } from '../db/tx';
import { incidentName, type GrowthRecord } from '../domain/growth-record';
import { progressOf, stageInputOf, type Progress, type Stage } from '../domain/progression';

/**
 * A person's place on the growth path (SPEC.md section "Growth"). progression.ts decides; this
 * loads its input and keeps `engineers.stage` (what the next fire's selection stamps) in step
 * with it, recording each change in `stage_changes`.
 */

export function progressFromRows(rows: GrowthRows): Progress {
  const input = stageInputOf({
    fires: rows.fires.map((f) => ({ incidentId: f.incidentId, stage: f.stage, joinedAt: f.joinedAt! })),
    reflectedIncidentIds: new Set(rows.learnings.map((l) => l.incidentId)),
    decisions: rows.decisions,
    changes: rows.changes,
  });
  return progressOf(input.fires, input.settings);
}

export async function progressOfEngineer(db: Tx, engineerId: number): Promise<Progress> {
  return progressFromRows(await growthRowsOf(db, engineerId));
}

/**
 * Recomputes a person's stage after a mentor's answer and stores it when it moved (the caller's
 * transaction keeps the answer and the change together). Returns the progress after it.
 */
export async function refreshStage(db: Tx, engineer: { id: number; stage: Stage }, by: { slackId: string; incidentId: number; at: Date }): Promise<{ progress: Progress; moved: boolean }> {
  const progress = await progressOfEngineer(db, engineer.id);
  if (progress.stage === engineer.stage) return { progress, moved: false };
  await changeStage(db, { engineerId: engineer.id, from: engineer.stage, to: progress.stage, by: 'mentor', bySlackId: by.slackId, incidentId: by.incidentId, at: by.at });
  return { progress, moved: true };
}

/** `/volunteer admin stage @person STAGE`: the admin's setting counts from now (progression.ts replays it). */
export async function setStageByAdmin(deps: Deps, adminId: string, engineer: { id: number; stage: Stage }, stage: Stage): Promise<boolean> {
  if (engineer.stage === stage) return false;
  await deps.db.$transaction(async (tx) => {
    await changeStage(tx, { engineerId: engineer.id, from: engineer.stage, to: stage, by: 'admin', bySlackId: adminId, at: deps.clock() });
  });
  return true;
}

/** A person's whole growth record (`npm run growth`), or null for someone the app does not know. */
export async function growthRecordOf(db: Tx, slackId: string): Promise<GrowthRecord | null> {
  const engineer = await db.engineer.findUnique({ where: { slackId } });
  if (!engineer) return null;
  const rows = await growthRowsOf(db, engineer.id);
  return {
    person: { slackId: engineer.slackId, name: engineer.name, level: engineer.level },
    progress: progressFromRows(rows),
    fires: rows.fires.map((f) => ({ incidentId: f.incidentId, incident: incidentName(f.incident), role: f.role, stage: f.stage ?? 'observer', joinedAt: f.joinedAt! })),
    reflections: rows.learnings.map((l) => ({
      incidentId: l.incidentId,
      incident: incidentName(l.incident),
      at: l.createdAt,
      whatHappened: l.whatHappened,
      checkFirst: l.checkFirst,
      learned: l.learned,
      shared: l.sharedWithMentor,
      reply: l.mentorReply && l.mentorRepliedAt ? { text: l.mentorReply, by: l.mentorReplyBy ?? '', at: l.mentorRepliedAt } : null,
    })),
    decisions: rows.decisions.map((d) => ({ incidentId: d.incidentId, incident: incidentName(d.incident), at: d.decidedAt, decision: d.decision, by: d.mentorSlackId, note: d.note })),
    changes: rows.changes.map((c) => ({ at: c.at, from: c.fromStage, to: c.toStage, by: c.by, bySlackId: c.bySlackId })),
  };
}
