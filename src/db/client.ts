import { Pool, type PoolConfig } from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import type { Role } from '../config';
import type { Logger } from '../log';

export type Db = PrismaClient;
export type { Prisma } from '../generated/prisma/client';

/**
 * How one process shares out DATABASE_POOL_MAX (SPEC.md sections 2 and 8). Storing an event has
 * connections of its own, so a flood of reads or a burst of processing never makes Slack's
 * acknowledgement wait for a connection; a process that drains the event queue keeps one
 * connection LISTENing, so that a `web` replica's INSERT wakes it at once.
 */
export interface ConnectionBudget {
  /** connections only for storing incoming events */
  ingest: number;
  /** the connection held for LISTEN (0: no listener; the poll alone finds new events) */
  listen: number;
  /** everything else: ORM, job queue, the health probe */
  shared: number;
}

export function connectionBudget(role: Role, max: number): ConnectionBudget {
  if (max < 2) throw new Error(`DATABASE_POOL_MAX must be at least 2, got ${max}`);
  // A web process does nothing but store events; one connection is left for start-up, job sends and the probe.
  if (role === 'web') return { ingest: max - 1, listen: 0, shared: 1 };
  if (role === 'worker') return { ingest: 0, listen: max >= 3 ? 1 : 0, shared: max - (max >= 3 ? 1 : 0) };
  const listen = max >= 4 ? 1 : 0;
  return { ingest: 1, listen, shared: max - 1 - listen };
}

export interface Database {
  prisma: PrismaClient;
  /** Prisma and pg-boss share this pool. */
  pool: Pool;
  /** for storing incoming events only (the same pool as `pool` when the budget gives it none) */
  ingestPool: Pool;
  budget: ConnectionBudget;
  url: string;
  close(): Promise<void>;
}

export function poolOptions(url: string): PoolConfig {
  return {
    connectionString: url,
    // Fail fast while PostgreSQL is unreachable, so that an event is not acknowledged and Slack retries it:
    // Slack gives up on an acknowledgement after 3 s, and a 500 within that time is a clearer answer than a
    // timeout. The same bound applies to waiting for a free connection of the pool.
    connectionTimeoutMillis: 2_000,
    idleTimeoutMillis: 30_000,
    application_name: 'smokejumper',
  };
}

/** `budget`: the server's share-out (connectionBudget); a command-line tool gives its whole pool to the ORM. */
export function connectDatabase(url: string, poolMax: number, log?: Logger, budget: ConnectionBudget = { ingest: 0, listen: 0, shared: poolMax }): Database {
  const open = (max: number) => {
    const pool = new Pool({ ...poolOptions(url), max });
    // An idle client that loses its server emits 'error' on the pool; without a listener it would crash the process.
    pool.on('error', (err) => log?.warn({ err }, 'idle database connection failed'));
    return pool;
  };
  const pool = open(budget.shared);
  const ingestPool = budget.ingest > 0 ? open(budget.ingest) : pool;
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    pool,
    ingestPool,
    budget,
    url,
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => undefined);
      if (ingestPool !== pool) await ingestPool.end().catch(() => undefined);
    },
  };
}

/** true when a trivial query answers within the timeout; for the health probe. */
export async function isDatabaseReachable(pool: Pool, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
    });
    await Promise.race([pool.query('SELECT 1'), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
