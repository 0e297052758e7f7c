import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrate } from '../src/db/migrator';

/** The server the benchmarks run on: a real PostgreSQL, never the embedded one (its figures would mean nothing). */
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

const open = new Set<BenchDatabase>();

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: BENCH_DATABASE_URL, application_name: 'smokejumper-bench' });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`npm run bench needs a PostgreSQL server at ${new URL(BENCH_DATABASE_URL).host} (BENCH_DATABASE_URL): ${(error as Error).message}`);
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A fresh database for one benchmark, migrated unless asked not to; dropped by `drop()` (or `dropAll()` on the way out). */
export async function createBenchDatabase(label: string, options: { migrate?: boolean } = {}): Promise<BenchDatabase> {
  const name = `sj_bench_${label}_${process.pid}_${randomBytes(3).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = withDatabase(BENCH_DATABASE_URL, name);
  const database: BenchDatabase = {
    name,
    url,
    async drop() {
      open.delete(database);
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
  open.add(database);
  if (options.migrate !== false) await migrate(url);
  return database;
}

export async function dropAll(): Promise<void> {
  for (const database of [...open]) await database.drop().catch(() => undefined);
}

/** What the server is, for the report. */
export async function serverInfo(): Promise<{ version: string; maxConnections: number; sharedBuffers: string }> {
  return admin(async (c) => {
    const version = (await c.query<{ v: string }>('SELECT current_setting($1) AS v', ['server_version'])).rows[0]!.v;
    const max = (await c.query<{ v: string }>('SELECT current_setting($1) AS v', ['max_connections'])).rows[0]!.v;
    const buffers = (await c.query<{ v: string }>('SELECT current_setting($1) AS v', ['shared_buffers'])).rows[0]!.v;
    return { version, maxConnections: Number(max), sharedBuffers: buffers };
  });
}
