import { seededRandom } from '../../../src/domain/random';

describe('seededRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const draw = (seed: number) => { const r = seededRandom(seed); return Array.from({ length: 5 }, () => r.next()); };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
  });

  it('stays in range', () => {
    const r = seededRandom(7);
    for (let i = 0; i < 1000; i++) {
      const x = r.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      const n = r.integer(3, 5);
      expect([3, 4, 5]).toContain(n);
    }
  });

  it('samples distinct items, and all of them when asked for more', () => {
    const r = seededRandom(3);
    const picked = r.sample(['a', 'b', 'c', 'd'], 3);
    expect(new Set(picked).size).toBe(3);
    expect(r.sample(['a', 'b'], 5).sort()).toEqual(['a', 'b']);
  });

  it('picks by weight', () => {
    const r = seededRandom(11);
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 4000; i++) counts[r.weighted([['a', 3], ['b', 1]] as const)]++;
    expect(counts.a / 4000).toBeGreaterThan(0.7);
    expect(counts.a / 4000).toBeLessThan(0.8);
  });
});
