import type { Deps } from '../deps';
import { syncRoster } from '../flows/roster-flow';
import { syncUsergroups } from '../flows/usergroups-flow';
import type { JobDefinition } from './queue';

export const ROSTER_SYNC_JOB = 'roster-sync';

/** users.list -> engineers, and the watched user groups' members, hourly and at start (SPEC.md section 3). */
export function rosterSyncJob(deps: Deps): JobDefinition {
  const handle = async () => {
    // The groups first: a short read that decides who is a candidate, before the long users.list.
    // A group Slack will not list (a scope removed) must not keep the roster from syncing: its
    // error is raised after users.list, so that the job is retried and the failure is seen.
    const groups = await syncUsergroups(deps).then(() => null, (error: unknown) => error);
    await syncRoster(deps);
    if (groups) throw groups;
  };
  return { name: ROSTER_SYNC_JOB, cron: '0 * * * *', retryLimit: 3, retryDelaySeconds: 30, handle };
}
