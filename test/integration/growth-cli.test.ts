import { execFile } from 'node:child_process';
import { parseGrowthArgs } from '../../src/cli/growth';
import { connectDatabase, type Database } from '../../src/db/client';
import { projectRoot } from '../../src/paths';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const at = (iso: string) => new Date(iso);

describe('parseGrowthArgs', () => {
  it('reads --user and --format, in either form', () => {
    expect(parseGrowthArgs(['--user', 'U0ABC123'])).toEqual({ help: false, user: 'U0ABC123', format: 'md' });
    expect(parseGrowthArgs(['--format=csv', '--user=U0ABC123'])).toEqual({ help: false, user: 'U0ABC123', format: 'csv' });
    expect(parseGrowthArgs(['-h'])).toEqual({ help: true, user: '', format: 'md' });
  });

  it('refuses anything else with a message that says what is wrong', () => {
    expect(() => parseGrowthArgs([])).toThrow('--user UID is required');
    expect(() => parseGrowthArgs(['--user'])).toThrow('--user needs a value');
    expect(() => parseGrowthArgs(['--user', 'U0A1', '--user', 'U0A2'])).toThrow('--user is given twice');
    expect(() => parseGrowthArgs(['--user', 'jo@example.com'])).toThrow('--user: "jo@example.com" is not a Slack user ID (like U012AB3CD)');
    expect(() => parseGrowthArgs(['--user', 'U0A1', '--format', 'pdf'])).toThrow('--format: "pdf" is not one of md, csv');
    expect(() => parseGrowthArgs(['--user', 'U0A1', '--weeks', '4'])).toThrow('unknown argument "--weeks"');
  });
});

