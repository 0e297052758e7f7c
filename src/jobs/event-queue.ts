import type { Pool } from 'pg';
import { listenForEvents, MAX_EVENT_ATTEMPTS, markEventFailed, takeDueEvents, type EventListener, type TakenEvent } from '../db/events';
import { errorMessage } from '../errors';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';

/**
 * The stored Slack events are their own durable queue (table slack_events): the acknowledgement
 * writes one row and nothing else, and this drains the rows in batches. A job per event (pg-boss)
 * cost about seven statements per event on the path that competes with acknowledgements
 * (BENCHMARKS.md, ack); here a batch costs one statement to take, plus one per event to finish.
 *
 * Any replica drains any row: rows are taken with SKIP LOCKED and a lease, so a process that dies
 * mid-event lets its rows go when the lease ends, and a failure is retried with a backoff.
 */
export interface EventQueueOptions {
  /** events processed at once by this process */
  concurrency?: number;
  /** rows taken per statement */
  batchSize?: number;
  /** how long a taken row stays with this process before another may take it */
  leaseMs?: number;
  /** how often to look for due rows without being woken (retries, other replicas' leftovers) */
  pollMs?: number;
  /**
   * LISTEN on this database for rows stored by any process (a `web` replica's INSERT notifies),
   * on one connection of its own; the poll stays as the fallback. Unset: woken only in-process.
   */
  listenUrl?: string;
}

/**
 * A wake waits for the burst to go quiet: each further wake within WAKE_QUIET_MS starts the wait
 * again, up to WAKE_MAX_MS after the first, so a steady stream is still drained at that pace.
 * Processing while the web side of the same machine still answers a burst put the worker on the
 * acknowledgements' cores and connections (BENCHMARKS.md, ack); a quarter of a second is nothing
 * next to INVITE_DELAY. Longer than the web's ANNOUNCE_SPACING_MS, so a burst keeps the wait open.
 */
const WAKE_QUIET_MS = 50;
const WAKE_MAX_MS = 250;

export class EventQueue {
  private readonly concurrency: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private timer: NodeJS.Timeout | undefined;
  private wakeTimer: NodeJS.Timeout | undefined;
  /** when the first wake of the burst being gathered came */
  private firstWakeAt: number | undefined;
  private draining: Promise<void> | undefined;
  private again = false;
  private running = false;
  private listener: EventListener | undefined;
  private readonly listenUrl: string | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly processEvent: (eventId: string) => Promise<void>,
    private readonly log: Logger,
    private readonly metrics?: Metrics,
    options: EventQueueOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 2;
    this.batchSize = options.batchSize ?? 20;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 1_000;
    this.listenUrl = options.listenUrl;
  }

  start(): void {
    this.running = true;
    if (this.listenUrl) this.listener = listenForEvents(this.listenUrl, () => this.wake(), this.log);
    // The poll leaves a burst being gathered alone: its wake drains it when it goes quiet.
    this.timer = setInterval(() => {
      if (!this.wakeTimer) this.drainNow();
    }, this.pollMs);
    this.timer.unref();
    this.drainNow();
  }

  /**
   * Drains soon: called when an event was stored (in this process, or NOTIFYed by another), so it
   * is processed without waiting for the poll. The wait gathers a burst into one batch and lets
   * the acknowledgements in flight finish before processing competes with them.
   */
  wake(): void {
    if (!this.running) return;
    const now = Date.now();
    this.firstWakeAt ??= now;
    clearTimeout(this.wakeTimer);
    const wait = Math.max(0, Math.min(WAKE_QUIET_MS, this.firstWakeAt + WAKE_MAX_MS - now));
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.firstWakeAt = undefined;
      this.drainNow();
    }, wait);
  }

  private drainNow(): void {
    if (!this.running) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.again) {
        this.again = false;
        this.drainNow();
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.running) {
      let batch: TakenEvent[];
      try {
        batch = await takeDueEvents(this.pool, this.batchSize, this.leaseMs);
      } catch (err) {
        // The database is away: the rows wait, and the next poll tries again.
        this.log.warn({ err }, 'could not take stored events');
        return;
      }
      if (batch.length === 0) return;
      await this.run(batch);
    }
  }

  /** Processes a batch, `concurrency` at a time, in the order Slack's events were received. */
  private async run(batch: TakenEvent[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const event = batch[next++]!;
        await this.runOne(event);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, batch.length) }, worker));
  }

  private async runOne(event: TakenEvent): Promise<void> {
    this.metrics?.jobLag.observe({ queue: 'slack-event' }, Math.max(0, (Date.now() - event.receivedAt.getTime()) / 1000));
    try {
      await this.processEvent(event.eventId);
    } catch (err) {
      this.metrics?.jobsFailed.inc({ queue: 'slack-event' });
      const retryInMs = Math.min(300_000, 1_000 * 2 ** event.attempts);
      const last = event.attempts >= MAX_EVENT_ATTEMPTS;
      this.log[last ? 'error' : 'warn']({ err, eventId: event.eventId, attempt: event.attempts, retryInMs: last ? null : retryInMs }, last ? 'event failed for the last time; left unprocessed' : 'event failed; it will be retried');
      await markEventFailed(this.pool, event.eventId, errorMessage(err), retryInMs).catch((e: unknown) => {
        // Not recorded: the row's lease ends and it is taken again then.
        this.log.warn({ err: e, eventId: event.eventId }, 'could not record the failure of an event');
      });
    }
  }

  /** Stops taking rows and waits for the events in hand. */
  async stop(): Promise<void> {
    this.running = false;
    await this.listener?.close();
    clearInterval(this.timer);
    clearTimeout(this.wakeTimer);
    await this.draining;
  }
}
