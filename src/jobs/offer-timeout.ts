import type { Deps } from '../deps';
import { OFFER_TIMEOUT_JOB, onOfferTimeout, type OfferTimeoutJob } from '../flows/offer-flow';
import type { JobDefinition } from './queue';

/** INVITE_MODE=offer: an offer not answered within OFFER_TIMEOUT goes to the next candidate (SPEC.md section 4). */
export function offerTimeoutJob(deps: Deps): JobDefinition<OfferTimeoutJob> {
  return {
    name: OFFER_TIMEOUT_JOB,
    retryLimit: 10,
    // Closing the offer is conditional on it being open, so a second run after a worker died is harmless.
    expireInSeconds: 60,
    retryDelaySeconds: 2,
    handle: async (job, ctx) => onOfferTimeout({ ...deps, log: ctx.log.child({ offer: job.offerId }) }, job),
  };
}
