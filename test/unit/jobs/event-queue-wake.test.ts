import type { Pool } from 'pg';
import { StoredEventAnnouncer } from '../../../src/db/events';
import { EventQueue } from '../../../src/jobs/event-queue';
import { createLogger } from '../../../src/log';

/**
 * How a burst of stored events reaches the workers (SPEC.md section 8, ROLE): the web announces
 * it in a few NOTIFYs, and a worker drains it once it goes quiet. PostgreSQL is played by a stub
 * pool that records the statements; the SQL itself is covered by the integration tests.
 */
const log = createLogger('silent');

function recordingPool() {
  const statements: Array<{ sql: string; at: number }> = [];
  const pool = {
    query: async (sql: string) => {
      statements.push({ sql, at: Date.now() });
      return { rows: [], rowCount: 0 };
    },
  };
  return { pool: pool as unknown as Pool, statements };
}

describe('StoredEventAnnouncer', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('announces the first event at once and the rest of a burst together, one NOTIFY per spacing', async () => {
    const { pool, statements } = recordingPool();
    const announcer = new StoredEventAnnouncer(pool, log, 20);
    announcer.announce();
    expect(statements).toHaveLength(1);
    // A hundred acknowledgements within 10 ms: one more NOTIFY, 20 ms after the first ended.
    for (let i = 0; i < 100; i++) {
      announcer.announce();
      if (i % 10 === 9) await jest.advanceTimersByTimeAsync(1);
    }
    expect(statements).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(20);
    expect(statements).toHaveLength(2);
    expect(statements.every((s) => s.sql.includes('pg_notify'))).toBe(true);
    // Nothing stored since: nothing more is sent.
    await jest.advanceTimersByTimeAsync(200);
    expect(statements).toHaveLength(2);
  });

  it('sends what is still to announce when the process stops', async () => {
    const { pool, statements } = recordingPool();
    const announcer = new StoredEventAnnouncer(pool, log, 1_000);
    announcer.announce();
    announcer.announce();
    await announcer.settle();
    expect(statements).toHaveLength(2);
  });
});

describe('EventQueue wake', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  /** The times at which the queue looked for rows (each look is one UPDATE ... RETURNING). */
  async function queueWith(): Promise<{ queue: EventQueue; looks: () => number[] }> {
    const { pool, statements } = recordingPool();
    const queue = new EventQueue(pool, async () => undefined, log, undefined, { pollMs: 60_000 });
    queue.start();
    await jest.advanceTimersByTimeAsync(0);
    statements.length = 0; // the look at start-up
    return { queue, looks: () => statements.filter((s) => s.sql.includes('UPDATE slack_events')).map((s) => s.at) };
  }

  it('drains a burst once it has been quiet for 50 ms, not while it is still coming', async () => {
    const { queue, looks } = await queueWith();
    // Wakes every 10 ms for 100 ms: the burst of a web answering Slack.
    for (let t = 0; t < 100; t += 10) {
      queue.wake();
      await jest.advanceTimersByTimeAsync(10);
    }
    expect(looks()).toEqual([]);
    await jest.advanceTimersByTimeAsync(50);
    expect(looks()).toEqual([140]);
    await queue.stop();
  });

  it('still drains a stream that never goes quiet, 250 ms after its first wake', async () => {
    const { queue, looks } = await queueWith();
    for (let t = 0; t < 600; t += 10) {
      queue.wake();
      await jest.advanceTimersByTimeAsync(10);
    }
    expect(looks()).toEqual([250, 500]);
    await queue.stop();
  });
});
