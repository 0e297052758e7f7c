import { WebClient } from '@slack/web-api';
import { loadConfig } from '../../src/config';
import { connectDatabase, type Database } from '../../src/db/client';
import { imDirectory } from '../../src/db/im-channels';
import { SlackEmulator } from '../../src/dev/slack-emulator';
import { composeDigestsCounted, runDigestWeek, sendDueDigests, type DigestDeps, type DigestRequest } from '../../src/flows/digest-flow';
import { WEEKLY_DIGEST_JOB } from '../../src/jobs/weekly-digest';
import { createLogger } from '../../src/log';
import { SlackGateway } from '../../src/slack/gateway';
import { digestText } from '../../src/slack/views/digest-message';
import type { PrismaClient } from '../../src/generated/prisma/client';
import { createTestDatabase, requiresRealPostgres, type TestDatabase } from '../helpers/database';
import { person, startHarness, waitUntil, type Harness } from '../helpers/harness';

/**
 * The weekly digest (SPEC.md section 7) against a real PostgreSQL and the Slack emulator. The due
 * check is driven directly with explicit clocks; the last part runs it as the scheduled job of
 * whole apps.
 */
const at = (iso: string) => new Date(iso);
const log = createLogger('silent');

interface World {
  emulator: SlackEmulator;
  databases: Database[];
  deps(): DigestDeps;
  stop(): Promise<void>;
}

/** A process's worth of digest dependencies: its own pool and Slack client, on the shared database and emulator. */
async function world(url: string): Promise<World> {
  const emulator = new SlackEmulator();
  await emulator.start();
  const databases: Database[] = [];
  const config = loadConfig({ DATABASE_URL: url, SLACK_BOT_TOKEN: emulator.botToken, SLACK_SIGNING_SECRET: 'x', SLACK_API_URL: emulator.apiUrl }, 'test');
  return {
    emulator,
    databases,
    deps() {
      const database = connectDatabase(url, 3, log);
      databases.push(database);
      const client = new WebClient(emulator.botToken, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } });
      return { config, db: database.prisma, slack: new SlackGateway(client, log, undefined, client, imDirectory(database.prisma)), log, clock: () => new Date() };
    },
    async stop() {
      for (const d of databases) await d.close();
      await emulator.stop();
    },
  };
}

/**
 * Known since Tuesday 20 Oct by default: a junior without fires then gets their one invitation
 * with the digest of the week of 16 Nov, the first to end 4 weeks after it (SPEC.md section 7),
 * and nothing in the quiet weeks around it.
 */
const KNOWN_SINCE = at('2026-10-20T00:00:00Z');

async function addPerson(db: PrismaClient, emulator: SlackEmulator | null, slackId: string, name: string, timeZone: string, extra: { createdAt?: Date; digestOff?: boolean; active?: boolean } = {}) {
  emulator?.addUser(person(slackId, name, timeZone));
  return db.engineer.create({ data: { slackId, name, timeZone, createdAt: extra.createdAt ?? KNOWN_SINCE, digestOff: extra.digestOff ?? false, active: extra.active ?? true } });
}

async function addIncident(db: PrismaClient, channelId: string, name: string, openedAt: Date, extra: { isPrivate?: boolean; resolvedAt?: Date } = {}) {
  return db.incident.create({ data: { channelId, name, openedAt, isPrivate: extra.isPrivate ?? false, resolvedAt: extra.resolvedAt ?? null } });
}

async function joined(db: PrismaClient, engineerId: number, incidentId: number, joinedAt: Date, extra: { role?: 'learner' | 'mentor' | 'responder' | 'volunteer'; leftAt?: Date } = {}) {
  return db.participation.create({ data: { engineerId, incidentId, joinedAt, role: extra.role ?? 'learner', source: 'self_joined', leftAt: extra.leftAt ?? null } });
}

/** Digest DMs each person got, as the emulator recorded them. */
function dmsOf(emulator: SlackEmulator, slackIds: string[]): Record<string, number> {
  return Object.fromEntries(slackIds.map((id) => [id, emulator.messagesTo(id).length]));
}

