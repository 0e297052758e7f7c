import { Pacer } from '../../../src/slack/pacer';

describe('Pacer', () => {
  it("spaces each method to its tier, and a time scale shortens the gaps", () => {
    const real = new Pacer();
    expect(real.gapOf('conversations.list')).toBe(3_000); // Tier 2: 20 a minute
    expect(real.gapOf('conversations.history')).toBe(1_200); // Tier 3: 50 a minute
    expect(real.gapOf('conversations.members')).toBe(600); // Tier 4: 100 a minute
    expect(real.gapOf('chat.postMessage')).toBe(0); // not paced here
    expect(new Pacer(60).gapOf('conversations.history')).toBe(20);
    expect(() => new Pacer(0.5)).toThrow('timeScale must be at least 1');
  });

  it('callers side by side take successive slots of one method, and other methods are not held up', async () => {
    const pacer = new Pacer(10); // Tier 3: 120 ms apart
    const t0 = Date.now();
    const done: Array<[string, number]> = [];
    await Promise.all([
      ...[1, 2, 3].map(async (n) => {
        await pacer.wait('conversations.history');
        done.push([`history ${n}`, Date.now() - t0]);
      }),
      pacer.wait('conversations.members').then(() => done.push(['members', Date.now() - t0])),
    ]);
    const at = Object.fromEntries(done);
    // lower bounds only: a loaded machine can make anything later, never earlier
    expect(done.map(([what]) => what).indexOf('members')).toBeLessThan(done.map(([what]) => what).indexOf('history 2'));
    expect(at['history 2']).toBeGreaterThanOrEqual(115);
    expect(at['history 3']).toBeGreaterThanOrEqual(235);
  });
});
