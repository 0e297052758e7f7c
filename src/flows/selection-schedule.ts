import type { Deps } from '../deps';
import { jobIdFor } from './prompt-flow';

/**
 * When an incident's learners are chosen (INVITE_DELAY, SPEC.md section 4). Selection waits, so
 * that the responders, the topic and the incident tool's first messages are in the channel when
 * it reads them; the wait is a pg-boss job (jobs/select-learners.ts), so a restart does not lose
 * it, and the channel sweep (sweep-flow.ts) picks up an incident whose job was lost all the same.
 */
export const SELECT_LEARNERS_JOB = 'select-learners';

export interface SelectLearnersJob {
  incidentId: number;
}

/**
 * INVITE_DELAY after the incident was recorded (opened). An opening stamped ahead of our clock
 * (Slack's `created` against ours) counts from now, so a skewed clock never selects early.
 */
export function selectionDueAt(openedAt: Date, now: Date, inviteDelayMs: number): Date {
  const from = Math.min(openedAt.getTime(), now.getTime());
  return new Date(from + inviteDelayMs);
}

/**
 * Queues the selection for when it is due and returns true; returns false when it is due already
 * (INVITE_DELAY=0s, or an event or sweep that comes late), and the caller selects now. Queueing
 * twice is harmless: the job id comes from the incident, and pg-boss ignores a second one.
 */
export async function scheduleSelection(deps: Deps, incident: { id: number; channelId: string; openedAt: Date }): Promise<boolean> {
  const now = deps.clock();
  const remainingMs = selectionDueAt(incident.openedAt, now, deps.config.inviteDelayMs).getTime() - now.getTime();
  if (remainingMs <= 0) return false;
  // startAfter is on the real wall clock (pg-boss compares it with the database's now()): only the remaining time carries over.
  await deps.jobs.send(SELECT_LEARNERS_JOB, { incidentId: incident.id } satisfies SelectLearnersJob, {
    id: jobIdFor(`select-learners:${incident.channelId}`),
    startAfter: new Date(Date.now() + remainingMs),
  });
  deps.log.info({ incident: incident.id, channel: incident.channelId, inMs: remainingMs }, 'learners will be chosen after INVITE_DELAY');
  return true;
}
