import { Client, type Pool } from 'pg';
import type { PrismaClient } from '../generated/prisma/client';
import type { Logger } from '../log';
import { poolOptions } from './client';

/** The channel a stored event is announced on, so that workers take it without waiting for their poll. */
export const EVENTS_CHANNEL = 'smokejumper_slack_events';

/** What is kept of an Events API envelope: never its verification `token` or its `authorizations`. */
export interface StoredEnvelope {
  event_id: string;
  event_time?: number;
  team_id?: string;
  event: unknown;
}

export function storedEnvelope(envelope: { event_id: string; event_time?: number; team_id?: unknown; event: unknown }): StoredEnvelope {
  return {
    event_id: envelope.event_id,
    ...(typeof envelope.event_time === 'number' ? { event_time: envelope.event_time } : {}),
    ...(typeof envelope.team_id === 'string' ? { team_id: envelope.team_id } : {}),
    event: envelope.event,
  };
}

/**
 * Stores an event before it is acknowledged: one single-row INSERT on the raw pool, the same
 * statement as the floor of the `ack` benchmark, because it sits on the path of every
 * acknowledgement. Workers are told by StoredEventAnnouncer, not here: a NOTIFY in the storing
 * transaction takes PostgreSQL's database-wide notify lock at commit and holds it through the WAL
 * flush, so acknowledgements in flight committed one after another instead of together
 * (BENCHMARKS.md, ack). Returns false for a duplicate (a redelivery with X-Slack-Retry-Num, or
 * the same event twice).
 */
export async function storeEvent(pool: Pool, type: string, envelope: StoredEnvelope): Promise<boolean> {
  const result = await pool.query(
    'INSERT INTO slack_events (event_id, type, payload) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING',
    [envelope.event_id, type, JSON.stringify(envelope)],
  );
  return result.rowCount === 1;
}

/**
 * Tells every process LISTENing (workers, other replicas) that events were stored, so that they
 * take them without waiting for their poll. Spaced: the first event of a burst is announced at
 * once, and whatever is stored after it is announced together, at most once per
 * ANNOUNCE_SPACING_MS. A burst of a hundred events costs a handful of NOTIFYs, each a statement of
 * its own off the acknowledgement's path: every NOTIFY is a connection and a commit that a
 * concurrent acknowledgement waits behind (BENCHMARKS.md, ack). Workers gather for longer than the
 * spacing (jobs/event-queue.ts), so nothing is lost by not announcing every row. A NOTIFY that
 * fails (or a process that dies before sending it) loses nothing: the row is stored, and every
 * worker's poll finds it within a second.
 */
export const ANNOUNCE_SPACING_MS = 20;

export class StoredEventAnnouncer {
  private inFlight: Promise<void> | undefined;
  private spacing: NodeJS.Timeout | undefined;
  private pending = false;

  constructor(
    private readonly pool: Pool,
    private readonly log: Logger,
    private readonly spacingMs = ANNOUNCE_SPACING_MS,
  ) {}

  announce(): void {
    if (this.inFlight || this.spacing) {
      this.pending = true;
      return;
    }
    this.send();
  }

  private send(): void {
    this.pending = false;
    this.inFlight = this.pool
      .query(`SELECT pg_notify('${EVENTS_CHANNEL}', '')`)
      .then(
        () => undefined,
        (err: unknown) => this.log.warn({ err }, 'could not announce stored events; workers find them at their next poll'),
      )
      .finally(() => {
        this.inFlight = undefined;
        this.spacing = setTimeout(() => {
          this.spacing = undefined;
          if (this.pending) this.send();
        }, this.spacingMs);
        this.spacing.unref();
      });
  }

  /** Sends what is still to announce and waits for it (shutdown). */
  async settle(): Promise<void> {
    while (this.inFlight) await this.inFlight;
    clearTimeout(this.spacing);
    this.spacing = undefined;
    if (this.pending) {
      this.send();
      await this.inFlight;
      clearTimeout(this.spacing);
      this.spacing = undefined;
    }
  }
}

