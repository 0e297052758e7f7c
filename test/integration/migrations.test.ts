import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { listMigrations, migrate } from '../../src/db/migrator';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const root = path.resolve(__dirname, '../..');

/** Everything about a database's shape that a migration can change, as comparable text. */
async function catalog(url: string): Promise<string[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const columns = await c.query(`
      SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
      ORDER BY table_name, column_name`);
    const indexes = await c.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname`);
    const constraints = await c.query(`
      SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace ORDER BY conname`);
    const enums = await c.query(`
      SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY t.typname`);
    return [
      ...columns.rows.map((r) => `column ${JSON.stringify(r)}`),
      ...indexes.rows.map((r) => `index ${r.indexname}: ${r.indexdef}`),
      ...constraints.rows.filter((r) => !String(r.conname).startsWith('_prisma')).map((r) => `constraint ${r.conname}: ${r.def}`),
      ...enums.rows.map((r) => `enum ${r.typname}: ${r.labels}`),
    ];
  } finally {
    await c.end();
  }
}

describe('migrations', () => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => Promise.all(dbs.map((d) => d.drop())));

  it('produce exactly the schema of schema.prisma (no drift)', async () => {
    const migrated = await createTestDatabase();
    const fromSchema = await createTestDatabase({ migrate: false });
    dbs.push(migrated, fromSchema);
    // The SQL Prisma's engine would write for schema.prisma from nothing, applied to an empty database.
    const sql = execFileSync(process.execPath, [path.join(root, 'scripts/schema-sql.mjs')], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: fromSchema.url } });
    expect(sql).toContain('CREATE TABLE');
    const c = new Client({ connectionString: fromSchema.url });
    await c.connect();
    await c.query(sql);
    await c.end();
    expect(await catalog(migrated.url)).toEqual(await catalog(fromSchema.url));
  });

  it('keep the snapshot used to generate the next migration equal to schema.prisma', () => {
    const snapshot = readFileSync(path.join(root, 'prisma/migrations/snapshot.prisma'), 'utf8');
    const schema = readFileSync(path.join(root, 'prisma/schema.prisma'), 'utf8');
    expect(snapshot).toBe(schema);
  });

  it('record each migration in _prisma_migrations as prisma migrate deploy does, and apply nothing twice', async () => {
    const db = await createTestDatabase({ migrate: false });
    dbs.push(db);
    const first = await migrate(db.url);
    const second = await migrate(db.url);
    expect(first.applied).toEqual(listMigrations().map((m) => m.name));
    expect(second).toEqual({ applied: [], alreadyApplied: first.applied.length });
    const c = new Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query('SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name');
    await c.end();
    expect(rows).toEqual(listMigrations().map((m) => ({ migration_name: m.name, checksum: m.checksum, finished: true, applied_steps_count: 1 })));
  });

  it('let two processes migrate one database at the same time without conflict', async () => {
    const db = await createTestDatabase({ migrate: false });
    dbs.push(db);
    const results = await Promise.all([migrate(db.url), migrate(db.url)]);
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, listMigrations().length]);
  });
});