describe('npm run growth', () => {
  let database: TestDatabase;
  let conn: Database;

  function run(...args: string[]): Promise<Run> {
    const env = { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'warn' };
    return new Promise((resolve) => {
      execFile('node', ['scripts/cli.mjs', 'growth', ...args], { cwd: projectRoot(), env, timeout: 60_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    conn = connectDatabase(database.url, 2);
    const db = conn.prisma;
    const lou = await db.engineer.create({ data: { slackId: 'U0GLOU', name: 'Lou', level: 'junior', stage: 'scribe' } });
    const incidents = [];
    for (const [channelId, name, isPrivate, openedAt] of [
      ['C0G1', 'inc-cache-one', false, '2026-11-02T10:00:00Z'],
      ['C0G2', 'inc-secret-two', true, '2026-11-09T10:00:00Z'],
      ['C0G3', 'inc-cache-three', false, '2026-11-16T10:00:00Z'],
    ] as const) {
      incidents.push(await db.incident.create({ data: { channelId, name, isPrivate, openedAt: at(openedAt), resolvedAt: at(openedAt), mentorSlackId: 'U0GMOR', selectedAt: at(openedAt) } }));
    }
    const [one, two, three] = incidents as [typeof incidents[0], typeof incidents[0], typeof incidents[0]];
    await db.participation.create({ data: { engineerId: lou.id, incidentId: one.id, role: 'learner', source: 'auto_invite', stage: 'observer', joinedAt: at('2026-11-02T10:01:00Z') } });
    await db.participation.create({ data: { engineerId: lou.id, incidentId: two.id, role: 'volunteer', source: 'volunteer', stage: 'observer', joinedAt: at('2026-11-09T10:01:00Z') } });
    await db.participation.create({ data: { engineerId: lou.id, incidentId: three.id, role: 'learner', source: 'auto_invite', stage: 'scribe', joinedAt: at('2026-11-16T10:01:00Z') } });
    await db.learning.create({ data: { incidentId: one.id, engineerId: lou.id, whatHappened: 'The cache fell over', checkFirst: 'Hit rate', learned: 'Restarting empties it', createdAt: at('2026-11-02T12:00:00Z'), mentorReply: '=1+1: look at evictions too', mentorReplyBy: 'U0GMOR', mentorRepliedAt: at('2026-11-03T09:00:00Z') } });
    await db.learning.create({ data: { incidentId: two.id, engineerId: lou.id, whatHappened: 'A key leaked', checkFirst: 'Audit log', learned: 'Rotate first', sharedWithMentor: false, createdAt: at('2026-11-09T12:00:00Z') } });
    await db.stageDecision.create({ data: { incidentId: two.id, engineerId: lou.id, mentorSlackId: 'U0GMOR', decision: 'ready', decidedAt: at('2026-11-10T09:00:00Z') } });
    await db.stageChange.create({ data: { engineerId: lou.id, fromStage: 'observer', toStage: 'scribe', by: 'mentor', bySlackId: 'U0GMOR', incidentId: two.id, at: at('2026-11-10T09:00:00Z') } });
  });
  afterAll(async () => {
    await conn?.close();
    await database?.drop();
  });

  it('prints the whole record as Markdown: fires by role and stage, reflections, replies, answers, stage changes; a private incident unnamed', async () => {
    const { code, stdout, stderr } = await run('--user', 'U0GLOU');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('# Growth record: Lou (U0GLOU)');
    expect(stdout).toContain('Stage now: **scribe**. Next stage: investigator, after 2 fires at this stage with a reflection each and your mentor confirming (1 fire at this stage so far, 0 with a reflection).');
    expect(stdout).toContain('| learner | 1 | 1 | 0 | 0 |');
    expect(stdout).toContain('| volunteer | 1 | 0 | 0 | 0 |');
    expect(stdout).toContain('- 2026-11-02 #inc-cache-one: learner, observer');
    expect(stdout).toContain('- 2026-11-09 (private incident): volunteer, observer');
    expect(stdout).not.toContain('inc-secret-two');
    expect(stdout).toContain("  - Mentor's reply (U0GMOR, 2026-11-03): =1+1: look at evictions too");
    expect(stdout).toContain('- 2026-11-09 (private incident) (kept private)');
    expect(stdout).toContain('- 2026-11-10 (private incident): Ready for the next step (U0GMOR)');
    expect(stdout).toContain('- 2026-11-10 observer → scribe, by mentor (U0GMOR)');
  }, 60_000);

  it('prints one CSV row per event, oldest first, formula-safe', async () => {
    const { code, stdout } = await run('--user=U0GLOU', '--format', 'csv');
    expect(code).toBe(0);
    const lines = stdout.split('\r\n');
    expect(lines[0]).toBe('at,kind,incident,role,stage,text,by');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual([
      '2026-11-02T10:01:00.000Z,fire',
      '2026-11-02T12:00:00.000Z,reflection',
      '2026-11-03T09:00:00.000Z,mentor_reply',
      '2026-11-09T10:01:00.000Z,fire',
      '2026-11-09T12:00:00.000Z,reflection',
      '2026-11-10T09:00:00.000Z,mentor_answer',
      '2026-11-10T09:00:00.000Z,stage_change',
      '2026-11-16T10:01:00.000Z,fire',
      '',
    ]);
    expect(stdout).toContain('2026-11-16T10:01:00.000Z,fire,#inc-cache-three,learner,scribe,,');
    // A cell a spreadsheet would run as a formula is escaped.
    expect(stdout).toContain(",mentor_reply,#inc-cache-one,,,'=1+1: look at evictions too,U0GMOR");
  }, 60_000);

  it('refuses bad flags and an unknown person with one line and exit 2', async () => {
    const bad = await run('--user', 'U0GLOU', '--format', 'pdf');
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe('growth: --format: "pdf" is not one of md, csv');
    expect(bad.stdout).toBe('');
    const unknown = await run('--user', 'U0NOBODY');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('growth: nobody with the Slack ID U0NOBODY is known to Smokejumper\n');
  }, 60_000);
});
