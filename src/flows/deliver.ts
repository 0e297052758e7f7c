import type { Deps } from '../deps';
import { LEDGER_LEASE_MS, type Claim, type LedgerEntry, type LedgerStatus } from '../db/ledger';
import { mayHaveActed, type SlackResult } from '../slack/slack-calls';
import type { DeliveryContext, EffectResult } from '../slack/gateway';

export type DeliveryOutcome = 'sent' | 'failed' | 'skipped' | 'retry' | 'taken' | 'cancelled';

export interface Delivered {
  outcome: DeliveryOutcome;
  /** false: this call did not hold the key, and the outcome is what another holder left (or 'retry') */
  ours: boolean;
}

export interface DeliverOptions {
  /** how long a claim lives without renewal (default LEDGER_LEASE_MS) */
  leaseMs?: number;
  /** how long to wait for a live holder of the key to settle it before answering 'retry' (default 1 s) */
  waitForHolderMs?: number;
}

/** What a send makes of one ledger key: a Slack call made with the delivery context, or nothing to send. */
export type Send = (delivery: DeliveryContext) => Promise<SlackResult<unknown> | EffectResult<unknown> | 'skip'>;

/** Slack's clock and ours may disagree a little; the look for an earlier attempt starts this much earlier. */
const LOOK_MARGIN_MS = 60_000;
/** A key claimed by a live worker usually settles within a Slack call; waited for this long before asking for a retry. */
const BUSY_WAIT_MS = 1_000;
const BUSY_POLL_MS = 100;

const FINAL = new Set<LedgerStatus>(['sent', 'failed', 'skipped', 'cancelled']);

/**
 * Runs one ledger entry's Slack call exactly once: claim the key, call, record the outcome. The
 * entry is a `deliveries` row (db/deliveries.ts) or a `digests` row (db/digests.ts).
 *
 * - A key already sent, failed, skipped or cancelled is left alone and its status returned.
 * - A key another worker is sending right now gives 'retry' (after a short wait for it to
 *   settle), so that the caller's job runs again and finds it settled, or finds the claim stale
 *   if that worker died.
 * - The claim is renewed while the call runs, so only a dead worker's claim goes stale. Taking over
 *   a stale claim, the send gets `lookSince` in its delivery context: the gateway first looks in
 *   Slack for the dead worker's effect (message metadata, channel membership) and reports it found
 *   instead of repeating it.
 * - A retryable Slack error puts the key back and returns 'retry', for the job to run again: to
 *   pending after a 429 (Slack did nothing), otherwise as uncertain, so that the next attempt looks
 *   in Slack first (a 500 or a lost connection may come after Slack acted).
 */
export async function deliverOnce(deps: Pick<Deps, 'log' | 'clock'>, entry: LedgerEntry, send: Send, options: DeliverOptions = {}): Promise<Delivered> {
  const leaseMs = options.leaseMs ?? LEDGER_LEASE_MS;
  const claim = await entry.claim(deps.clock(), leaseMs);
  if (!claim) return { outcome: await notOurs(entry, options.waitForHolderMs ?? BUSY_WAIT_MS), ours: false };

  const context: DeliveryContext = { key: entry.key };
  if (claim.staleClaimedAt) context.lookSince = new Date(toWallClock(deps, claim.staleClaimedAt).getTime() - LOOK_MARGIN_MS);
  const renewal = keepClaimed(deps, entry, claim, leaseMs);
  let result: Awaited<ReturnType<Send>>;
  try {
    result = await send(context);
  } finally {
    renewal.stop();
  }
  if (claim.staleClaimedAt) {
    const found = result !== 'skip' && result.ok && 'found' in result && result.found;
    deps.log.info({ key: entry.key, attempt: claim.attempts, foundEarlierAttempt: found }, 'took over a delivery from a worker that stopped');
  }

  const now = deps.clock();
  const settle = async (status: 'sent' | 'failed' | 'skipped', error?: string) => {
    const applied = await entry.settle(claim, status, now, error);
    // Our lease was taken over while we called Slack (the database was away, or this process stalled);
    // the new holder looks in Slack before it repeats anything, so its record stands.
    if (!applied) deps.log.warn({ key: entry.key, attempt: claim.attempts, outcome: status }, 'delivery claim was taken over while sending; leaving the record to the new holder');
    return { outcome: status, ours: true };
  };
  if (result === 'skip') return settle('skipped');
  if (result.ok) return settle('sent');
  if (!result.retryable) return settle('failed', result.error);
  // A 5xx or a dropped connection may come after Slack acted: the next attempt looks in Slack
  // before sending again, exactly as after a crash. A 429 is an answer before any action.
  if (claim.staleClaimedAt || mayHaveActed(result)) await entry.releaseUncertain(claim, leaseMs, result.error);
  else await entry.settle(claim, 'pending', now, result.error);
  return { outcome: 'retry', ours: true };
}

/** The key is not ours to send: settled already, in flight elsewhere, or unknown. */
async function notOurs(entry: LedgerEntry, waitMs: number): Promise<DeliveryOutcome> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const status = await entry.status();
    if (!status) return 'taken';
    if (FINAL.has(status)) return status as DeliveryOutcome;
    // pending again: the holder hit a retryable error; its job, or ours, tries again later.
    if (status !== 'sending' || Date.now() >= deadline) return 'retry';
    await new Promise((resolve) => setTimeout(resolve, BUSY_POLL_MS));
  }
}

/** Renews the claim every third of the lease until stopped. */
function keepClaimed(deps: Pick<Deps, 'log' | 'clock'>, entry: LedgerEntry, claim: Claim, leaseMs: number): { stop(): void } {
  const timer = setInterval(() => {
    entry.renew(claim, deps.clock()).then(
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
function toWallClock(deps: Pick<Deps, 'clock'>, appTime: Date): Date {
  return new Date(appTime.getTime() + (Date.now() - deps.clock().getTime()));
}
