import type { Deps } from '../deps';
import type { JobDefinition } from './queue';
import { rosterSyncJob } from './roster-sync';
import { sendPromptJob } from './send-prompt';
import { weeklyDigestJob } from './weekly-digest';

/** Every durable job and its schedule, in one list. */
export function jobDefinitions(deps: Deps): JobDefinition[] {
  return [rosterSyncJob(deps), sendPromptJob(deps), weeklyDigestJob(deps)] as JobDefinition[];
}
