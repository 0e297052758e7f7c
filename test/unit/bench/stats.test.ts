import { mapLimit, percentile, ratio, round, summarize } from '../../../bench/stats';

describe('bench statistics', () => {
  it('takes percentiles by nearest rank, whatever the input order', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 90)).toBe(9);
    expect(percentile(samples, 95)).toBe(10);
    expect(percentile(samples, 100)).toBe(10);
    expect(percentile([42], 99)).toBe(42);
  });

  it('puts the p99 of 2,000 samples at the 1,980th value', () => {
    const samples = Array.from({ length: 2000 }, (_, i) => 2000 - i);
    expect(percentile(samples, 99)).toBe(1980);
    expect(percentile(samples, 50)).toBe(1000);
  });

  it('summarizes without changing the input', () => {
    const samples = [3, 1, 2, 4];
    expect(summarize(samples)).toEqual({ n: 4, min: 1, mean: 2.5, p50: 2, p95: 4, p99: 4, max: 4 });
    expect(samples).toEqual([3, 1, 2, 4]);
  });

  it('refuses empty samples and percentiles out of range', () => {
    expect(() => percentile([], 50)).toThrow('percentile of no samples');
    expect(() => summarize([])).toThrow('summary of no samples');
    expect(() => percentile([1], 0)).toThrow('percentile 0 is not in (0, 100]');
    expect(() => percentile([1], 101)).toThrow('percentile 101 is not in (0, 100]');
  });

  it('gives ratios to 2 decimals, and null without a usable baseline', () => {
    expect(ratio(5, 4)).toBe(1.25);
    expect(ratio(1, 3)).toBe(0.33);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(Number.NaN, 1)).toBeNull();
  });

  it('rounds figures to a readable precision', () => {
    expect(round(1.23456)).toBe(1.23);
    expect(round(12.345)).toBe(12.3);
    expect(round(1234.5)).toBe(1235);
  });

  it('keeps at most `limit` tasks in flight and the results in input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapLimit([30, 10, 20, 5, 15], 2, async (ms, i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      return i;
    });
    expect(results).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });
});
