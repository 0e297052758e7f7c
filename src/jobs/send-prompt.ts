import type { Deps } from '../deps';
import { PROMPT_JOB, sendCoachingDm, type CoachingJob } from '../flows/prompt-flow';
import type { JobDefinition } from './queue';

/** Sends one coaching DM when due: a guided prompt, a mentor's pairing DM or a reflection prompt (SPEC.md section 5). */
export function sendPromptJob(deps: Deps): JobDefinition<CoachingJob> {
  return {
    name: PROMPT_JOB,
    concurrency: 2,
    // Retries cover Slack being down for a while and a prompt waiting for the one before it.
    retryLimit: 10,
    // A job whose worker died is handed on after this; the ledger makes a second run harmless.
    expireInSeconds: 60,
    retryDelaySeconds: 1,
    handle: async (job, ctx) => void (await sendCoachingDm({ ...deps, log: ctx.log.child({ incident: job.incidentId, engineer: job.engineerId }) }, job)),
  };
}
