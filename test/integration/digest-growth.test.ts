import { WebClient } from '@slack/web-api';
import { loadConfig } from '../../src/config';
import { connectDatabase, type Database } from '../../src/db/client';
import { imDirectory } from '../../src/db/im-channels';
import { SlackEmulator } from '../../src/dev/slack-emulator';
import { sendDueDigests, type DigestDeps } from '../../src/flows/digest-flow';
import { createLogger } from '../../src/log';
import { SlackGateway } from '../../src/slack/gateway';
import type { PrismaClient } from '../../src/generated/prisma/client';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { person } from '../helpers/harness';

/**
 * The digest as a record of growth (SPEC.md section 7), against PostgreSQL and the Slack emulator
 * over HTTP: a quiet week sends nothing and its row says skipped; the first digest of a quarter
 * carries the quarter's summary.
 */
const at = (iso: string) => new Date(iso);
const log = createLogger('silent');

describe('the weekly digest, sent only when there is something in it', () => {
  let database: TestDatabase;
  let emulator: SlackEmulator;
  let connection: Database;
  let deps: DigestDeps;
  let db: PrismaClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    emulator = new SlackEmulator();
    await emulator.start();
    connection = connectDatabase(database.url, 3, log);
    db = connection.prisma;
    const config = loadConfig({ DATABASE_URL: database.url, SLACK_BOT_TOKEN: emulator.botToken, SLACK_SIGNING_SECRET: 'x', SLACK_API_URL: emulator.apiUrl }, 'test');
    const client = new WebClient(emulator.botToken, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } });
    deps = { config, db, slack: new SlackGateway(client, log, undefined, client, imDirectory(db)), log, clock: () => new Date() };
  });
  afterAll(async () => {
    await connection?.close();
    await emulator?.stop();
    await database?.drop();
  });

  async function engineer(slackId: string, name: string, level: 'junior' | 'senior' = 'junior') {
    emulator.addUser(person(slackId, name, 'Europe/Berlin'));
    return db.engineer.create({ data: { slackId, name, timeZone: 'Europe/Berlin', level, createdAt: at('2026-01-05T00:00:00Z') } });
  }

  async function fire(engineerId: number, channelId: string, name: string, joinedAt: string, role: 'learner' | 'volunteer' | 'mentor' = 'learner') {
    const incident = await db.incident.upsert({ where: { channelId }, update: {}, create: { channelId, name, openedAt: at(joinedAt), resolvedAt: new Date(at(joinedAt).getTime() + 3_600_000) } });
    await db.participation.create({ data: { engineerId, incidentId: incident.id, role, source: 'auto_invite', joinedAt: at(joinedAt) } });
    return incident;
  }

  it('sends nothing in a quiet week and records the digest as skipped; the first digest of a quarter sums the quarter up', async () => {
    const jo = await engineer('U0GJO', 'Jo');
    const sam = await engineer('U0GSAM', 'Sam', 'senior');
    // Jo's third quarter of 2026: three fires, two reflections.
    const replica = await fire(jo.id, 'C0GREPLICA', 'inc-db-replica-lag', '2026-07-15T10:00:00Z');
    await fire(jo.id, 'C0GCHECKOUT', 'inc-checkout-500s', '2026-08-20T10:00:00Z', 'volunteer');
    const payments = await fire(jo.id, 'C0GPAYMENTS', 'incident-payments-timeouts', '2026-09-30T10:00:00Z');
    await db.learning.create({ data: { engineerId: jo.id, incidentId: replica.id, whatHappened: 'a', checkFirst: 'b', learned: 'Replica lag first.', createdAt: at('2026-07-15T12:00:00Z') } });
    await db.learning.create({ data: { engineerId: jo.id, incidentId: payments.id, whatHappened: 'a', checkFirst: 'b', learned: 'Timeouts hide retries.', createdAt: at('2026-09-30T12:00:00Z') } });
    // The stage Jo had in each fire (SPEC.md section 12): two as an observer, then, moved on, one as the scribe.
    await db.participation.updateMany({ where: { engineerId: jo.id }, data: { stage: 'observer' } });
    await db.participation.updateMany({ where: { engineerId: jo.id, incidentId: payments.id }, data: { stage: 'scribe' } });
    // Sam, a senior, was in nothing all quarter.

    // Monday 5 Oct, 09:00 in Berlin: the digest of the week of 28 Sep, the first of the fourth quarter.
    const first = await sendDueDigests(deps, at('2026-10-05T07:00:00Z'));
    expect(first).toEqual({ due: 2, skipped: 1, sent: 1, taken: 0, retry: 0, failed: 0 });
    expect(emulator.messagesTo('U0GSAM')).toHaveLength(0);
    const [digest] = emulator.messagesTo('U0GJO');
    const blocks = JSON.stringify(digest!.blocks);
    expect(blocks).toContain('*Your quarter, 2026 Q3*');
    expect(blocks).toContain('• *3 fires* (2 as learner, 1 as volunteer)');
    expect(blocks).toContain('• by stage: 2 as observer, 1 as scribe');
    expect(blocks).toContain('• systems touched: checkout, database, payments');
    expect(blocks).toContain('• 2 reflections written');
    // The week itself is there too: the payments fire of Wednesday 30 Sep.
    expect(blocks).toContain('<#C0GPAYMENTS> · learner · joined Wed 30 Sep, 12:00');

    // Monday 12 Oct: Jo's week of 5 Oct was quiet, and it is no quarter's first: nothing for anyone.
    const quiet = await sendDueDigests(deps, at('2026-10-12T07:00:00Z'));
    expect(quiet).toEqual({ due: 2, skipped: 2, sent: 0, taken: 0, retry: 0, failed: 0 });
    expect(emulator.messagesTo('U0GJO')).toHaveLength(1);
    expect(emulator.messagesTo('U0GSAM')).toHaveLength(0);
    const rows = await db.digest.findMany({ orderBy: [{ weekStart: 'asc' }, { engineerId: 'asc' }], select: { engineerId: true, weekStart: true, status: true, error: true } });
    expect(rows.map((r) => [r.engineerId, r.weekStart.toISOString().slice(0, 10), r.status, r.error])).toEqual([
      [jo.id, '2026-09-28', 'sent', null],
      [sam.id, '2026-09-28', 'skipped', 'quiet_week'],
      [jo.id, '2026-10-05', 'skipped', 'quiet_week'],
      [sam.id, '2026-10-05', 'skipped', 'quiet_week'],
    ]);
    // The due check does not come back to a skipped week.
    expect(await sendDueDigests(deps, at('2026-10-12T08:00:00Z'))).toMatchObject({ due: 0 });

    // Four weeks after 30 Sep without a fire, Jo (a junior) is invited to volunteer, once.
    for (const monday of ['2026-10-19', '2026-10-26', '2026-11-02', '2026-11-09']) await sendDueDigests(deps, at(`${monday}T08:00:00Z`));
    const invitations = emulator.messagesTo('U0GJO').filter((m) => m.text?.startsWith('No fires for you'));
    expect(invitations.map((m) => m.text!.slice(0, 'No fires for you in the week of 26 Oct – 1 Nov 2026'.length))).toEqual(['No fires for you in the week of 26 Oct – 1 Nov 2026']);
    expect(emulator.messagesTo('U0GSAM')).toHaveLength(0);
  });
});
