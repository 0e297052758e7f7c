import type { Deps } from '../deps';

/**
 * What else happens when a learner joins an incident or an incident resolves. The guided prompts
 * (SPEC.md section 5) attach here; each hook must be idempotent, as it may run more than once.
 */
export async function afterLearnerJoined(_deps: Deps, _event: { incidentId: number; engineerId: number; joinedAt: Date }): Promise<void> {}

export async function afterLearnerLeft(_deps: Deps, _event: { incidentId: number; engineerId: number }): Promise<void> {}

export async function afterIncidentResolved(_deps: Deps, _incidentId: number): Promise<void> {}
