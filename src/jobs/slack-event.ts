import type { Deps } from '../deps';
import { processStoredEvent, SLACK_EVENT_JOB } from '../flows/event-flow';
import type { JobDefinition } from './queue';

/** Processes one stored Slack event (SPEC.md section 4). */
export function slackEventJob(deps: Deps): JobDefinition<{ eventId: string }> {
  return {
    name: SLACK_EVENT_JOB,
    concurrency: 4,
    retryLimit: 8,
    // A job whose worker died is handed on after this; the ledger makes a second run harmless.
    expireInSeconds: 60,
    retryDelaySeconds: 2,
    handle: async ({ eventId }, ctx) => processStoredEvent({ ...deps, log: ctx.log.child({ eventId }) }, eventId),
  };
}
