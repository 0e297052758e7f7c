/**
 * A seeded pseudo-random source (mulberry32), so that a simulation is the same for the same seed
 * on every machine. Math.random cannot be seeded.
 */
export interface Random {
  /** uniform in [0, 1) */
  next(): number;
  /** whole number in [min, max], both included */
  integer(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** picks by weight: `weighted([['a', 3], ['b', 1]])` gives 'a' three times as often as 'b' */
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T;
  /** a new array with `count` distinct items (all of them when there are fewer) */
  sample<T>(items: readonly T[], count: number): T[];
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const integer = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    integer,
    chance: (probability) => next() < probability,
    pick(items) {
      if (items.length === 0) throw new Error('cannot pick from an empty list');
      return items[integer(0, items.length - 1)]!;
    },
    weighted(choices) {
      const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
      let roll = next() * total;
      for (const [item, weight] of choices) {
        roll -= weight;
        if (roll < 0) return item;
      }
      return choices[choices.length - 1]![0];
    },
    sample(items, count) {
      const copy = [...items];
      // A partial Fisher-Yates shuffle: only the first `count` places are drawn.
      const n = Math.min(count, copy.length);
      for (let i = 0; i < n; i++) {
        const j = integer(i, copy.length - 1);
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy.slice(0, n);
    },
  };
}
