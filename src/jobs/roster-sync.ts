import type { Deps } from '../deps';
import { syncRoster } from '../flows/roster-flow';
import type { JobDefinition } from './queue';

export const ROSTER_SYNC_JOB = 'roster-sync';

/** users.list -> engineers, hourly and at start (SPEC.md section 3). */
export function rosterSyncJob(deps: Deps): JobDefinition {
  return { name: ROSTER_SYNC_JOB, cron: '0 * * * *', retryLimit: 3, retryDelaySeconds: 30, handle: async () => void (await syncRoster(deps)) };
}
