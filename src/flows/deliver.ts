import type { Deps } from '../deps';
import { claimDelivery, DELIVERY_LEASE_MS, findDelivery, releaseAsStale, renewClaim, settleDelivery, type Claim } from '../db/deliveries';
import { sendingFor, type DeliveryContext, type SlackResult } from '../slack/gateway';

export type DeliveryOutcome = 'sent' | 'failed' | 'skipped' | 'retry' | 'taken' | 'cancelled';

export interface DeliverOptions {
  /** how long a claim lives without renewal (default DELIVERY_LEASE_MS) */
  leaseMs?: number;
}

/** Slack's clock and ours may disagree a little; the look for an earlier attempt starts this much earlier. */
const LOOK_MARGIN_MS = 60_000;
/** A key claimed by a live worker usually settles within a Slack call; waited for this long before asking for a retry. */
const BUSY_WAIT_MS = 1_000;
const BUSY_POLL_MS = 100;

const FINAL = new Set(['sent', 'failed', 'skipped', 'cancelled']);
/** Errors that Slack answers instead of acting (HTTP 429), so a retry needs no look first. */
const SLACK_DID_NOTHING = new Set(['ratelimited', 'slack_webapi_rate_limited_error']);

/**
 * Runs one ledger entry's Slack call exactly once: claim the key, call, record the outcome.
 *
 * - A key already sent, failed, skipped or cancelled is left alone and its status returned.
 * - A key another worker is sending right now gives 'retry' (after a short wait for it to
 *   settle), so that the caller's job runs again and finds it settled, or finds the claim stale
 *   if that worker died.
 * - The claim is renewed while the call runs, so only a dead worker's claim goes stale. Taking over
 *   a stale claim, the call first looks in Slack for the dead worker's effect (message metadata,
 *   channel membership: slack/gateway.ts) and records it as sent instead of repeating it.
 * - A retryable Slack error puts the key back and returns 'retry', for the job to run again: to
 *   pending after a 429 (Slack did nothing), otherwise to stale, so that the next attempt looks in
 *   Slack first (a 500 or a lost connection may come after Slack acted).
 */
export async function deliverOnce<T>(deps: Deps, key: string, send: () => Promise<SlackResult<T> | 'skip'>, options: DeliverOptions = {}): Promise<DeliveryOutcome> {
  const leaseMs = options.leaseMs ?? DELIVERY_LEASE_MS;
  const claim = await claimDelivery(deps.db, key, deps.clock(), leaseMs);
  if (!claim) return notOurs(deps, key);

  const context: DeliveryContext = { key };
  if (claim.staleClaimedAt) context.lookSince = new Date(toWallClock(deps, claim.staleClaimedAt).getTime() - LOOK_MARGIN_MS);
  const renewal = keepClaimed(deps, claim, leaseMs);
  let result: SlackResult<T> | 'skip';
  try {
    result = await sendingFor(context, send);
  } finally {
    renewal.stop();
  }
  if (claim.staleClaimedAt) {
    deps.log.info({ key, attempt: claim.attempts, foundEarlierAttempt: Boolean(context.found) }, 'took over a delivery from a worker that stopped');
  }

  const now = deps.clock();
  if (result === 'skip') return settled(deps, claim, await settleDelivery(deps.db, claim, 'skipped', now), 'skipped');
  if (result.ok) return settled(deps, claim, await settleDelivery(deps.db, claim, 'sent', now), 'sent');
  if (result.retryable) {
    // A 5xx or a dropped connection may come after Slack acted: the next attempt looks in Slack
    // before sending again, exactly as after a crash. A 429 is an answer before any action.
    if (claim.staleClaimedAt || !SLACK_DID_NOTHING.has(result.error)) await releaseAsStale(deps.db, claim, leaseMs);
    else await settleDelivery(deps.db, claim, 'pending', now, result.error);
    return 'retry';
  }
  return settled(deps, claim, await settleDelivery(deps.db, claim, 'failed', now, result.error), 'failed');
}

/** The key is not ours to send: settled already, in flight elsewhere, or unknown. */
async function notOurs(deps: Deps, key: string): Promise<DeliveryOutcome> {
  const deadline = Date.now() + BUSY_WAIT_MS;
  for (;;) {
    const existing = await findDelivery(deps.db, key);
    if (!existing) return 'taken';
    if (FINAL.has(existing.status)) return existing.status as DeliveryOutcome;
    // pending again: the holder hit a retryable error; its job, or ours, tries again later.
    if (existing.status !== 'sending' || Date.now() >= deadline) return 'retry';
    await new Promise((resolve) => setTimeout(resolve, BUSY_POLL_MS));
  }
}

function settled(deps: Deps, claim: NonNullable<Claim>, applied: boolean, outcome: DeliveryOutcome): DeliveryOutcome {
  // Our lease was taken over while we called Slack (the database was away, or this process stalled);
  // the new holder looks in Slack before it repeats anything, so its record stands.
  if (!applied) deps.log.warn({ key: claim.key, attempt: claim.attempts, outcome }, 'delivery claim was taken over while sending; leaving the record to the new holder');
  return outcome;
}

/** Renews the claim every third of the lease until stopped. */
function keepClaimed(deps: Deps, claim: NonNullable<Claim>, leaseMs: number): { stop(): void } {
  const timer = setInterval(() => {
    renewClaim(deps.db, claim, deps.clock()).then(
      (ours) => {
        if (!ours) deps.log.warn({ key: claim.key, attempt: claim.attempts }, 'delivery claim lost while sending');
      },
      (err: unknown) => deps.log.warn({ err, key: claim.key }, 'could not renew a delivery claim'),
    );
  }, Math.max(1, Math.floor(leaseMs / 3)));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** Slack timestamps are wall-clock; the ledger is written on the app's clock (a parameter in tests). */
function toWallClock(deps: Deps, appTime: Date): Date {
  return new Date(appTime.getTime() + (Date.now() - deps.clock().getTime()));
}
