import type { Deps } from '../deps';
import { loadEvent, markEventProcessed, storeEvent, storedEnvelope } from '../db/events';
import { parseEvent, type HandledEvent, type ReceivedEnvelope } from '../domain/slack-events';
import { onChannelAppeared, onChannelArchived, onChannelMadePrivate, onChannelRenamed, onChannelUnarchived } from './incident-flow';
import { onMemberJoined, onMemberLeft } from './participation-flow';
import { onUsergroupChanged } from './usergroups-flow';

/**
 * Stores an envelope before Slack gets its acknowledgement, and wakes the event queue.
 * Throws when it cannot be stored, so that the request fails and Slack delivers it again.
 */
export async function ingestEvent(deps: Deps, received: ReceivedEnvelope): Promise<'stored' | 'duplicate' | 'invalid' | 'ignored'> {
  if (received.kind === 'ignored') return 'ignored';
  if (received.kind === 'invalid') {
    deps.log.warn({ problem: received.problem, eventId: received.eventId }, 'event ignored: malformed payload');
    deps.metrics.eventsReceived.inc({ delivery: 'invalid' });
    return 'invalid';
  }
  // Only the event and what identifies it are kept: the envelope's verification token and authorizations are not.
  const stored = await storeEvent(deps.ingestPool, received.type, storedEnvelope({ event_id: received.eventId, event_time: received.eventTime, team_id: received.teamId, event: received.event }));
  deps.metrics.eventsReceived.inc({ delivery: stored ? 'new' : 'duplicate' });
  if (!stored) return 'duplicate';
  // The row is the queue entry (jobs/event-queue.ts); waking only saves waiting for the next poll.
  deps.events.wake();
  return 'stored';
}

function eventTime(envelope: { event_time?: number }, fallback: Date): Date {
  return typeof envelope.event_time === 'number' ? new Date(envelope.event_time * 1000) : fallback;
}

async function dispatch(deps: Deps, event: HandledEvent, at: Date): Promise<void> {
  switch (event.type) {
    case 'channel_created':
      await onChannelAppeared(deps, event.channel);
      return;
    case 'channel_rename':
    case 'group_rename':
      await onChannelRenamed(deps, event.channel);
      return;
    case 'channel_archive':
    case 'group_archive':
    case 'channel_deleted':
    case 'group_deleted':
      await onChannelArchived(deps, event.channel);
      return;
    case 'channel_unarchive':
    case 'group_unarchive':
      await onChannelUnarchived(deps, event.channel);
      return;
    case 'member_joined_channel':
      await onMemberJoined(deps, { user: event.user, channel: event.channel, at });
      return;
    case 'member_left_channel':
      await onMemberLeft(deps, { user: event.user, channel: event.channel, at });
      return;
    case 'message':
      await onChannelMadePrivate(deps, event.channel);
      return;
    case 'subteam_members_changed':
      await onUsergroupChanged(deps, event.subteam_id);
      return;
    case 'subteam_updated':
      await onUsergroupChanged(deps, event.subteam.id);
      return;
  }
}

/** Does what a stored event asks, once; every step below is idempotent, so a retry is safe. */
export async function processStoredEvent(deps: Deps, eventId: string): Promise<void> {
  const row = await loadEvent(deps.db, eventId);
  if (!row || row.processedAt) return;
  const envelope = row.payload as { event: unknown; event_time?: number };
  const parsed = parseEvent(envelope.event);
  const log = deps.log.child({ eventId, type: row.type });
  if (!parsed.ok) {
    log.warn({ problem: parsed.problem }, 'stored event cannot be processed');
    await markEventProcessed(deps.pool, eventId);
    return;
  }
  try {
    await dispatch({ ...deps, log }, parsed.event, eventTime(envelope, row.receivedAt));
  } catch (error) {
    deps.metrics.eventsHandled.inc({ type: row.type, outcome: 'error' });
    throw error;
  }
  await markEventProcessed(deps.pool, eventId);
  deps.metrics.eventsHandled.inc({ type: row.type, outcome: 'ok' });
}
