import { Pool } from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import type { Logger } from '../log';

export type Db = PrismaClient;
export type { Prisma } from '../generated/prisma/client';

export interface Database {
  prisma: PrismaClient;
  /** The one pool of this process: Prisma and pg-boss share it, so DATABASE_POOL_MAX is a hard cap. */
  pool: Pool;
  close(): Promise<void>;
}

export function connectDatabase(url: string, poolMax: number, log?: Logger): Database {
  const pool = new Pool({
    connectionString: url,
    max: poolMax,
    // Fail fast while PostgreSQL is unreachable, so that an event is not acknowledged and Slack retries it:
    // Slack gives up on an acknowledgement after 3 s, and a 500 within that time is a clearer answer than a
    // timeout. The same bound applies to waiting for a free connection of the pool.
    connectionTimeoutMillis: 2_000,
    idleTimeoutMillis: 30_000,
    application_name: 'smokejumper',
  });
  // An idle client that loses its server emits 'error' on the pool; without a listener it would crash the process.
  pool.on('error', (err) => log?.warn({ err }, 'idle database connection failed'));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}

/** true when a trivial query answers within the timeout; for /healthz. */
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
