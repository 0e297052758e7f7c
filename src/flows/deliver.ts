import type { Deps } from '../deps';
import { claimDelivery, findDelivery, markDelivery } from '../db/deliveries';
import type { SlackResult } from '../slack/gateway';

export type DeliveryOutcome = 'sent' | 'failed' | 'skipped' | 'retry' | 'taken' | 'cancelled';

/**
 * Runs one ledger entry's Slack call at most once: claim the key, call, record the outcome.
 * A key already sent, failed, cancelled or claimed by another worker is left alone ('taken').
 * A retryable Slack error puts the key back to pending so that the job runs again.
 */
export async function deliverOnce<T>(deps: Deps, key: string, send: () => Promise<SlackResult<T> | 'skip'>): Promise<DeliveryOutcome> {
  const claim = await claimDelivery(deps.db, key, deps.clock());
  if (!claim) {
    const existing = await findDelivery(deps.db, key);
    if (existing?.status === 'sent' || existing?.status === 'failed' || existing?.status === 'skipped' || existing?.status === 'cancelled') {
      return existing.status;
    }
    return 'taken';
  }
  const result = await send();
  if (result === 'skip') {
    await markDelivery(deps.db, key, 'skipped', deps.clock());
    return 'skipped';
  }
  if (result.ok) {
    await markDelivery(deps.db, key, 'sent', deps.clock());
    return 'sent';
  }
  if (result.retryable) {
    await markDelivery(deps.db, key, 'pending', deps.clock(), result.error);
    return 'retry';
  }
  await markDelivery(deps.db, key, 'failed', deps.clock(), result.error);
  return 'failed';
}
