import type { Deps } from '../deps';
import { unprocessedEventIds } from '../db/events';
import { SLACK_EVENT_JOB } from '../flows/event-flow';
import type { JobDefinition } from './queue';

export const EVENT_SWEEP_JOB = 'event-sweep';
/** An event stored this long ago without being processed lost its job (a crash between ack and enqueue). */
export const SWEEP_AFTER_MS = 30_000;

export async function sweepEvents(deps: Deps): Promise<number> {
  const ids = await unprocessedEventIds(deps.db, deps.clock(), SWEEP_AFTER_MS);
  for (const eventId of ids) await deps.jobs.send(SLACK_EVENT_JOB, { eventId }, { singletonKey: eventId });
  if (ids.length > 0) deps.log.info({ count: ids.length }, 'queued stored events that had no job');
  return ids.length;
}

export function eventSweepJob(deps: Deps): JobDefinition {
  return { name: EVENT_SWEEP_JOB, cron: '* * * * *', retryLimit: 0, handle: async () => void (await sweepEvents(deps)) };
}
