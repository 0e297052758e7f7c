import { execFile } from 'node:child_process';
import { parseDigestArgs } from '../../src/cli/digest';
import { connectDatabase, type Database } from '../../src/db/client';
import { SlackEmulator } from '../../src/dev/slack-emulator';
import { projectRoot } from '../../src/paths';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { person } from '../helpers/harness';

/** `npm run digest` as a child process, against a test database and an emulator started here. */
interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const at = (iso: string) => new Date(iso);

describe('parseDigestArgs', () => {
  it('reads the week, --dry-run and --user, in either form', () => {
    expect(parseDigestArgs(['--week', '2026-11-16'])).toEqual({ help: false, week: '2026-11-16', dryRun: false });
    expect(parseDigestArgs(['--dry-run', '--week=2026-11-16', '--user=U0ABC123'])).toEqual({ help: false, week: '2026-11-16', dryRun: true, user: 'U0ABC123' });
    expect(parseDigestArgs(['--help'])).toEqual({ help: true, week: '', dryRun: false });
  });

  it('refuses anything else with a message that says what is wrong', () => {
    expect(() => parseDigestArgs([])).toThrow('--week YYYY-MM-DD is required');
    expect(() => parseDigestArgs(['--week'])).toThrow('--week needs a value');
    expect(() => parseDigestArgs(['--week', '--dry-run'])).toThrow('--week needs a value');
    expect(() => parseDigestArgs(['--week', '2026-11-16', '--week', '2026-11-23'])).toThrow('--week is given twice');
    expect(() => parseDigestArgs(['--week', '2026-11-16', '--users', 'U0ABC'])).toThrow('unknown argument "--users"');
    expect(() => parseDigestArgs(['--week', '2026-11-16', '--user', 'jo@example.com'])).toThrow('--user: "jo@example.com" is not a Slack user ID (like U012AB3CD)');
    expect(() => parseDigestArgs(['--week', 'last-monday'])).toThrow('--week: "last-monday" is not a date like 2026-11-16 (YYYY-MM-DD)');
  });
});

