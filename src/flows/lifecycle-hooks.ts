import type { Deps } from '../deps';
import { onResponderJoined, refreshMentorDm, withdrawMentorAsks } from './mentor-flow';
import { closeOpenOffers } from './offer-flow';
import { stampStages } from '../db/growth';
import { onIncidentResolved, onLearnerJoined, onLearnerLeft } from './prompt-flow';

/**
 * What else happens when a learner joins an incident or an incident resolves: the guided prompts
 * (SPEC.md section 5, in prompt-flow.ts) and the mentor's one DM and asks (mentor-flow.ts). Each
 * hook is idempotent, as it may run more than once.
 */
export async function afterLearnerJoined(deps: Deps, event: { incidentId: number; engineerId: number; joinedAt: Date }): Promise<void> {
  // A learner who joined on their own or volunteered has their stage now in this fire (SPEC.md "Growth").
  await stampStages(deps.db, event.incidentId, event.engineerId);
  await onLearnerJoined(deps, event);
  await refreshMentorDm(deps, event.incidentId);
}

/** Someone who is not a learner joined (SPEC.md section 4): within MENTOR_WAIT, perhaps the mentor. */
export async function afterResponderJoined(deps: Deps, event: { incidentId: number; engineerId: number; at: Date }): Promise<void> {
  await onResponderJoined(deps, event);
}

export async function afterLearnerLeft(deps: Deps, event: { incidentId: number; engineerId: number }): Promise<void> {
  await onLearnerLeft(deps, event);
}

export async function afterIncidentResolved(deps: Deps, incidentId: number): Promise<void> {
  await onIncidentResolved(deps, incidentId);
  await withdrawMentorAsks(deps, incidentId);
  // INVITE_MODE=offer: an offer still open says the incident resolved.
  await closeOpenOffers(deps, incidentId);
}
