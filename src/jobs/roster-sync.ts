import type { Deps } from '../deps';
import { syncRoster } from '../flows/roster-flow';
import { syncUsergroups } from '../flows/usergroups-flow';
import type { JobDefinition } from './queue';

export const ROSTER_SYNC_JOB = 'roster-sync';

/** users.list -> engineers, and the watched user groups' members, hourly and at start (SPEC.md section 3). */
export function rosterSyncJob(deps: Deps): JobDefinition {
  const handle = async () => {
    // The groups first: a short read that decides who is a candidate, before the long users.list.
    await syncUsergroups(deps);
    await syncRoster(deps);
  };
  return { name: ROSTER_SYNC_JOB, cron: '0 * * * *', retryLimit: 3, retryDelaySeconds: 30, handle };
}