describe('weekly digest: the due check', () => {
  let database: TestDatabase;
  let w: World;
  let deps: DigestDeps;
  let db: PrismaClient;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.drop());
  beforeEach(async () => {
    w = await world(database.url);
    deps = w.deps();
    db = deps.db;
    await db.$executeRawUnsafe('TRUNCATE engineers, incidents, digests, im_channels RESTART IDENTITY CASCADE');
  });
  afterEach(async () => w?.stop());

  it('sends each person’s digest once at 09:00 on their own Monday, not a minute before', async () => {
    // Known since 20 Oct: the week before was quiet for them (recorded as skipped), this one has their fires or their one invitation.
    const since = { createdAt: KNOWN_SINCE };
    const ana = await addPerson(db, w.emulator, 'U0AUCKLAND', 'Ana', 'Pacific/Auckland', since);
    await addPerson(db, w.emulator, 'U0KOLKATA', 'Kiran', 'Asia/Kolkata', since);
    const bea = await addPerson(db, w.emulator, 'U0BERLIN', 'Bea', 'Europe/Berlin', since);
    await addPerson(db, w.emulator, 'U0LOSANGELES', 'Lou', 'America/Los_Angeles', since);
    const dbDown = await addIncident(db, 'C0DBDOWN', 'inc-db-down', at('2026-11-17T13:00:00Z'), { resolvedAt: at('2026-11-17T15:00:00Z') });
    await joined(db, bea.id, dbDown.id, at('2026-11-17T13:05:00Z'), { leftAt: at('2026-11-17T14:25:00Z') });
    await db.learning.create({ data: { engineerId: bea.id, incidentId: dbDown.id, whatHappened: 'The pool ran dry.', checkFirst: 'Pool metrics.', learned: 'Check the connection pool first.', createdAt: at('2026-11-17T16:00:00Z') } });
    await joined(db, ana.id, dbDown.id, at('2026-11-17T13:10:00Z'), { role: 'mentor' });
    const everyone = ['U0AUCKLAND', 'U0KOLKATA', 'U0BERLIN', 'U0LOSANGELES'];

    const steps: Array<[string, Record<string, number>]> = [
      ['2026-11-22T19:59:00Z', { U0AUCKLAND: 0, U0KOLKATA: 0, U0BERLIN: 0, U0LOSANGELES: 0 }],
      ['2026-11-22T20:00:00Z', { U0AUCKLAND: 1, U0KOLKATA: 0, U0BERLIN: 0, U0LOSANGELES: 0 }], // Monday 09:00 in Auckland
      ['2026-11-23T03:29:00Z', { U0AUCKLAND: 1, U0KOLKATA: 0, U0BERLIN: 0, U0LOSANGELES: 0 }],
      ['2026-11-23T03:30:00Z', { U0AUCKLAND: 1, U0KOLKATA: 1, U0BERLIN: 0, U0LOSANGELES: 0 }], // 09:00 in Kolkata
      ['2026-11-23T07:59:00Z', { U0AUCKLAND: 1, U0KOLKATA: 1, U0BERLIN: 0, U0LOSANGELES: 0 }],
      ['2026-11-23T08:00:00Z', { U0AUCKLAND: 1, U0KOLKATA: 1, U0BERLIN: 1, U0LOSANGELES: 0 }], // 09:00 in Berlin
      ['2026-11-23T16:59:00Z', { U0AUCKLAND: 1, U0KOLKATA: 1, U0BERLIN: 1, U0LOSANGELES: 0 }],
      ['2026-11-23T17:00:00Z', { U0AUCKLAND: 1, U0KOLKATA: 1, U0BERLIN: 1, U0LOSANGELES: 1 }], // 09:00 in Los Angeles
      ['2026-11-25T12:00:00Z', { U0AUCKLAND: 1, U0KOLKATA: 1, U0BERLIN: 1, U0LOSANGELES: 1 }],
    ];
    for (const [now, expected] of steps) {
      await sendDueDigests(deps, at(now));
      expect([now, dmsOf(w.emulator, everyone)]).toEqual([now, expected]);
    }

    const bDm = w.emulator.messagesTo('U0BERLIN')[0]!;
    expect(bDm.text).toBe('Your week in fires, 16–22 Nov 2026: You joined *1 incident* and spent *1h 20m* in it. Thank you for jumping in. Next step: Next time, ask one question in the channel (a thread is fine), such as "what are we checking first, and why?"');
    expect(JSON.stringify(bDm.blocks)).toContain('• <#C0DBDOWN> · learner · joined Tue 17 Nov, 14:05 · 1h 20m');
    expect(JSON.stringify(bDm.blocks)).toContain('Check the connection pool first.');
    expect(JSON.stringify(w.emulator.messagesTo('U0AUCKLAND')[0]!.blocks)).toContain('• <#C0DBDOWN> · mentor · joined Wed 18 Nov, 02:10');
    expect(w.emulator.messagesTo('U0KOLKATA')[0]!.text).toMatch(/^No fires for you in the week of 16–22 Nov 2026\./);

    const rows = await db.digest.findMany({ orderBy: [{ weekStart: 'asc' }, { engineerId: 'asc' }], select: { engineerId: true, weekStart: true, status: true, error: true } });
    expect(rows.map((r) => [r.weekStart.toISOString().slice(0, 10), r.status, r.error])).toEqual([
      // The week before was quiet for everyone: recorded as skipped, never sent.
      ...[1, 2, 3, 4].map(() => ['2026-11-09', 'skipped', 'quiet_week']),
      ...[1, 2, 3, 4].map(() => ['2026-11-16', 'sent', null]),
    ]);
  });

  it('follows Berlin across the change to winter time: 09:00 CET, and the week ends at local midnight', async () => {
    const bea = await addPerson(db, w.emulator, 'U0BERLIN', 'Bea', 'Europe/Berlin', { createdAt: at('2026-10-20T00:00:00Z') });
    const late = await addIncident(db, 'C0SUNLATE', 'inc-sunday-late', at('2026-10-25T22:00:00Z'));
    const early = await addIncident(db, 'C0MONEARLY', 'inc-monday-early', at('2026-10-25T23:05:00Z'));
    await joined(db, bea.id, late.id, at('2026-10-25T22:30:00Z')); // Sunday 23:30 CET
    await joined(db, bea.id, early.id, at('2026-10-25T23:10:00Z')); // Monday 00:10 CET: next week

    await sendDueDigests(deps, at('2026-10-26T07:00:00Z')); // 09:00 at last week's offset: too early
    await sendDueDigests(deps, at('2026-10-26T07:59:00Z'));
    expect(w.emulator.messagesTo('U0BERLIN')).toHaveLength(0);
    await sendDueDigests(deps, at('2026-10-26T08:00:00Z'));
    const dms = w.emulator.messagesTo('U0BERLIN');
    expect(dms).toHaveLength(1);
    const blocks = JSON.stringify(dms[0]!.blocks);
    expect(blocks).toContain('• <#C0SUNLATE> · learner · joined Sun 25 Oct, 23:30 · 30m (still open)');
    expect(blocks).not.toContain('C0MONEARLY');
  });

  it('follows Los Angeles across the change to winter time: 09:00 PST', async () => {
    const lou = await addPerson(db, w.emulator, 'U0LOSANGELES', 'Lou', 'America/Los_Angeles', { createdAt: at('2026-10-27T00:00:00Z') });
    const late = await addIncident(db, 'C0SUNLATE', 'inc-sunday-late', at('2026-11-02T07:00:00Z'), { resolvedAt: at('2026-11-02T07:45:00Z') });
    const early = await addIncident(db, 'C0MONEARLY', 'inc-monday-early', at('2026-11-02T08:05:00Z'));
    await joined(db, lou.id, late.id, at('2026-11-02T07:30:00Z')); // Sunday 1 Nov, 23:30 PST
    await joined(db, lou.id, early.id, at('2026-11-02T08:10:00Z')); // Monday 00:10 PST: next week

    await sendDueDigests(deps, at('2026-11-02T16:00:00Z')); // 09:00 PDT: too early
    await sendDueDigests(deps, at('2026-11-02T16:59:00Z'));
    expect(w.emulator.messagesTo('U0LOSANGELES')).toHaveLength(0);
    await sendDueDigests(deps, at('2026-11-02T17:00:00Z'));
    const dms = w.emulator.messagesTo('U0LOSANGELES');
    expect(dms).toHaveLength(1);
    const blocks = JSON.stringify(dms[0]!.blocks);
    expect(blocks).toContain('• <#C0SUNLATE> · learner · joined Sun 1 Nov, 23:30 · 15m');
    expect(blocks).toContain('Write down what you learned in <#C0SUNLATE>');
    expect(blocks).not.toContain('C0MONEARLY');
    expect((await db.digest.findFirstOrThrow({ where: { status: 'sent' } })).weekStart).toEqual(at('2026-10-26T00:00:00Z'));
  });

  it('sends a person who changes time zone around Monday that week’s digest exactly once', async () => {
    const since = { createdAt: KNOWN_SINCE };
    // Ahead to behind, after the digest went out in Auckland.
    const east = await addPerson(db, w.emulator, 'U0EASTWEST', 'Eve', 'Pacific/Auckland', since);
    // Behind to ahead, before 09:00 came in Los Angeles but after it came in Auckland.
    const west = await addPerson(db, w.emulator, 'U0WESTEAST', 'Wes', 'America/Los_Angeles', since);
    // Ahead to behind, before 09:00 came in Berlin.
    const mover = await addPerson(db, w.emulator, 'U0BERLINLA', 'Max', 'Europe/Berlin', since);
    const who = ['U0EASTWEST', 'U0WESTEAST', 'U0BERLINLA'];

    await sendDueDigests(deps, at('2026-11-22T20:00:00Z'));
    expect(dmsOf(w.emulator, who)).toEqual({ U0EASTWEST: 1, U0WESTEAST: 0, U0BERLINLA: 0 });

    // Eve moves to Los Angeles, where the latest due week is still the one before: no second digest.
    await db.engineer.update({ where: { id: east.id }, data: { timeZone: 'America/Los_Angeles' } });
    await sendDueDigests(deps, at('2026-11-22T21:00:00Z'));
    // Wes moves to Auckland on Sunday evening his time: Monday 18:00 there, so the week is due.
    await db.engineer.update({ where: { id: west.id }, data: { timeZone: 'Pacific/Auckland' } });
    await sendDueDigests(deps, at('2026-11-23T05:00:00Z'));
    expect(dmsOf(w.emulator, who)).toEqual({ U0EASTWEST: 1, U0WESTEAST: 1, U0BERLINLA: 0 });

    // Max moves to Los Angeles at 08:00 in Berlin, just before his digest would have gone out.
    await db.engineer.update({ where: { id: mover.id }, data: { timeZone: 'America/Los_Angeles' } });
    await sendDueDigests(deps, at('2026-11-23T08:00:00Z'));
    expect(dmsOf(w.emulator, who)).toEqual({ U0EASTWEST: 1, U0WESTEAST: 1, U0BERLINLA: 0 });

    // Wes goes back to Los Angeles; 09:00 comes there for everyone.
    await db.engineer.update({ where: { id: west.id }, data: { timeZone: 'America/Los_Angeles' } });
    await sendDueDigests(deps, at('2026-11-23T17:00:00Z'));
    await sendDueDigests(deps, at('2026-11-24T17:00:00Z'));
    expect(dmsOf(w.emulator, who)).toEqual({ U0EASTWEST: 1, U0WESTEAST: 1, U0BERLINLA: 1 });

    const sent = await db.digest.findMany({ where: { status: 'sent' }, select: { engineerId: true, weekStart: true } });
    expect(sent.map((r) => [r.engineerId, r.weekStart.toISOString().slice(0, 10)]).sort()).toEqual([
      [east.id, '2026-11-16'],
      [west.id, '2026-11-16'],
      [mover.id, '2026-11-16'],
    ]);
  });

  it('sends a digest missed while the app was down once it is back, and only once', async () => {
    await addPerson(db, w.emulator, 'U0BERLIN', 'Bea', 'Europe/Berlin');
    // Someone who appeared after Monday 09:00 gets nothing for a week we did not know them in.
    await addPerson(db, w.emulator, 'U0NEWHIRE', 'Nia', 'Europe/Berlin', { createdAt: at('2026-11-23T12:00:00Z') });

    await sendDueDigests(deps, at('2026-11-23T07:00:00Z')); // Monday 08:00: the last run before the app went down
    expect(dmsOf(w.emulator, ['U0BERLIN', 'U0NEWHIRE'])).toEqual({ U0BERLIN: 0, U0NEWHIRE: 0 });

    const back = await sendDueDigests(deps, at('2026-11-24T10:00:00Z')); // Tuesday: back up
    expect(back).toEqual({ due: 2, skipped: 1, sent: 1, taken: 0, retry: 0, failed: 0 });
    await sendDueDigests(deps, at('2026-11-24T10:01:00Z'));
    await sendDueDigests(deps, at('2026-11-27T10:00:00Z'));
    expect(dmsOf(w.emulator, ['U0BERLIN', 'U0NEWHIRE'])).toEqual({ U0BERLIN: 1, U0NEWHIRE: 0 });
  });

  it('sends nothing to people with digests off or no longer active, even when turned back on mid-week', async () => {
    const off = await addPerson(db, w.emulator, 'U0DIGESTOFF', 'Otto', 'Europe/Berlin', { digestOff: true });
    await addPerson(db, w.emulator, 'U0LEFTCO', 'Lena', 'Europe/Berlin', { active: false });
    const bea = await addPerson(db, w.emulator, 'U0BERLIN', 'Bea', 'Europe/Berlin');

    await sendDueDigests(deps, at('2026-11-23T08:00:00Z'));
    await db.engineer.update({ where: { id: off.id }, data: { digestOff: false } });
    // A fire for both in the week of 23 Nov: something for its digest.
    const fire = await addIncident(db, 'C0NEXTWEEK', 'inc-next-week', at('2026-11-25T10:00:00Z'));
    for (const e of [off, bea]) await joined(db, e.id, fire.id, at('2026-11-25T10:05:00Z'));
    await sendDueDigests(deps, at('2026-11-25T08:00:00Z'));
    expect(dmsOf(w.emulator, ['U0DIGESTOFF', 'U0LEFTCO', 'U0BERLIN'])).toEqual({ U0DIGESTOFF: 0, U0LEFTCO: 0, U0BERLIN: 1 });

    // Back on: the next week's digest comes as usual.
    await sendDueDigests(deps, at('2026-11-30T08:00:00Z'));
    expect(dmsOf(w.emulator, ['U0DIGESTOFF', 'U0LEFTCO', 'U0BERLIN'])).toEqual({ U0DIGESTOFF: 1, U0LEFTCO: 0, U0BERLIN: 2 });
  });

  it('shows a private incident only to the people who were in it', async () => {
    const insider = await addPerson(db, w.emulator, 'U0INSIDER', 'Ida', 'Europe/Berlin');
    const outsider = await addPerson(db, w.emulator, 'U0OUTSIDER', 'Oli', 'Europe/Berlin');
    const secret = await addIncident(db, 'C0SECRET', 'inc-secret-merger', at('2026-11-18T10:00:00Z'), { isPrivate: true, resolvedAt: at('2026-11-18T12:00:00Z') });
    const open = await addIncident(db, 'C0PUBLIC', 'inc-public-api', at('2026-11-18T10:00:00Z'), { resolvedAt: at('2026-11-18T12:00:00Z') });
    await joined(db, insider.id, secret.id, at('2026-11-18T10:05:00Z'));
    await joined(db, insider.id, open.id, at('2026-11-18T10:06:00Z'));
    await joined(db, outsider.id, open.id, at('2026-11-18T10:07:00Z'));
    await db.learning.create({ data: { engineerId: insider.id, incidentId: secret.id, whatHappened: 'x', checkFirst: 'y', learned: 'Merger traffic is special.', createdAt: at('2026-11-18T14:00:00Z') } });

    await sendDueDigests(deps, at('2026-11-23T08:00:00Z'));
    const inside = JSON.stringify(w.emulator.messagesTo('U0INSIDER'));
    const outside = JSON.stringify(w.emulator.messagesTo('U0OUTSIDER'));
    expect(inside).toContain('<#C0SECRET>');
    expect(inside).toContain('Merger traffic is special.');
    expect(outside).toContain('<#C0PUBLIC>');
    expect(outside).not.toContain('C0SECRET');
    expect(outside).not.toContain('secret');
    expect(outside).not.toContain('Merger');

    // The plain-text rendering (--dry-run) names channels: still only in the insider's digest.
    const requests: DigestRequest[] = [insider, outsider].map((e) => ({ person: { ...e, knownSince: e.createdAt }, weekStart: '2026-11-16' }));
    const { digests } = await composeDigestsCounted(db, requests, deps.config.digestSchedule, at('2026-11-23T08:00:00Z'));
    expect(digestText(digests[0]!.summary)).toContain('#inc-secret-merger');
    expect(digestText(digests[1]!.summary)).not.toContain('secret');
  });

  it('sends each digest DM as one chat.postMessage to the user id, and records the IM Slack answered with', async () => {
    await addPerson(db, w.emulator, 'U0ONE', 'One', 'Europe/Berlin');
    await addPerson(db, w.emulator, 'U0TWO', 'Two', 'Europe/Berlin');
    expect(await sendDueDigests(deps, at('2026-11-23T08:00:00Z'))).toMatchObject({ sent: 2 });
    expect(w.emulator.calls.map((c) => [c.method, c.args.channel]).sort()).toEqual([
      ['chat.postMessage', 'U0ONE'],
      ['chat.postMessage', 'U0TWO'],
    ]);
    expect(await db.imChannel.findMany({ orderBy: { userId: 'asc' }, select: { userId: true, channelId: true } })).toEqual([
      { userId: 'U0ONE', channelId: w.emulator.imOf('U0ONE') },
      { userId: 'U0TWO', channelId: w.emulator.imOf('U0TWO') },
    ]);
  });

  it('retries a digest that Slack failed for a passing reason, and gives up on one it refused', async () => {
    await addPerson(db, w.emulator, 'U0FLAKY', 'Fay', 'Europe/Berlin');
    await addPerson(db, w.emulator, 'U0REFUSED', 'Ray', 'Europe/Berlin');
    w.emulator.addFault({ method: 'chat.postMessage', status: 503, when: (args) => args.channel === 'U0FLAKY' });
    w.emulator.addFault({ method: 'chat.postMessage', error: 'messages_tab_disabled', when: (args) => args.channel === 'U0REFUSED' });

    const first = await sendDueDigests(deps, at('2026-11-23T08:00:00Z'));
    expect(first).toEqual({ due: 2, skipped: 0, sent: 0, taken: 0, retry: 1, failed: 1 });
    expect(await db.digest.findMany({ orderBy: { engineerId: 'asc' }, select: { status: true, error: true } })).toEqual([
      { status: 'pending', error: 'http_503' },
      { status: 'failed', error: 'messages_tab_disabled' },
    ]);

    const second = await sendDueDigests(deps, at('2026-11-23T08:01:00Z'));
    expect(second).toEqual({ due: 1, skipped: 0, sent: 1, taken: 0, retry: 0, failed: 0 });
    expect(dmsOf(w.emulator, ['U0FLAKY', 'U0REFUSED'])).toEqual({ U0FLAKY: 1, U0REFUSED: 0 });
    // A 5xx may come after Slack acted, so the retry looked for the DM in Slack before sending it.
    expect(w.emulator.callsTo('conversations.history')).toHaveLength(1);
  });

  it('does not send again a digest that a process sent just before it died, and records it as sent', async () => {
    await addPerson(db, w.emulator, 'U0CRASHED', 'Cas', 'Europe/Berlin');
    expect(await sendDueDigests(deps, at('2026-11-23T08:00:00Z'))).toMatchObject({ sent: 1 });
    // As if the process had died between Slack's answer and its own record: claimed, stale, not sent.
    await db.$executeRawUnsafe("UPDATE digests SET status = 'sending', sent_at = NULL, claimed_at = '2026-11-23T08:00:00Z'");
    // Another process (nothing in memory) takes over: it looks in the IM recorded by the first DM.
    const again = await sendDueDigests(w.deps(), at('2026-11-23T08:30:00Z'));
    expect(again).toMatchObject({ due: 1, sent: 1, retry: 0, failed: 0 });
    expect(dmsOf(w.emulator, ['U0CRASHED'])).toEqual({ U0CRASHED: 1 });
    expect(w.emulator.callsTo('conversations.history').map((c) => c.args.channel)).toEqual([w.emulator.imOf('U0CRASHED')]);
    expect(w.emulator.callsTo('conversations.open')).toHaveLength(0);
    expect(await db.digest.findMany({ select: { status: true } })).toEqual([{ status: 'sent' }]);
  });

  it('gives the current week so far on request, only where it has begun, and counts it as that week’s digest', async () => {
    const ana = await addPerson(db, w.emulator, 'U0AUCKLAND', 'Ana', 'Pacific/Auckland');
    await addPerson(db, w.emulator, 'U0LOSANGELES', 'Lou', 'America/Los_Angeles');
    const incident = await addIncident(db, 'C0EARLY', 'inc-early', at('2026-11-22T19:00:00Z'));
    await joined(db, ana.id, incident.id, at('2026-11-22T19:30:00Z')); // Monday 08:30 in Auckland
    const now = at('2026-11-22T20:30:00Z'); // Monday 09:30 in Auckland, still Sunday in Los Angeles

    const dry = await runDigestWeek(deps, { weekStart: '2026-11-23', dryRun: true }, now);
    expect(dry.notes).toEqual(['U0LOSANGELES: the week of 2026-11-23 has not started yet in America/Los_Angeles.']);
    expect(dry.digests.map((d) => [d.person.slackId, d.summary.soFar, d.summary.incidents.map((i) => [i.channelId, i.minutes, i.open])])).toEqual([['U0AUCKLAND', true, [['C0EARLY', 60, true]]]]);
    expect(dry.tally).toBeNull();
    expect(await db.digest.count()).toBe(0);

    const sent = await runDigestWeek(deps, { weekStart: '2026-11-23', dryRun: false }, now);
    expect(sent.tally).toEqual({ sent: 1, taken: 0, retry: 0, failed: 0 });
    expect(w.emulator.messagesTo('U0AUCKLAND')[0]!.text).toMatch(/^Your week in fires so far, 23–29 Nov 2026: So far this week you joined \*1 incident\*/);
    // The scheduled digest of that week then finds it done.
    await sendDueDigests(deps, at('2026-11-29T20:00:00Z'));
    expect(w.emulator.messagesTo('U0AUCKLAND')).toHaveLength(1);
    await expect(runDigestWeek(deps, { weekStart: '2026-11-30', dryRun: true }, now)).rejects.toThrow('week 2026-11-30 is in the future');
  });

  it('composes a batch of people in four queries, whatever its size', async () => {
    const incident = await addIncident(db, 'C0BIG', 'inc-big', at('2026-11-18T10:00:00Z'));
    await db.engineer.createMany({ data: Array.from({ length: 1_200 }, (_, i) => ({ slackId: `U0BULK${i}`, name: `P${i}`, timeZone: ['Europe/Berlin', 'Asia/Kolkata', 'America/Los_Angeles'][i % 3]! })) });
    const people = await db.engineer.findMany({ orderBy: { id: 'asc' } });
    await db.participation.createMany({ data: people.filter((_, i) => i % 2 === 0).map((e) => ({ engineerId: e.id, incidentId: incident.id, role: 'learner' as const, source: 'auto_invite' as const, joinedAt: at('2026-11-18T10:30:00Z') })) });
    const requests = people.map((e) => ({ person: { ...e, knownSince: e.createdAt }, weekStart: '2026-11-16' }));
    const schedule = deps.config.digestSchedule;

    const big = await composeDigestsCounted(db, requests, schedule, at('2026-11-24T00:00:00Z'));
    expect(big.queries).toBe(12); // 3 batches of at most 500, 4 queries each (participations, learnings, growth, practice fires)
    expect(big.digests).toHaveLength(1_200);
    expect(big.digests.map((d) => d.summary.incidents.length)).toEqual(people.map((_, i) => (i % 2 === 0 ? 1 : 0)));
    expect(big.digests[0]!.summary.incidents[0]!.joinedLocal).toBe('Wed 18 Nov, 11:30');
    // Known to the app only after that week (created now): nothing in the week, no invitation either.
    expect(big.digests[1]!.summary.kind).toBe('quiet');
    // Learners have the growth section (SPEC.md "Growth"); someone never on the path has none.
    expect(big.digests[0]!.summary.growth?.progress).toMatchObject({ stage: 'observer', fires: 1, reflected: 0 });
    expect(big.digests[1]!.summary.growth).toBeUndefined();

    const small = await composeDigestsCounted(db, requests.slice(0, 3), schedule, at('2026-11-24T00:00:00Z'));
    expect(small.queries).toBe(4);
  });

  it('sends each digest once when two processes run the due check at the same moment', async () => {
    const team = Array.from({ length: 20 }, (_, i) => `U0TEAM${String(i).padStart(2, '0')}`);
    for (const id of team) await addPerson(db, w.emulator, id, `P${id}`, 'Europe/Berlin');
    const other = w.deps();
    const now = at('2026-11-23T08:00:00Z');

    for (let round = 0; round < 3; round++) {
      const [a, b] = await Promise.all([sendDueDigests(deps, now), sendDueDigests(other, now)]);
      if (round === 0) expect(a.sent + b.sent).toBe(20);
      else expect(a.sent + b.sent).toBe(0);
    }
    expect(Object.values(dmsOf(w.emulator, team))).toEqual(team.map(() => 1));
    expect(await db.digest.count({ where: { status: 'sent' } })).toBe(20);
  });
});

