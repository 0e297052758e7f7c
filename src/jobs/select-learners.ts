import type { Deps } from '../deps';
import { inviteLearners } from '../flows/incident-flow';
import { SELECT_LEARNERS_JOB, type SelectLearnersJob } from '../flows/selection-schedule';
import type { JobDefinition } from './queue';

/**
 * Chooses and invites an incident's learners INVITE_DELAY after it was recorded (SPEC.md section 4).
 * A channel resolved or deleted meanwhile gets nothing; running twice repeats nothing (the ledger).
 */
export function selectLearnersJob(deps: Deps): JobDefinition<SelectLearnersJob> {
  return {
    name: SELECT_LEARNERS_JOB,
    // Retries cover Slack or the database being down for a while; past them, the channel sweep takes over.
    retryLimit: 10,
    retryDelaySeconds: 2,
    expireInSeconds: 120,
    handle: async (job, ctx) => inviteLearners({ ...deps, log: ctx.log.child({ incident: job.incidentId }) }, job.incidentId),
  };
}
