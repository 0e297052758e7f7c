import type { Pool } from 'pg';
import type { Deps } from '../deps';
import type { JobDefinition } from './queue';

export const EVENT_RETENTION_JOB = 'event-retention';
/** Processed events are kept this long: long enough to look into an incident, short enough that the table stays small. */
export const EVENT_RETENTION_DAYS = 30;
/** Settled ledger rows (sent, failed, cancelled, skipped): a quarter, to answer "did I get that prompt?" after an incident. */
export const DELIVERY_RETENTION_DAYS = 90;
/** Digest rows: a year and a month, so that every digest of the last year can still be told apart from one never sent. */
export const DIGEST_RETENTION_DAYS = 400;

/** Deletes the rows `select` names, `batchSize` at a time, so that no statement holds many locks. */
async function deleteInBatches(pool: Pool, table: string, key: string, where: string, params: unknown[], batchSize: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const { rowCount } = await pool.query(
      `DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${where} LIMIT $${params.length + 1})`,
      [...params, batchSize],
    );
    deleted += rowCount ?? 0;
    if ((rowCount ?? 0) < batchSize) return deleted;
  }
}

/** Processed events older than the retention. Unprocessed events (failed for good, awaiting a person) are kept whatever their age. */
export function pruneProcessedEvents(deps: Pick<Deps, 'pool'>, batchSize = 5_000): Promise<number> {
  return deleteInBatches(deps.pool, 'slack_events', 'event_id', `processed_at IS NOT NULL AND processed_at < now() - $1 * interval '1 day'`, [EVENT_RETENTION_DAYS], batchSize);
}

/**
 * Settled ledger rows older than DELIVERY_RETENTION_DAYS, and digest rows whose week started more
 * than DIGEST_RETENTION_DAYS ago. Rows still pending or being sent are kept: they are work.
 */
export async function pruneLedgers(deps: Pick<Deps, 'pool'>, batchSize = 5_000): Promise<{ deliveries: number; digests: number }> {
  const deliveries = await deleteInBatches(
    deps.pool,
    'deliveries',
    'key',
    `status IN ('sent', 'failed', 'cancelled', 'skipped') AND coalesce(sent_at, created_at) < now() - $1 * interval '1 day'`,
    [DELIVERY_RETENTION_DAYS],
    batchSize,
  );
  const digests = await deleteInBatches(deps.pool, 'digests', 'id', `status IN ('sent', 'failed', 'cancelled', 'skipped') AND week_start < current_date - $1::int`, [DIGEST_RETENTION_DAYS], batchSize);
  return { deliveries, digests };
}

export function eventRetentionJob(deps: Deps): JobDefinition {
  return {
    name: EVENT_RETENTION_JOB,
    cron: '17 3 * * *',
    retryLimit: 2,
    handle: async (_data, ctx) => {
      const deleted = await pruneProcessedEvents(deps);
      const ledgers = await pruneLedgers(deps);
      ctx.log.info({ deleted, retentionDays: EVENT_RETENTION_DAYS, ledgers, deliveryRetentionDays: DELIVERY_RETENTION_DAYS, digestRetentionDays: DIGEST_RETENTION_DAYS }, 'old processed events and settled ledger rows deleted');
    },
  };
}
