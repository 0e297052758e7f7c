import { execFile, spawn } from 'node:child_process';
import { parseBackfillArgs } from '../../src/cli/backfill';
import { connectDatabase, type Database } from '../../src/db/client';
import { migrate } from '../../src/db/migrator';
import { emulateYear, type EmulatedYear } from '../../src/dev/backfill-world';
import { SlackEmulator, SLACKBOT_USER_ID } from '../../src/dev/slack-emulator';
import { projectRoot } from '../../src/paths';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startHarness, waitUntil, WEDNESDAY_MORNING_BERLIN } from '../helpers/harness';

/**
 * `npm run backfill` (SPEC.md section 3) as a child process, against the Slack emulator holding a
 * year of incident channels and a real PostgreSQL; then the app itself on the backfilled database.
 */

const DAY = 86_400_000;
/** the newest past channel: a little before the harness's Wednesday, and before today */
const END = new Date(Math.min(Date.now(), WEDNESDAY_MORNING_BERLIN.getTime()) - 2 * DAY);
const LIVE_CHANNEL = 'inc-0150'; // recorded live by the app before any backfill: never touched

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

type Row = [string, string, number, number | null, boolean, string | null];
type ParticipationRow = [string, string, string];

describe('parseBackfillArgs', () => {
  it('reads --since and --dry-run, and refuses anything else with one line', () => {
    expect(parseBackfillArgs([])).toEqual({ help: false, sinceMs: 365 * DAY, dryRun: false });
    expect(parseBackfillArgs(['--since', '52w', '--dry-run'])).toEqual({ help: false, sinceMs: 364 * DAY, dryRun: true });
    expect(parseBackfillArgs(['--since=3m'])).toEqual({ help: false, sinceMs: 90 * DAY, dryRun: false });
    expect(() => parseBackfillArgs(['--since'])).toThrow('--since needs a value');
    expect(() => parseBackfillArgs(['--since', 'last-year'])).toThrow('--since: "last-year" is not a period like 365d, 52w or 12m');
    expect(() => parseBackfillArgs(['--since', '0d'])).toThrow('is not a period');
    expect(() => parseBackfillArgs(['--dry-run=yes'])).toThrow('--dry-run takes no value');
    expect(() => parseBackfillArgs(['--since', '30d', '--since', '60d'])).toThrow('--since is given twice');
    expect(() => parseBackfillArgs(['--channels', 'all'])).toThrow('unknown argument "--channels"');
    expect(() => parseBackfillArgs(['now'])).toThrow('unknown argument "now"');
  });
});

