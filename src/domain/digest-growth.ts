import type { IncidentRef } from './digest';
import { progressOf, stageInputOf, type MentorDecision, type Progress, type Stage, type StoredFire } from './progression';

/**
 * The weekly digest's growth section (SPEC.md "Growth"): the person's stage and progress toward the
 * next one, a stage reached in the week, and the replies their mentor wrote to their reflections in
 * the week. Pure; kept apart from digest.ts so that the digest's own rules stay as they are.
 */
export interface DigestGrowthFacts {
  /** every fire as learner or volunteer, with whether it has a reflection */
  fires: ReadonlyArray<StoredFire & { reflected: boolean }>;
  decisions: ReadonlyArray<{ incidentId: number; decision: MentorDecision; decidedAt: Date; note: string | null }>;
  changes: ReadonlyArray<{ by: 'mentor' | 'admin'; toStage: Stage; at: Date }>;
  /** replies to the person's reflections written in the week */
  replies: ReadonlyArray<IncidentRef & { by: string; text: string; at: Date }>;
}

export interface DigestGrowth {
  progress: Progress;
  /** the stage reached in the week, if any (the last change in it) */
  reached: Stage | null;
  replies: Array<IncidentRef & { by: string; text: string }>;
}

/** null for someone with no fire as a learner and no stage ever set: a senior's digest has no growth section. */
export function composeDigestGrowth(facts: DigestGrowthFacts, week: { from: Date; to: Date }, now: Date): DigestGrowth | null {
  const known = facts.fires.filter((f) => f.joinedAt <= now);
  const changes = facts.changes.filter((c) => c.at <= now);
  if (known.length === 0 && changes.length === 0) return null;
  const input = stageInputOf({
    fires: known,
    reflectedIncidentIds: new Set(known.filter((f) => f.reflected).map((f) => f.incidentId)),
    decisions: facts.decisions.filter((d) => d.decidedAt <= now),
    changes,
  });
  const inWeek = changes.filter((c) => c.at >= week.from && c.at < week.to);
  return {
    progress: progressOf(input.fires, input.settings),
    reached: inWeek.at(-1)?.toStage ?? null,
    replies: facts.replies
      .filter((r) => r.at >= week.from && r.at < week.to && r.at <= now)
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .map(({ incidentId, channelId, channelName, by, text }) => ({ incidentId, channelId, channelName, by, text })),
  };
}
