import type { Deps } from '../deps';
import { stampStages } from '../db/growth';
import { onIncidentResolved, onLearnerJoined, onLearnerLeft } from './prompt-flow';

/**
 * What else happens when a learner joins an incident or an incident resolves: the guided prompts
 * (SPEC.md section 5, in prompt-flow.ts). Each hook is idempotent, as it may run more than once.
 */
export async function afterLearnerJoined(deps: Deps, event: { incidentId: number; engineerId: number; joinedAt: Date }): Promise<void> {
  // A learner who joined on their own or volunteered has their stage now in this fire (SPEC.md "Growth").
  await stampStages(deps.db, event.incidentId, event.engineerId);
  await onLearnerJoined(deps, event);
}

export async function afterLearnerLeft(deps: Deps, event: { incidentId: number; engineerId: number }): Promise<void> {
  await onLearnerLeft(deps, event);
}

export async function afterIncidentResolved(deps: Deps, incidentId: number): Promise<void> {
  await onIncidentResolved(deps, incidentId);
}
