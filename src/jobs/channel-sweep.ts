import type { Deps } from '../deps';
import { sweepChannels } from '../flows/sweep-flow';
import type { JobDefinition } from './queue';

export const CHANNEL_SWEEP_JOB = 'channel-sweep';

/** Incident channels whose events were lost in an outage: at start and every 15 minutes (SPEC.md section 8). */
export function channelSweepJob(deps: Deps): JobDefinition {
  return { name: CHANNEL_SWEEP_JOB, cron: '*/15 * * * *', retryLimit: 3, retryDelaySeconds: 60, handle: async () => void (await sweepChannels(deps)) };
}
