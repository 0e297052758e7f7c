import type { Deps } from '../deps';
import { DEBRIEF_JOB, GROWTH_JOB, sendDueDebriefs, sendGrowthDm, type GrowthJob } from '../flows/mentor-loop-flow';
import type { JobDefinition } from './queue';

/** One DM of the mentor loop (SPEC.md "Growth"): the mentor's reflection DM, the reply or the stage answer to the learner. */
export function growthDmJob(deps: Deps): JobDefinition<GrowthJob> {
  return {
    name: GROWTH_JOB,
    retryLimit: 10,
    retryDelaySeconds: 1,
    // A job whose worker died is handed on after this; the ledger makes a second run harmless.
    expireInSeconds: 60,
    handle: async (job, ctx) => void (await sendGrowthDm({ ...deps, log: ctx.log.child({ key: job.key }) }, job)),
  };
}

/**
 * The debrief nudges that have fallen due (the next working morning in each mentor's zone): every
 * minute, like the digest's due check, because those mornings come at different UTC minutes. The
 * ledger rows are the schedule, so a nudge missed while the app was down goes out when it is back.
 */
export function debriefNudgeJob(deps: Deps): JobDefinition {
  return {
    name: DEBRIEF_JOB,
    cron: '* * * * *',
    // The next minute's run is the retry.
    retryLimit: 0,
    expireInSeconds: 300,
    handle: async (_data, ctx) => void (await sendDueDebriefs({ ...deps, log: ctx.log }, ctx.now())),
  };
}
