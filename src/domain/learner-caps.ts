import { learnerLimit } from './severity';

/**
 * How many learners one incident may get, from what the channel says about it (issue "Reads the
 * incident before it adds people"; SPEC.md section 4). Pure. chooseLearners applies the result on
 * top of INVITES_PER_INCIDENT and MAX_VOLUNTEERS_PER_INCIDENT: these caps only ever lower them.
 */
export interface LearnerCapRules {
  /** LEARNERS_BY_SEVERITY: learners, volunteers included, per known severity */
  learnersBySeverity: ReadonlyMap<number, number>;
  /** MAX_LEARNERS_PER_RESPONDER; 0 turns the rule off */
  maxLearnersPerResponder: number;
}

export interface LearnerCap {
  /** learners in all, volunteers included; null: no cap beyond today's numbers */
  limit: number | null;
  /** which rule set the limit, for logs and the simulator */
  by: 'severity' | 'responders' | null;
}

/** The severity's cap when the severity is known and listed; null otherwise (today's numbers apply). */
export function severityCap(severity: number | null, caps: ReadonlyMap<number, number>): number | null {
  const limit = learnerLimit(severity, caps, Number.POSITIVE_INFINITY);
  return Number.isFinite(limit) ? limit : null;
}

/**
 * MAX_LEARNERS_PER_RESPONDER: a channel of two people does not grow by four. At least one learner
 * when any human responds; none in a channel nobody responds in yet (nobody to learn from).
 */
export function responderCap(humansResponding: number, perResponder: number): number | null {
  if (perResponder <= 0) return null;
  if (humansResponding <= 0) return 0;
  return Math.max(1, humansResponding * perResponder);
}

/** The lower of the two caps, and which one it was. */
export function learnerCap(input: { severity: number | null; humansResponding: number }, rules: LearnerCapRules): LearnerCap {
  const bySeverity = severityCap(input.severity, rules.learnersBySeverity);
  const byResponders = responderCap(input.humansResponding, rules.maxLearnersPerResponder);
  if (bySeverity === null && byResponders === null) return { limit: null, by: null };
  if (byResponders === null || (bySeverity !== null && bySeverity <= byResponders)) return { limit: bySeverity, by: 'severity' };
  return { limit: byResponders, by: 'responders' };
}
