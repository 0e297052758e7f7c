import { connectionBudget } from '../../../src/db/client';
import { ROLES } from '../../../src/config';

describe('connectionBudget: DATABASE_POOL_MAX shared out per process', () => {
  it('never adds up to more than DATABASE_POOL_MAX, and leaves every part it needs at least one', () => {
    for (const role of ROLES) {
      for (let max = 2; max <= 20; max++) {
        const b = connectionBudget(role, max);
        expect(b.ingest + b.listen + b.shared).toBe(max);
        expect(b.shared).toBeGreaterThanOrEqual(1);
        if (role !== 'worker') expect(b.ingest).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('gives a web all but one connection for storing events, and a worker none', () => {
    expect(connectionBudget('web', 5)).toEqual({ ingest: 4, listen: 0, shared: 1 });
    expect(connectionBudget('worker', 5)).toEqual({ ingest: 0, listen: 1, shared: 4 });
    expect(connectionBudget('all', 5)).toEqual({ ingest: 1, listen: 1, shared: 3 });
    // Too small to keep one connection LISTENing: the poll alone finds new events.
    expect(connectionBudget('all', 3)).toEqual({ ingest: 1, listen: 0, shared: 2 });
    expect(connectionBudget('worker', 2)).toEqual({ ingest: 0, listen: 0, shared: 2 });
  });
});
