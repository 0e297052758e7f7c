import type { Deps } from '../deps';
import { lastEventTime } from '../db/events';
import { recordedChannels, unselectedIncidents } from '../db/incidents';
import { markIncidentSelected, withIncidentSelectionLock } from '../db/selections';
import { RetryableError } from '../errors';
import { inviteLearners, onChannelAppeared } from './incident-flow';

/** How long after selection was due (INVITE_DELAY after creation) a channel found by the sweep still gets one. */
export const SWEEP_SELECTION_LATENESS_MS = 30 * 60_000;

/** How long after its creation a channel found by the sweep still gets a selection: INVITE_DELAY plus 30 minutes. */
export function sweepSelectionWindowMs(inviteDelayMs: number): number {
  return inviteDelayMs + SWEEP_SELECTION_LATENESS_MS;
}

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
 * with a selection (when INVITE_DELAY is over: never early) while still within
 * sweepSelectionWindowMs of creation, recorded without invites after that. Incidents recorded
 * whose selection never ran though due (its job lost) are selected the same way. Idempotent, like
 * every event: safe on several replicas at once.
 */
export async function sweepChannels(deps: Deps): Promise<{ found: number; selected: number; recorded: number; overdue: number }> {
  const now = deps.clock();
  const window = sweepSelectionWindowMs(deps.config.inviteDelayMs);
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
    const young = now.getTime() - channel.created! * 1000 <= window;
    try {
      const outcome = await onChannelAppeared(deps, channel, { recordOnly: !young });
      if (outcome === 'invited' || outcome === 'scheduled') selected++;
      if (outcome === 'recorded') recorded++;
    } catch (error) {
      // One channel that fails must not stop the others; the job fails after them and is retried.
      deps.log.warn({ err: error, channel: channel.id }, 'channel sweep could not handle a channel');
      failure ??= error;
    }
  }
  if (missed.length > 0) deps.log.info({ since: new Date(since), found: missed.length, selected, recorded }, 'channel sweep: incident channels whose events were missed');
  const overdue = await selectOverdue(deps, now, window).catch((error: unknown) => {
    failure ??= error;
    return 0;
  });
  if (failure) throw failure;
  return { found: missed.length, selected, recorded, overdue };
}

/**
 * Recorded incidents whose selection was due a while ago (SWEEP_GRACE_MS after INVITE_DELAY) and
 * never ran: the job was lost, or ran out of retries. Within the window they are selected now;
 * older ones are marked selected without invites, as a channel found that late would be.
 */
async function selectOverdue(deps: Deps, now: Date, window: number): Promise<number> {
  const overdue = await unselectedIncidents(deps.db, new Date(now.getTime() - deps.config.inviteDelayMs - SWEEP_GRACE_MS));
  let failure: unknown = null;
  for (const incident of overdue) {
    const log = deps.log.child({ incident: incident.id, channel: incident.channelId });
    try {
      if (now.getTime() - incident.openedAt.getTime() <= window) {
        log.info('channel sweep: selection was due and never ran; selecting now');
        await inviteLearners(deps, incident.id);
      } else {
        log.info('channel sweep: selection was due too long ago; recorded without invites');
        // Under the selection lock: a job selecting it this very moment wins, and this changes nothing.
        await withIncidentSelectionLock(deps.db, incident.id, (tx) => markIncidentSelected(tx, incident.id, now, null));
      }
    } catch (error) {
      log.warn({ err: error }, 'channel sweep could not select an overdue incident');
      failure ??= error;
    }
  }
  if (failure) throw failure;
  return overdue.length;
}