requiresRealPostgres('two whole apps share one database')('weekly digest: the scheduled job of whole apps', () => {
  const users = [person('U0HJO', 'Jo', 'Europe/Berlin'), person('U0HKIM', 'Kim', 'Europe/Berlin'), person('U0HOFF', 'Otto', 'Europe/Berlin')];
  const ids = ['U0HJO', 'U0HKIM', 'U0HOFF', 'U0HGONE'];
  let database: TestDatabase;
  const running: Harness[] = [];

  async function app(now: string): Promise<Harness> {
    const h = await startHarness({ database, users, now: at(now) });
    running.push(h);
    return h;
  }

  /** What start-up (and each minute's cron tick) does: queue the due check; resolves when it has run. */
  async function runJob(h: Harness): Promise<void> {
    const id = await h.app.deps.jobs.send(WEEKLY_DIGEST_JOB, {});
    expect(id).toEqual(expect.any(String));
    await waitUntil(async () => (await h.app.deps.jobs.boss.getJobById(WEEKLY_DIGEST_JOB, id!))?.state === 'completed', 'the weekly digest job to complete');
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    const conn = connectDatabase(database.url, 2, log);
    try {
      const since = { createdAt: KNOWN_SINCE };
      const jo = await addPerson(conn.prisma, null, 'U0HJO', 'Jo', 'Europe/Berlin', since);
      const kim = await addPerson(conn.prisma, null, 'U0HKIM', 'Kim', 'Europe/Berlin', since);
      await addPerson(conn.prisma, null, 'U0HOFF', 'Otto', 'Europe/Berlin', { ...since, digestOff: true });
      await addPerson(conn.prisma, null, 'U0HGONE', 'Gus', 'Europe/Berlin', { ...since, active: false });
      const incident = await addIncident(conn.prisma, 'C0HDBDOWN', 'inc-db-down', at('2026-11-18T10:00:00Z'), { resolvedAt: at('2026-11-18T11:00:00Z') });
      await joined(conn.prisma, jo.id, incident.id, at('2026-11-18T10:05:00Z'));
      // Something for the week of 23 Nov too, or that week is quiet and sends nothing.
      const next = await addIncident(conn.prisma, 'C0HNEXT', 'inc-next', at('2026-11-25T10:00:00Z'), { resolvedAt: at('2026-11-25T11:00:00Z') });
      for (const e of [jo, kim]) await joined(conn.prisma, e.id, next.id, at('2026-11-25T10:05:00Z'));
    } finally {
      await conn.close();
    }
  });
  afterAll(async () => {
    for (const h of running) await h.stop();
    await database?.drop();
  });

  it('sends nothing before Monday 09:00, and the missed digests once when the app comes back after it', async () => {
    const sunday = await app('2026-11-22T18:00:00Z'); // Sunday 19:00 in Berlin
    await runJob(sunday);
    expect(dmsOf(sunday.emulator, ids)).toEqual({ U0HJO: 0, U0HKIM: 0, U0HOFF: 0, U0HGONE: 0 });
    await sunday.stop();

    // Down over Monday morning; back at 11:30.
    const back = await app('2026-11-23T10:30:00Z');
    await runJob(back);
    expect(dmsOf(back.emulator, ids)).toEqual({ U0HJO: 1, U0HKIM: 1, U0HOFF: 0, U0HGONE: 0 });
    expect(JSON.stringify(back.emulator.messagesTo('U0HJO')[0]!.blocks)).toContain('<#C0HDBDOWN> · learner · joined Wed 18 Nov, 11:05');
    await runJob(back);
    expect(dmsOf(back.emulator, ids)).toEqual({ U0HJO: 1, U0HKIM: 1, U0HOFF: 0, U0HGONE: 0 });
    await back.stop();
  });

  it('sends each digest once when two apps on one database run the job together', async () => {
    const [a, b] = await Promise.all([app('2026-11-30T10:30:00Z'), app('2026-11-30T10:30:00Z')]);
    await Promise.all([runJob(a), runJob(b), runJob(a), runJob(b)]);
    const total = (id: string) => a.emulator.messagesTo(id).length + b.emulator.messagesTo(id).length;
    expect(ids.map(total)).toEqual([1, 1, 0, 0]);
    const rows = await a.app.deps.db.digest.findMany({ where: { weekStart: at('2026-11-23T00:00:00Z') }, include: { engineer: true } });
    expect(rows.map((r) => [r.engineer.slackId, r.status]).sort()).toEqual([
      ['U0HJO', 'sent'],
      ['U0HKIM', 'sent'],
      ['U0HOFF', 'skipped'],
    ]);
  });
});