export function loadEvent(db: PrismaClient, eventId: string) {
  return db.slackEvent.findUnique({ where: { eventId } });
}

/** An event tried this many times is left unprocessed, with its last error, for a person to look at. */
export const MAX_EVENT_ATTEMPTS = 10;

export interface TakenEvent {
  eventId: string;
  receivedAt: Date;
  attempts: number;
}

/**
 * Takes up to `limit` events that are due, oldest first, and moves them one lease ahead, so that
 * no other process takes them meanwhile and a process that dies lets them go when the lease ends.
 * SKIP LOCKED lets replicas take batches side by side. Times are the database's, shared by all.
 */
export async function takeDueEvents(pool: Pool, limit: number, leaseMs: number): Promise<TakenEvent[]> {
  const { rows } = await pool.query<{ event_id: string; received_at: Date; attempts: number }>(
    `UPDATE slack_events SET available_at = now() + $2 * interval '1 millisecond', attempts = attempts + 1
     WHERE event_id IN (
       SELECT event_id FROM slack_events
       WHERE processed_at IS NULL AND available_at <= now() AND attempts < $3
       ORDER BY received_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING event_id, received_at, attempts`,
    [limit, leaseMs, MAX_EVENT_ATTEMPTS],
  );
  return rows
    .map((r) => ({ eventId: r.event_id, receivedAt: r.received_at, attempts: r.attempts }))
    .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
}

export async function markEventProcessed(pool: Pool, eventId: string): Promise<void> {
  await pool.query('UPDATE slack_events SET processed_at = now(), last_error = NULL WHERE event_id = $1', [eventId]);
}

/** A failed attempt: the event is due again after `retryInMs`. */
export async function markEventFailed(pool: Pool, eventId: string, error: string, retryInMs: number): Promise<void> {
  await pool.query(
    `UPDATE slack_events SET last_error = $2, available_at = now() + $3 * interval '1 millisecond' WHERE event_id = $1`,
    [eventId, error.slice(0, 1000), retryInMs],
  );
}

/**
 * When Slack sent the latest event stored (its `event_time`, Slack's clock, as channels' `created`
 * is), or null before the first. A scan, run once per channel sweep (every 15 minutes).
 */
export async function lastEventTime(db: PrismaClient): Promise<Date | null> {
  const [row] = await db.$queryRaw<Array<{ at: bigint | null }>>`
    SELECT max((payload->>'event_time')::bigint) AS at FROM slack_events WHERE payload ? 'event_time'`;
  return row?.at ? new Date(Number(row.at) * 1000) : null;
}

export interface EventListener {
  /** LISTEN is in place (false while reconnecting) */
  readonly listening: boolean;
  close(): Promise<void>;
}

/**
 * Holds one connection LISTENing on EVENTS_CHANNEL and calls `onStored` for each notification.
 * The connection counts within DATABASE_POOL_MAX (connectionBudget.listen). When it drops it is
 * opened again after `retryMs`; meanwhile the event queue's poll still finds every row.
 */
export function listenForEvents(url: string, onStored: () => void, log: Logger, retryMs = 2_000): EventListener {
  let client: Client | undefined;
  let closed = false;
  let listening = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    if (closed) return;
    const c = new Client(poolOptions(url));
    client = c;
    const reconnect = (err?: unknown) => {
      if (client !== c) return;
      client = undefined;
      listening = false;
      c.end().catch(() => undefined);
      if (closed) return;
      if (err) log.warn({ err }, 'lost the event notification connection; polling until it is back');
      retry = setTimeout(() => void connect(), retryMs);
      retry.unref();
    };
    c.on('error', reconnect);
    c.on('end', () => reconnect());
    c.on('notification', () => onStored());
    try {
      await c.connect();
      await c.query(`LISTEN ${EVENTS_CHANNEL}`);
      listening = true;
      // Anything stored while the connection was down is waiting: look now.
      onStored();
    } catch (err) {
      reconnect(err);
    }
  };
  void connect();
  return {
    get listening() {
      return listening;
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
