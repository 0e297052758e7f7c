import type { Deps } from '../deps';
import { eventSweepJob } from './event-sweep';
import type { JobDefinition } from './queue';
import { rosterSyncJob } from './roster-sync';
import { sendPromptJob } from './send-prompt';
import { slackEventJob } from './slack-event';
import { weeklyDigestJob } from './weekly-digest';

/** Every durable job and its schedule, in one list. */
export function jobDefinitions(deps: Deps): JobDefinition[] {
  return [slackEventJob(deps), eventSweepJob(deps), rosterSyncJob(deps), sendPromptJob(deps), weeklyDigestJob(deps)] as JobDefinition[];
}
