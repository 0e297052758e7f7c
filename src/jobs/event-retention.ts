import type { Deps } from '../deps';
import type { JobDefinition } from './queue';

export const EVENT_RETENTION_JOB = 'event-retention';
/** Processed events are kept this long: long enough to look into an incident, short enough that the table stays small. */
export const EVENT_RETENTION_DAYS = 30;

/**
 * Deletes processed events older than the retention, in batches so that no statement holds many
 * locks. Unprocessed events (failed for good, awaiting a person) are kept whatever their age.
 */
export async function pruneProcessedEvents(deps: Pick<Deps, 'pool'>, batchSize = 5_000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const { rowCount } = await deps.pool.query(
      `DELETE FROM slack_events WHERE event_id IN (
         SELECT event_id FROM slack_events
         WHERE processed_at IS NOT NULL AND processed_at < now() - $1 * interval '1 day'
         LIMIT $2)`,
      [EVENT_RETENTION_DAYS, batchSize],
    );
    deleted += rowCount ?? 0;
    if ((rowCount ?? 0) < batchSize) return deleted;
  }
}

export function eventRetentionJob(deps: Deps): JobDefinition {
  return {
    name: EVENT_RETENTION_JOB,
    cron: '17 3 * * *',
    retryLimit: 2,
    handle: async (_data, ctx) => {
      const deleted = await pruneProcessedEvents(deps);
      ctx.log.info({ deleted, retentionDays: EVENT_RETENTION_DAYS }, 'old processed events deleted');
    },
  };
}
