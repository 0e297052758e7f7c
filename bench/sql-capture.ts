import pg from 'pg';

export interface CapturedQuery {
  text: string;
  values: unknown[];
}

/**
 * Records every statement sent to PostgreSQL by this process while `run` runs (Prisma's adapter,
 * pg-boss and raw pool queries all end in pg's Client#query), including BEGIN and COMMIT: each one
 * is a round trip. Not re-entrant; the benchmarks run one capture at a time.
 */
export async function captureQueries<T>(run: () => Promise<T>): Promise<{ result: T; queries: CapturedQuery[] }> {
  const queries: CapturedQuery[] = [];
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function patched(this: unknown, ...args: unknown[]) {
    const [first, second] = args;
    if (typeof first === 'string') queries.push({ text: first, values: Array.isArray(second) ? second : [] });
    else if (first && typeof first === 'object' && 'text' in first) {
      const config = first as { text: string; values?: unknown[] };
      queries.push({ text: config.text, values: config.values ?? (Array.isArray(second) ? second : []) });
    }
    return original.apply(this, args);
  };
  try {
    const result = await run();
    return { result, queries };
  } finally {
    proto.query = original;
  }
}
