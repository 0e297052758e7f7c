import type { Deps } from '../deps';
import { MENTOR_JOB, runMentorJob, type MentorJob } from '../flows/mentor-flow';
import type { JobDefinition } from './queue';

/**
 * The timers and messages of "who mentors" (SPEC.md section 4): the end of MENTOR_WAIT, an outside
 * mentor's MENTOR_ASK_TIMEOUT, telling learners a mentor found late, and the mentor's one DM.
 */
export function mentorJob(deps: Deps): JobDefinition<MentorJob> {
  return {
    name: MENTOR_JOB,
    // Retries cover Slack being down for a while and the mentor's DM being sent by another worker.
    retryLimit: 10,
    retryDelaySeconds: 1,
    expireInSeconds: 60,
    handle: async (job, ctx) => runMentorJob({ ...deps, log: ctx.log.child({ mentorJob: job.kind }) }, job),
  };
}
