import type { Deps } from '../deps';
import { channelSweepJob } from './channel-sweep';
import { eventRetentionJob } from './event-retention';
import { practiceOfferJob } from './practice-offer';
import { practiceRoundJob } from './practice-round';
import type { JobDefinition } from './queue';
import { rosterSyncJob } from './roster-sync';
import { sendPromptJob } from './send-prompt';
import { weeklyDigestJob } from './weekly-digest';

/** Every durable job and its schedule, in one list. */
export function jobDefinitions(deps: Deps): JobDefinition[] {
  return [rosterSyncJob(deps), eventRetentionJob(deps), sendPromptJob(deps), weeklyDigestJob(deps), channelSweepJob(deps), practiceOfferJob(deps), practiceRoundJob(deps)] as JobDefinition[];
}
