import type { Logger } from '../log';
import type { Message } from '../slack/views/blocks';
import { explainFailure } from './failure';

/**
 * Work that runs after a listener has acknowledged Slack (commands, buttons, Home tab opens).
 *
 * The HTTP receiver holds Slack's response until the listener finishes (processBeforeResponse),
 * so anything touching the database or Slack must not run inside it: a slow database would
 * otherwise cost the person Slack's 3-second deadline. Acknowledging is cheap, so a flood of
 * requests (one person clicking wildly, a script, a whole company opening the Home tab at 09:00)
 * would otherwise start unbounded work at once; hence:
 *
 * - at most AFTER_ACK_CONCURRENCY pieces of work run at a time in this process, the rest wait;
 * - at most one runs per person at a time, in the order they came (a person's second command
 *   sees the first one's effect);
 * - work with a `coalesce` key (the Home tab publish) is dropped when the same person already has
 *   one such piece waiting: the one waiting reads the state when it starts, so it shows whatever
 *   the dropped one would have. One in flight plus at most one waiting per person and key. It is
 *   also dropped when the same piece finished less than COALESCE_WINDOW_MS ago and nothing else
 *   ran for that person since (nothing of theirs changed through us), so a tab opened ten times
 *   in a second publishes once.
 *
 * This is interactive work for someone looking at Slack now, not durable work: what must survive
 * a crash goes through the ledger and jobs instead. `settleAfterAck` waits for all of it (shutdown).
 */
export const AFTER_ACK_CONCURRENCY = 16;
export const COALESCE_WINDOW_MS = 2_000;

export interface AfterAckJob {
  /** the Slack user the work is for: one piece at a time per person */
  person: string;
  /** pieces with the same key for the same person coalesce while waiting */
  coalesce?: string;
  /** log context */
  context?: Record<string, unknown>;
}

interface Waiting {
  job: AfterAckJob;
  run: () => Promise<void>;
}

export class AfterAckRunner {
  private running = 0;
  /** per person: the pieces not started yet (the running one is not in it) */
  private readonly queues = new Map<string, Waiting[]>();
  /** people with a piece running */
  private readonly busy = new Set<string>();
  /** people with waiting pieces and none running, in arrival order */
  private readonly ready: string[] = [];
  private readonly idle = new Set<() => void>();
  /** per person: the coalescing piece that finished last, and when (oldest first) */
  private readonly recent = new Map<string, { key: string; at: number }>();
  coalesced = 0;

  constructor(
    private readonly limit = AFTER_ACK_CONCURRENCY,
    private readonly windowMs = COALESCE_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queues `run`; returns false when it was coalesced into a piece already waiting. */
  submit(job: AfterAckJob, run: () => Promise<void>): boolean {
    const queue = this.queues.get(job.person) ?? [];
    const last = this.recent.get(job.person);
    const fresh = last !== undefined && last.key === job.coalesce && this.now() - last.at < this.windowMs;
    if (job.coalesce && (fresh || queue.some((w) => w.job.coalesce === job.coalesce))) {
      this.coalesced += 1;
      return false;
    }
    queue.push({ job, run });
    this.queues.set(job.person, queue);
    if (queue.length === 1 && !this.busy.has(job.person)) this.ready.push(job.person);
    this.pump();
    return true;
  }

  /** How many pieces are running or waiting. */
  get pending(): number {
    let waiting = 0;
    for (const q of this.queues.values()) waiting += q.length;
    return this.running + waiting;
  }

  /** Resolves once nothing is running or waiting. */
  settle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.add(resolve));
  }

  private remember(person: string, key: string | undefined): void {
    this.recent.delete(person);
    if (key) this.recent.set(person, { key, at: this.now() });
    // Oldest first: forget what is past the window, so the map stays as small as the last seconds' traffic.
    for (const [who, entry] of this.recent) {
      if (this.now() - entry.at < this.windowMs) break;
      this.recent.delete(who);
    }
  }

  private wakeIdle(): void {
    const waiting = [...this.idle];
    this.idle.clear();
    for (const resolve of waiting) resolve();
  }

  private pump(): void {
    while (this.running < this.limit && this.ready.length > 0) {
      const person = this.ready.shift()!;
      const queue = this.queues.get(person)!;
      const next = queue.shift()!;
      if (queue.length === 0) this.queues.delete(person);
      this.running += 1;
      this.busy.add(person);
      const done = (): void => {
        this.remember(person, next.job.coalesce);
        this.running -= 1;
        this.busy.delete(person);
        if (this.queues.has(person)) this.ready.push(person);
        this.pump();
        if (this.pending === 0) this.wakeIdle();
      };
      // Failures are the submitter's to report (afterAck does); the queue carries on regardless.
      next.run().then(done, done);
    }
  }
}

const runner = new AfterAckRunner();

/**
 * Runs `work` after the listener returns, within the bounds above. A failure is logged with a
 * reference the person is shown through `tell`.
 */
export function afterAck(deps: { log: Logger }, job: AfterAckJob, work: () => Promise<void>, tell?: (message: Message) => Promise<unknown>): void {
  const context = { user: job.person, ...job.context };
  runner.submit(job, async () => {
    try {
      await work();
    } catch (error) {
      const { reference, reply } = explainFailure(deps.log, error, context, 'interactive request failed after its acknowledgement');
      if (tell) {
        await tell(reply).catch((err: unknown) => {
          deps.log.warn({ err, reference, ...context }, 'could not tell the person about the failure');
        });
      }
    }
  });
}

/** Resolves when every piece of work started by afterAck so far has finished (for shutdown). */
export function settleAfterAck(): Promise<void> {
  return runner.settle();
}
