import type { Deps } from '../deps';
import { PRACTICE_ROUND_JOB, sendRound, type PracticeRoundJob } from '../flows/practice-flow';
import type { JobDefinition } from './queue';

/** Shows one round of a practice fire in the person's DM (SPEC.md "Practice fires"). */
export function practiceRoundJob(deps: Deps): JobDefinition<PracticeRoundJob> {
  return {
    name: PRACTICE_ROUND_JOB,
    concurrency: 2,
    // Retries cover Slack being down for a while; the ledger makes a second run harmless.
    retryLimit: 10,
    expireInSeconds: 60,
    retryDelaySeconds: 1,
    handle: async (job, ctx) => sendRound({ ...deps, log: ctx.log.child({ practice: job.practiceId }) }, job),
  };
}
