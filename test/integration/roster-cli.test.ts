import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { connectDatabase, type Database } from '../../src/db/client';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');

async function roster(args: string[], databaseUrl: string) {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'src/cli/roster.ts', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run roster -- import FILE.csv', () => {
  let testDb: TestDatabase;
  let db: Database;
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-'));
  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = connectDatabase(testDb.url, 2);
    await db.prisma.engineer.createMany({
      data: [
        { slackId: 'U0ANA0001', name: 'Ana', email: 'ana@example.com' },
        { slackId: 'U0BEN0002', name: 'Ben', email: 'ben@example.com' },
        { slackId: 'U0CAT0003', name: 'Cat', email: 'cat@example.com' },
      ],
    });
  });
  afterAll(async () => {
    await db.close();
    await testDb.drop();
  });

  it('imports the good rows, reports each bad row with its line number, and exits 1', async () => {
    const file = path.join(dir, 'roster.csv');
    writeFileSync(file, ['user,level,started_on,mentor', 'U0ANA0001,senior,2019-04-01,yes', 'BEN@example.com,mid,2023-01-09,no', 'U0CAT0003,wizard,2024-01-01,no', 'U0NOBODY9,junior,,no'].join('\n'));
    const result = await roster(['import', file], testDb.url);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').filter(Boolean)).toEqual([
      `${file}:4: level "wizard" is not one of junior, mid, senior, staff`,
      `${file}:5: U0NOBODY9 is not in the workspace roster (people are synced from Slack at start and hourly)`,
      'imported 2 row(s), 2 problem(s)',
    ]);
    const people = await db.prisma.engineer.findMany({ orderBy: { slackId: 'asc' }, select: { slackId: true, level: true, levelSource: true, isMentor: true, startedOn: true } });
    // Cat's row was refused: nobody has classified her yet.
    expect(people).toEqual([
      { slackId: 'U0ANA0001', level: 'senior', levelSource: 'roster', isMentor: true, startedOn: new Date('2019-04-01T00:00:00Z') },
      { slackId: 'U0BEN0002', level: 'mid', levelSource: 'roster', isMentor: false, startedOn: new Date('2023-01-09T00:00:00Z') },
      { slackId: 'U0CAT0003', level: 'unknown', levelSource: null, isMentor: false, startedOn: null },
    ]);
  });

  it('explains its usage and a missing file, and changes nothing', async () => {
    const usage = await roster(['load'], testDb.url);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run roster -- import FILE.csv');
    const missing = await roster(['import', path.join(dir, 'nope.csv')], testDb.url);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
    expect(missing.stderr).toContain('ENOENT');
  });
});