describe('npm run backfill over an emulated year', () => {
  let emulator: SlackEmulator;
  let year: EmulatedYear;
  let since: string;
  let first: TestDatabase;
  let second: TestDatabase;
  let conn: Database;
  let conn2: Database;
  let liveChannelId: string;

  const env = (database: TestDatabase, timeScale: number) => ({
    ...process.env,
    DATABASE_URL: database.url,
    SLACK_BOT_TOKEN: emulator.botToken,
    SLACK_API_URL: emulator.apiUrl,
    LOG_LEVEL: 'warn',
    BACKFILL_TIME_SCALE: String(timeScale),
  });

  function run(database: TestDatabase, ...args: string[]): Promise<Run> {
    return new Promise((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'src/cli/backfill.ts', ...args], { cwd: projectRoot(), env: env(database, 1000), timeout: 120_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  /** What the backfill must record, read from the emulator's own state (SPEC.md section 3). */
  function expected(): { incidents: Row[]; participations: ParticipationRow[] } {
    const bot = emulator.botUserId;
    const incidents: Row[] = [];
    const participations: ParticipationRow[] = [];
    const sinceMs = Date.now() - Number(since.slice(0, -1)) * DAY;
    for (const c of [...emulator.channels.values()]) {
      const visible = !c.is_private || c.members.has(bot);
      if (!visible || !/^(inc|incident)[-_]/i.test(c.name) || c.external_teams || c.created * 1000 < sinceMs || c.id === liveChannelId) continue;
      const readable = c.members.has(bot);
      const messages = emulator.messagesTo(c.id);
      const posters = new Set(messages.filter((m) => m.subtype === undefined && m.user && m.user !== bot).map((m) => m.user!));
      const last = Math.max(...messages.map((m) => Math.round(Number(m.ts) * 1000)));
      const resolvedAt = c.is_archived ? c.archived_at! * 1000 : readable && messages.length > 0 ? last : null;
      incidents.push([c.id, c.name, c.created * 1000, resolvedAt, c.is_private, c.creator]);
      const people = new Set([...c.members, ...(readable ? posters : [])]);
      for (const id of people) {
        const u = emulator.user(id)!;
        if (id === bot || id === SLACKBOT_USER_ID || u.is_bot) continue;
        participations.push([c.id, id, !readable || posters.has(id) ? 'responder' : 'learner']);
      }
    }
    return { incidents: incidents.sort(), participations: participations.sort() };
  }

  async function recorded(db: Database): Promise<{ incidents: Row[]; participations: ParticipationRow[] }> {
    const incidents = await db.prisma.incident.findMany({ where: { source: 'backfill' } });
    const participations = await db.prisma.participation.findMany({ where: { incident: { source: 'backfill' } }, include: { incident: true, engineer: true } });
    for (const p of participations) expect(p.source).toBe('backfill');
    return {
      incidents: incidents.map((i): Row => [i.channelId, i.name, i.openedAt.getTime(), i.resolvedAt?.getTime() ?? null, i.isPrivate, i.createdBy]).sort(),
      participations: participations.map((p): ParticipationRow => [p.incident.channelId, p.engineer.slackId, p.role]).sort(),
    };
  }

  /** Everything in the tables a backfill writes, for "nothing changed". */
  async function snapshot(db: Database) {
    return {
      incidents: await db.prisma.incident.findMany({ orderBy: { id: 'asc' } }),
      participations: await db.prisma.participation.findMany({ orderBy: { id: 'asc' } }),
      engineers: await db.prisma.engineer.findMany({ orderBy: { id: 'asc' } }),
    };
  }

  /** The channel the app recorded live, with one participation, as the app would have. */
  async function recordLive(db: Database): Promise<void> {
    const channel = emulator.channel(liveChannelId)!;
    const incident = await db.prisma.incident.create({ data: { channelId: channel.id, name: channel.name, openedAt: new Date(channel.created * 1000), createdBy: channel.creator, selectedAt: new Date(channel.created * 1000) } });
    const engineer = await db.prisma.engineer.create({ data: { slackId: year.newcomers[0]!, name: 'Newcomer0' } });
    await db.prisma.participation.create({ data: { engineerId: engineer.id, incidentId: incident.id, role: 'learner', source: 'auto_invite', invitedAt: new Date(channel.created * 1000) } });
  }

  beforeAll(async () => {
    emulator = new SlackEmulator();
    await emulator.start();
    year = emulateYear(emulator, { channels: 300, archived: 40, private: 20, privateWithApp: 5, unreadable: 30, end: END });
    since = `${Math.ceil((Date.now() - year.earliest) / DAY) + 1}d`;
    liveChannelId = [...emulator.channels.values()].find((c) => c.name.startsWith(LIVE_CHANNEL))!.id;
    first = await createTestDatabase();
    second = await createTestDatabase();
    await migrate(first.url);
    await migrate(second.url);
    conn = connectDatabase(first.url, 2);
    conn2 = connectDatabase(second.url, 2);
    await recordLive(conn);
    await recordLive(conn2);
  }, 120_000);

  afterAll(async () => {
    await conn?.close();
    await conn2?.close();
    await emulator?.stop();
    await first?.drop();
    await second?.drop();
  });

  it('refuses a bad flag with one line and exit code 2, before touching anything', async () => {
    const bad = await run(first, '--since', 'forever');
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe('backfill: --since: "forever" is not a period like 365d, 52w or 12m (at most 3650 days)');
    expect(emulator.calls).toHaveLength(0);
  }, 60_000);

  it('--dry-run prints the summary and writes nothing', async () => {
    const before = await snapshot(conn);
    const result = await run(first, '--since', since, '--dry-run');
    expect(result.code).toBe(0);
    const want = expected();
    expect(result.stdout).toContain('Dry run (nothing written).');
    expect(result.stdout).toContain(`Incidents would record: ${want.incidents.length}; participations would record: ${want.participations.length}.`);
    expect(await snapshot(conn)).toEqual(before);
  }, 120_000);

  it('records exactly what the emulator holds, skipping what is not an incident, too old, shared or recorded live', async () => {
    const live = await snapshot(conn);
    emulator.clearCalls();
    // One channel whose members Slack will not give this time: skipped and named, the run goes on.
    const troubled = [...emulator.channels.values()].find((c) => c.name.startsWith('inc-0100'))!;
    emulator.addFault({ method: 'conversations.members', error: 'fatal_error', when: (args) => args.channel === troubled.id, times: 1 });
    const partial = await run(first, '--since', since);
    expect(partial.code).toBe(0);
    expect(partial.stdout).toContain(`Skipped (run again to try them): 1\n  #${troubled.name} (${troubled.id}): conversations.members: fatal_error`);
    const all = expected();
    expect(await recorded(conn)).toEqual({ incidents: all.incidents.filter((i) => i[0] !== troubled.id), participations: all.participations.filter((p) => p[0] !== troubled.id) });
    // not a terminal: one progress line per 10% on standard error
    expect(partial.stderr.match(/^backfill: \d+% \(\d+\/285 channels\)$/gm)).toHaveLength(10);

    const lists = emulator.callsTo('conversations.list');
    const histories = emulator.callsTo('conversations.history');
    const result = await run(first, '--since', since);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Incidents recorded: 1;');
    const want = expected();
    // 300 in the period, less the 15 private ones the app is not in (Slack does not list them), less the live one
    expect(want.incidents).toHaveLength(300 - 15 - 1);
    expect(await recorded(conn)).toEqual(want);
    // the live incident and its participation are as they were
    const after = await snapshot(conn);
    expect(after.incidents.find((i) => i.channelId === liveChannelId)).toEqual(live.incidents[0]);
    expect(after.participations.filter((p) => p.incidentId === live.incidents[0]!.id)).toEqual(live.participations);

    const seen = 300 - 15 + 4; // and general, random-chatter, the shared one and the ancient one
    expect(partial.stdout).toContain(`Channels seen: ${seen}; incident channels in the period: ${300 - 15}.`);
    expect(partial.stdout).toContain(`Incidents recorded: ${want.incidents.length - 1}; participations recorded: ${want.participations.filter((p) => p[0] !== troubled.id).length}.`);
    expect(result.stdout).toContain(`${want.incidents.length - 1} channels recorded by an earlier backfill; 1 channel the app recorded live (left as they are)`);
    expect(partial.stdout).toContain('Recorded without their history, every member as a responder: 30');
    // the heavy responders, still juniors, each with the admin command to set their level
    const listed = new Map([...result.stdout.matchAll(/\/volunteer admin level @(\w+) senior +# (\w+) \((U0\w+)\): (\d+) past fires, level (?:junior|unknown)/g)].map((m) => [m[3]!, Number(m[4])]));
    const fires = new Map<string, number>();
    for (const [, id] of want.participations) fires.set(id, (fires.get(id) ?? 0) + 1);
    expect(listed).toEqual(new Map([...fires].filter(([id, n]) => n >= 5 && id !== 'U0LEFTBF')));
    for (const id of year.responders) expect(listed.has(id)).toBe(true);
    for (const id of year.newcomers) expect(listed.has(id)).toBe(false);
    // paged: conversations.list asked for archived channels too, every page once
    expect(lists.every((c) => String(c.args.exclude_archived) === 'false')).toBe(true);
    expect(new Set(lists.map((c) => String(c.args.cursor ?? ''))).size).toBe(lists.length);
    // the history of channels the app is not in is never asked for
    const notIn = new Set([...emulator.channels.values()].filter((c) => !c.members.has(emulator.botUserId)).map((c) => c.id));
    expect(histories.filter((c) => notIn.has(String(c.args.channel)))).toHaveLength(0);
  }, 120_000);

  it('a second run writes nothing', async () => {
    const before = await snapshot(conn);
    const again = await run(first, '--since', since);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Incidents recorded: 0; participations recorded: 0.');
    expect(again.stdout).toContain(`${300 - 15 - 1} channels recorded by an earlier backfill`);
    expect(await snapshot(conn)).toEqual(before);
  }, 120_000);

  it('a run killed halfway and started again ends with the same rows', async () => {
    // Slower pacing (Slack's tiers 30 times faster) so that it can be stopped in the middle.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/backfill.ts', '--since', since], { cwd: projectRoot(), env: env(second, 30), stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await waitUntil(async () => (await conn2.prisma.incident.count({ where: { source: 'backfill' } })) >= 100, 'a third of the channels', 90_000);
    child.kill('SIGKILL');
    await exited;
    const halfway = await conn2.prisma.incident.count({ where: { source: 'backfill' } });
    expect(halfway).toBeLessThan(300 - 15 - 1);

    const rest = await run(second, '--since', since);
    expect(rest.code).toBe(0);
    expect(rest.stdout).toContain(`${halfway} channels recorded by an earlier backfill`);
    expect(await recorded(conn2)).toEqual(expected());
    expect(await recorded(conn2)).toEqual(await recorded(conn));
  }, 180_000);

  it('then a new incident invites never-exposed juniors, not the heavy responders', async () => {
    await conn.close();
    const h = await startHarness({ emulator, database: first });
    try {
      await waitUntil(async () => (await h.app.deps.db.engineer.count({ where: { active: true } })) >= year.responders.length + year.watchers.length + year.newcomers.length, 'the roster sync at start', 60_000);
      const channel = h.emulator.addChannel({ name: 'inc-today-payments', creator: year.responders[0]! });
      emulator.clearCalls();
      await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name: channel.name, created: Math.floor(h.clock().getTime() / 1000), creator: year.responders[0]! } });
      await h.emulator.waitFor((calls) => calls.filter((c) => c.method === 'conversations.invite').length >= 2, 20_000);
      const invited = h.emulator.callsTo('conversations.invite').map((c) => String(c.args.users));
      expect(invited).toHaveLength(2);
      // Newcomer0 had one fire, recorded live; the others never had any
      for (const id of invited) expect(year.newcomers.slice(1)).toContain(id);
    } finally {
      await h.stop();
      conn = connectDatabase(first.url, 2);
    }
  }, 120_000);
});
