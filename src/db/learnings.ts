import type { Tx } from './tx';

export interface LearningInput {
  incidentId: number;
  engineerId: number;
  whatHappened: string;
  checkFirst: string;
  learned: string;
}

/** One learning per person and incident: a second submission replaces the first. */
export function saveLearning(db: Tx, input: LearningInput) {
  const { incidentId, engineerId, ...answers } = input;
  return db.learning.upsert({
    where: { incidentId_engineerId: { incidentId, engineerId } },
    create: input,
    update: answers,
  });
}

export function findLearning(db: Tx, incidentId: number, engineerId: number) {
  return db.learning.findUnique({ where: { incidentId_engineerId: { incidentId, engineerId } } });
}
