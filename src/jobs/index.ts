import type { Deps } from '../deps';
import { channelSweepJob } from './channel-sweep';
import { eventRetentionJob } from './event-retention';
import { mentorJob } from './mentor';
import { postmortemCheckJob } from './postmortem-check';
import { offerTimeoutJob } from './offer-timeout';
import { debriefNudgeJob, growthDmJob } from './growth';
import { practiceOfferJob } from './practice-offer';
import { practiceRoundJob } from './practice-round';
import type { JobDefinition } from './queue';
import { rosterSyncJob } from './roster-sync';
import { selectLearnersJob } from './select-learners';
import { sendPromptJob } from './send-prompt';
import { weeklyDigestJob } from './weekly-digest';

/** Every durable job and its schedule, in one list. */
export function jobDefinitions(deps: Deps): JobDefinition[] {
  return [rosterSyncJob(deps), eventRetentionJob(deps), sendPromptJob(deps), weeklyDigestJob(deps), channelSweepJob(deps), mentorJob(deps), postmortemCheckJob(deps), selectLearnersJob(deps), offerTimeoutJob(deps), growthDmJob(deps), debriefNudgeJob(deps), practiceOfferJob(deps), practiceRoundJob(deps)] as JobDefinition[];
}
