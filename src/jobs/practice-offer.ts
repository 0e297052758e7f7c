import type { Deps } from '../deps';
import { offerPractices } from '../flows/practice-flow';
import type { JobDefinition } from './queue';

export const PRACTICE_OFFER_JOB = 'practice-offer';

/**
 * The weekly offer of a practice fire (SPEC.md "Practice fires"). Every 15 minutes, so that each
 * person is offered soon after their working hours begin; the ledger key per person and ISO week
 * makes every run after the first a no-op for them.
 */
export function practiceOfferJob(deps: Deps): JobDefinition {
  return {
    name: PRACTICE_OFFER_JOB,
    cron: '*/15 * * * *',
    // The next run is the retry.
    retryLimit: 0,
    expireInSeconds: 900,
    handle: async (_data, context) => void (await offerPractices({ ...deps, log: context.log }, context.now())),
  };
}
