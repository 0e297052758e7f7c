import type { Deps } from '../deps';
import { lastEventTime } from '../db/events';
import { recordedChannels } from '../db/incidents';
import { RetryableError } from '../errors';
import { onChannelAppeared } from './incident-flow';

/**
 * How long after its creation a channel found by the sweep still gets a selection: INVITE_DELAY
 * plus 30 minutes. INVITE_DELAY (a later issue, default 2m, delays selection) does not exist yet,
 * so it counts as 0 here; add it to this constant when it comes.
 */
export const SWEEP_SELECTION_WINDOW_MS = 0 + 30 * 60_000;

/**
 * How far back each sweep looks at least, whatever the last event seen: one sweep interval
 * (15 minutes) plus Slack's retry window (about 5 minutes), so that one event lost while others
 * still arrive is caught by the next sweep.
 */
export const SWEEP_LOOKBACK_MS = 20 * 60_000;

/**
 * A channel younger than this is left to its own `channel_created`, which may still be on its
 * way (or queued): the next sweep takes it if that event never comes.
 */
export const SWEEP_GRACE_MS = 60_000;

/**
 * After an outage longer than Slack's retries (3 over about 5 minutes, then the event is gone),
 * incident channels created meanwhile would never be seen. At start-up and every 15 minutes, the
 * channels matching INCIDENT_CHANNEL_PATTERN created since the last event seen (conversations.list,
 * public and private, every page) that were never recorded are handled as if their event had come:
 * with a selection while still within SWEEP_SELECTION_WINDOW_MS of creation, recorded without
 * invites after that. Idempotent, like every event: safe on several replicas at once.
 */
export async function sweepChannels(deps: Deps): Promise<{ found: number; selected: number; recorded: number }> {
  const now = deps.clock();
  const lastSeen = await lastEventTime(deps.db);
  const since = Math.min(lastSeen?.getTime() ?? now.getTime(), now.getTime() - SWEEP_LOOKBACK_MS);
  const listed = await deps.slack.listChannels();
  if (!listed.ok) {
    if (listed.retryable) throw new RetryableError(listed.error, 'conversations.list failed');
    throw new Error(`conversations.list failed: ${listed.error}`);
  }
  const settled = now.getTime() - SWEEP_GRACE_MS;
  const recent = listed.value.filter((c) => c.created !== null && c.created * 1000 >= since && c.created * 1000 <= settled && deps.config.incidentChannelPattern.test(c.name));
  const known = await recordedChannels(deps.db, recent.map((c) => c.id));
  const missed = recent.filter((c) => !known.has(c.id));
  let selected = 0;
  let recorded = 0;
  let failure: unknown = null;
  for (const channel of missed) {
    const young = now.getTime() - channel.created! * 1000 <= SWEEP_SELECTION_WINDOW_MS;
    try {
      const outcome = await onChannelAppeared(deps, channel, { recordOnly: !young });
      if (outcome === 'invited') selected++;
      if (outcome === 'recorded') recorded++;
    } catch (error) {
      // One channel that fails must not stop the others; the job fails after them and is retried.
      deps.log.warn({ err: error, channel: channel.id }, 'channel sweep could not handle a channel');
      failure ??= error;
    }
  }
  if (missed.length > 0) deps.log.info({ since: new Date(since), found: missed.length, selected, recorded }, 'channel sweep: incident channels whose events were missed');
  if (failure) throw failure;
  return { found: missed.length, selected, recorded };
}
