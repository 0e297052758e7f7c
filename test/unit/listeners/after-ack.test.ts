import { AfterAckRunner } from '../../../src/listeners/after-ack';

/** A piece of work that runs until released, recording when it started. */
function gate() {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { done, release };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('AfterAckRunner', () => {
  it('runs at most `limit` pieces at once across people, starting the next as one ends', async () => {
    const runner = new AfterAckRunner(3);
    const gates = Array.from({ length: 10 }, gate);
    let running = 0;
    let peak = 0;
    gates.forEach((g, i) =>
      runner.submit({ person: `U${i}` }, async () => {
        running += 1;
        peak = Math.max(peak, running);
        await g.done;
        running -= 1;
      }),
    );
    await tick();
    expect(running).toBe(3);
    for (const g of gates) {
      g.release();
      await tick();
    }
    await runner.settle();
    expect(peak).toBe(3);
    expect(runner.pending).toBe(0);
  });

  it('runs one piece per person at a time, in the order they came', async () => {
    const runner = new AfterAckRunner(8);
    const order: string[] = [];
    const first = gate();
    runner.submit({ person: 'U1' }, async () => {
      order.push('a start');
      await first.done;
      order.push('a end');
    });
    runner.submit({ person: 'U1' }, async () => {
      order.push('b');
    });
    runner.submit({ person: 'U2' }, async () => {
      order.push('other person');
    });
    await tick();
    expect(order).toEqual(['a start', 'other person']);
    first.release();
    await runner.settle();
    expect(order).toEqual(['a start', 'other person', 'a end', 'b']);
  });

  it('coalesces a flood of the same piece for one person into one in flight and one waiting', async () => {
    const runner = new AfterAckRunner(8);
    const first = gate();
    let runs = 0;
    const publish = async () => {
      runs += 1;
      if (runs === 1) await first.done;
    };
    const accepted = Array.from({ length: 10 }, () => runner.submit({ person: 'U1', coalesce: 'home' }, publish));
    // Someone else's flood does not coalesce with this person's.
    runner.submit({ person: 'U2', coalesce: 'home' }, publish);
    // Work of another kind for the same person still queues behind.
    let other = false;
    runner.submit({ person: 'U1' }, async () => {
      other = true;
    });
    expect(accepted.filter(Boolean)).toHaveLength(2);
    expect(runner.coalesced).toBe(8);
    first.release();
    await runner.settle();
    expect(runs).toBe(3);
    expect(other).toBe(true);
  });

  it('keeps going after a piece fails', async () => {
    const runner = new AfterAckRunner(1);
    let ran = false;
    runner.submit({ person: 'U1' }, async () => {
      throw new Error('boom');
    });
    runner.submit({ person: 'U1' }, async () => {
      ran = true;
    });
    await expect(runner.settle()).resolves.toBeUndefined();
    expect(ran).toBe(true);
  });
});

describe('AfterAckRunner coalescing window', () => {
  it('drops the same piece again within the window unless something else ran for that person', async () => {
    let now = 0;
    const runner = new AfterAckRunner(8, 2_000, () => now);
    let runs = 0;
    const publish = async () => {
      runs += 1;
    };
    runner.submit({ person: 'U1', coalesce: 'home' }, publish);
    await runner.settle();
    now = 900;
    expect(runner.submit({ person: 'U1', coalesce: 'home' }, publish)).toBe(false);
    expect(runner.submit({ person: 'U2', coalesce: 'home' }, publish)).toBe(true);
    await runner.settle();
    expect(runs).toBe(2);
    // A command for U1 may have changed what the tab shows: the next open publishes.
    runner.submit({ person: 'U1' }, async () => undefined);
    await runner.settle();
    expect(runner.submit({ person: 'U1', coalesce: 'home' }, publish)).toBe(true);
    await runner.settle();
    now = 5_000;
    expect(runner.submit({ person: 'U1', coalesce: 'home' }, publish)).toBe(true);
    await runner.settle();
    expect(runs).toBe(4);
  });
});
