import type { Deps } from '../deps';
import { checkPostmortems } from '../flows/postmortem-flow';
import type { JobDefinition } from './queue';

export const POSTMORTEM_CHECK_JOB = 'postmortem-check';

/**
 * Looks for the postmortem of incidents resolved in the last 14 days (SPEC.md section "Growth"):
 * every 10 minutes, a few Slack reads per incident whose learners still wait for the link. The
 * next run is the retry.
 */
export function postmortemCheckJob(deps: Deps): JobDefinition {
  return { name: POSTMORTEM_CHECK_JOB, cron: '*/10 * * * *', retryLimit: 0, expireInSeconds: 600, handle: async (_data, context) => void (await checkPostmortems({ ...deps, log: context.log }, context.now())) };
}