describe('npm run digest', () => {
  let database: TestDatabase;
  let conn: Database;
  let emulator: SlackEmulator;

  function run(...args: string[]): Promise<Run> {
    return runWith({}, ...args);
  }
  function runWith(extraEnv: Record<string, string>, ...args: string[]): Promise<Run> {
    const env = { ...process.env, DATABASE_URL: database.url, SLACK_BOT_TOKEN: emulator.botToken, SLACK_API_URL: emulator.apiUrl, LOG_LEVEL: 'warn', ...extraEnv };
    return new Promise((resolve) => {
      execFile('npx', ['tsx', 'src/cli/digest.ts', ...args], { cwd: projectRoot(), env, timeout: 60_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  const digestCalls = () => emulator.callsTo('chat.postMessage').length + emulator.callsTo('conversations.open').length;

  beforeAll(async () => {
    database = await createTestDatabase();
    conn = connectDatabase(database.url, 2);
    emulator = new SlackEmulator();
    await emulator.start();
    const db = conn.prisma;
    for (const [id, name, tz, digestOff] of [
      ['U0CJO', 'Jo', 'Europe/Berlin', false],
      ['U0CKIM', 'Kim', 'America/Los_Angeles', false],
      ['U0COTTO', 'Otto', 'Europe/Berlin', true],
    ] as const) {
      emulator.addUser(person(id, name, tz));
      // Known since 20 Oct: Kim, with no fire, gets her one invitation with the week of 16 Nov (SPEC.md section 7).
      await db.engineer.create({ data: { slackId: id, name, timeZone: tz, digestOff, createdAt: new Date('2026-10-20T00:00:00Z') } });
    }
    const jo = await db.engineer.findUniqueOrThrow({ where: { slackId: 'U0CJO' } });
    const incident = await db.incident.create({ data: { channelId: 'C0CDBDOWN', name: 'inc-db-down', isPrivate: true, openedAt: at('2026-11-18T10:00:00Z'), resolvedAt: at('2026-11-18T11:00:00Z') } });
    await db.participation.create({ data: { engineerId: jo.id, incidentId: incident.id, role: 'learner', source: 'auto_invite', joinedAt: at('2026-11-18T10:05:00Z') } });
    await db.learning.create({ data: { engineerId: jo.id, incidentId: incident.id, whatHappened: 'x', checkFirst: 'y', learned: 'Read the channel from the top.', createdAt: at('2026-11-18T12:00:00Z') } });
  }, 60_000);

  afterAll(async () => {
    await conn?.close();
    await emulator?.stop();
    await database?.drop();
  });

  it('refuses a week that does not start on a Monday, or has not started, with exit code 2 (malformed ones: parseDigestArgs above)', async () => {
    const wednesday = await run('--week', '2026-11-18');
    expect(wednesday.code).toBe(2);
    expect(wednesday.stderr).toContain('digest: --week: 2026-11-18 is a Wednesday; an ISO week starts on a Monday (that week starts on 2026-11-16)');
    const future = await run('--week', '2099-01-05');
    expect(future).toEqual({ code: 2, stdout: '', stderr: 'digest: the week of 2099-01-05 has not started yet; pick this week or an earlier one\n' });
    expect(digestCalls()).toBe(0);
    expect(await conn.prisma.digest.count()).toBe(0);
  }, 120_000);

  it('prints the digests with --dry-run, and sends and records nothing', async () => {
    const all = await run('--week', '2026-11-16', '--dry-run');
    expect(all.code).toBe(0);
    expect(all.stdout).toBe(
      [
        '=== Jo (U0CJO) · week of 2026-11-16 · Europe/Berlin ===',
        'Your week in fires, 16–22 Nov 2026',
        'You joined 1 incident and spent 55m in it. Thank you for jumping in.',
        '  • #inc-db-down · learner · joined Wed 18 Nov, 11:05 · 55m',
        'What you wrote down',
        '  • #inc-db-down: “Read the channel from the top.”',
        // The growth section (SPEC.md section 12): the stage and what the next one needs.
        'Your stage: observer, you watch how the fire is fought: who leads, what they look at, what they try.',
        'Next: scribe, after 2 fires at this stage with a reflection each and your mentor confirming (1 fire at this stage so far, 1 with a reflection).',
        'Your last 8 weeks (oldest first): ▁▁▁▁▁▁▁█  1 fire',
        'Next step: Next time, ask one question in the channel (a thread is fine), such as "what are we checking first, and why?"',
        'You get this once a week. Stop this digest stops it; the Home tab has every switch.',
        '',
        '=== Kim (U0CKIM) · week of 2026-11-16 · America/Los_Angeles ===',
        'No fires for you in the week of 16–22 Nov 2026. Incidents are where a lot of the learning happens, and watching is all anyone expects. Volunteer for 8h puts you first in line for the next one.',
        'You get this once a week. Stop this digest stops it; the Home tab has every switch.',
        '',
        'dry run: 2 digest(s) for the week of 2026-11-16; nothing sent',
        '',
      ].join('\n'),
    );
    expect(all.stderr).toContain('digest: 1 person has turned the weekly digest off: no digest for them.');

    const one = await run('--week', '2026-11-16', '--dry-run', '--user', 'U0CKIM');
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('=== Kim (U0CKIM)');
    expect(one.stdout).not.toContain('inc-db-down');
    expect(one.stdout).toContain('dry run: 1 digest(s)');

    expect(digestCalls()).toBe(0);
    expect(await conn.prisma.digest.count()).toBe(0);
  }, 120_000);

  it('with ELIGIBLE_USERGROUPS, leaves out people in none of the groups, and stops at a group that does not exist', async () => {
    const group = emulator.addUserGroup({ handle: 'engineering', users: ['U0CJO'] });
    // The members as the app's roster sync stored them.
    await conn.prisma.usergroupMember.create({ data: { usergroupId: group.id, userId: 'U0CJO' } });
    try {
      const dry = await runWith({ ELIGIBLE_USERGROUPS: 'engineering' }, '--week', '2026-11-16', '--dry-run');
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain('=== Jo (U0CJO)');
      expect(dry.stdout).not.toContain('U0CKIM');
      // Kim and Otto (whose digest is off anyway) are in no group.
      expect(dry.stderr).toContain('digest: 2 people are in none of the ELIGIBLE_USERGROUPS: no digest for them.');
      const bad = await runWith({ ELIGIBLE_USERGROUPS: 'engineering,@nope' }, '--week', '2026-11-16', '--dry-run');
      expect(bad).toMatchObject({ code: 2, stderr: 'digest: ELIGIBLE_USERGROUPS: "@nope" is not a user group handle in this workspace\n' });
    } finally {
      await conn.prisma.usergroupMember.deleteMany({});
    }
    expect(digestCalls()).toBe(0);
  }, 120_000);

  it('sends each digest once, however often it is run', async () => {
    const first = await run('--week', '2026-11-16');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('week of 2026-11-16: sent 2, already sent 0, to retry 0, failed 0\n');
    expect(emulator.messagesTo('U0CJO')).toHaveLength(1);
    expect(emulator.messagesTo('U0CJO')[0]!.text).toContain('You joined *1 incident*');
    expect(emulator.messagesTo('U0CKIM')).toHaveLength(1);
    expect(emulator.messagesTo('U0COTTO')).toHaveLength(0);

    const second = await run('--week', '2026-11-16');
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('week of 2026-11-16: sent 0, already sent 2, to retry 0, failed 0\n');
    expect(emulator.messagesTo('U0CJO')).toHaveLength(1);
    expect(emulator.messagesTo('U0CKIM')).toHaveLength(1);
    expect(await conn.prisma.digest.count({ where: { status: 'sent' } })).toBe(2);
  }, 120_000);

  it('names an unknown person clearly', async () => {
    const unknown = await run('--week', '2026-11-16', '--user', 'U0NOBODY');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('digest: U0NOBODY is not a known engineer');
    const off = await run('--week', '2026-11-16', '--user', 'U0COTTO');
    expect(off.code).toBe(0);
    expect(off.stderr).toContain('digest: U0COTTO turned the weekly digest off: no digest.');
    expect(off.stdout).toBe('week of 2026-11-16: sent 0, already sent 0, to retry 0, failed 0\n');
  }, 120_000);
});
