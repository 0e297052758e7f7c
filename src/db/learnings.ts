import type { Tx } from './tx';

export interface LearningInput {
  incidentId: number;
  engineerId: number;
  whatHappened: string;
  checkFirst: string;
  learned: string;
  /** "Share with my mentor" (SPEC.md "Growth") */
  sharedWithMentor?: boolean;
}

/**
 * One learning per person and incident: a second submission replaces the first. Times come from
 * the app's clock, not the database's, so that a learning lands in the digest of the week the
 * app believes it is (the demo runs on its own clock).
 */
export function saveLearning(db: Tx, input: LearningInput, now: Date) {
  const { incidentId, engineerId, ...answers } = input;
  return db.learning.upsert({
    where: { incidentId_engineerId: { incidentId, engineerId } },
    create: { ...input, createdAt: now, updatedAt: now },
    update: { ...answers, updatedAt: now },
  });
}

export function findLearning(db: Tx, incidentId: number, engineerId: number) {
  return db.learning.findUnique({ where: { incidentId_engineerId: { incidentId, engineerId } } });
}
