import type { Deps } from '../deps';
import { sendDueDigests } from '../flows/digest-flow';
import type { JobDefinition } from './queue';

export const WEEKLY_DIGEST_JOB = 'weekly-digest';

/**
 * The weekly digest's due check (SPEC.md section 7). Every minute, because each person's Monday
 * 09:00 comes at a different UTC minute (Kolkata is at :30); a run with nobody due is two small
 * queries. A run handles at most a few hundred people and the next one continues, so a run stays
 * well inside its expiry even when Slack is slow.
 */
export function weeklyDigestJob(deps: Deps): JobDefinition {
  return {
    name: WEEKLY_DIGEST_JOB,
    cron: '* * * * *',
    // The next minute's run is the retry.
    retryLimit: 0,
    expireInSeconds: 900,
    handle: async (_data, context) => void (await sendDueDigests({ ...deps, log: context.log }, context.now())),
  };
}
