import { WebClient } from '@slack/web-api';
import { connectDatabase, type Database } from '../../src/db/client';
import { SlackEmulator, type RecordedCall } from '../../src/dev/slack-emulator';
import { syncRoster } from '../../src/flows/roster-flow';
import { createLogger } from '../../src/log';
import { SlackGateway } from '../../src/slack/gateway';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { person, startHarness, waitUntil, type Harness } from '../helpers/harness';

/**
 * users.list on a large workspace (SPEC.md section 3): page by page, a 429 asks the same page
 * again with the same cursor, each page is written as it arrives, and people missing from the
 * list are deactivated only after a complete pass.
 */

const PEOPLE = 10_000;
const cursorOf = (call: RecordedCall) => (typeof call.args.cursor === 'string' ? call.args.cursor : '');

function workspaceOf(emulator: SlackEmulator, people: number): void {
  for (let i = 0; i < people; i++) emulator.addUser(person(`U0P${String(i).padStart(5, '0')}`, `Person${i}`, 'Europe/Berlin'));
}

describe('the roster of a 10,000-person workspace whose users.list answers 429 on every third page', () => {
  let emulator: SlackEmulator;
  let h: Harness;

  beforeAll(async () => {
    emulator = new SlackEmulator();
    await emulator.start();
    workspaceOf(emulator, PEOPLE);
    emulator.addFault({ method: 'users.list', status: 429, retryAfterSeconds: 1, everyNthPage: 3, times: Infinity });
    h = await startHarness({ emulator });
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
    await emulator?.stop();
  });

  it('completes, asking each page at most twice (the 429 and its retry with the same cursor), writing pages as they come', async () => {
    const pages = Math.ceil((PEOPLE + 2) / 200); // the workspace's people, Slackbot and the app's bot user
    // Pages are written as they arrive: a fifth of the people are stored while later pages are still to come.
    await waitUntil(async () => (await h.app.deps.db.engineer.count()) >= 2_000, 'the first pages to be written', 60_000);
    const lastPageServed = emulator.callsTo('users.list').some((c) => c.status === 200 && (c.response as { response_metadata?: { next_cursor?: string } }).response_metadata?.next_cursor === '');
    expect(lastPageServed).toBe(false);

    await waitUntil(async () => (await h.app.deps.db.engineer.count({ where: { active: true } })) === PEOPLE, 'the whole roster', 120_000);
    const calls = emulator.callsTo('users.list');
    const byCursor = new Map<string, RecordedCall[]>();
    for (const call of calls) byCursor.set(cursorOf(call), [...(byCursor.get(cursorOf(call)) ?? []), call]);
    expect(byCursor.size).toBe(pages);
    const limited = calls.filter((c) => c.status === 429);
    expect(limited).toHaveLength(Math.floor(pages / 3));
    for (const [, asked] of byCursor) {
      expect(asked.length).toBeLessThanOrEqual(2);
      // a page asked twice was refused first, then answered
      if (asked.length === 2) expect(asked.map((c) => c.status)).toEqual([429, 200]);
    }
    expect(calls).toHaveLength(pages + limited.length);
  }, 180_000);
});

describe('a users.list pass cut short', () => {
  let database: TestDatabase;
  let conn: Database;
  let emulator: SlackEmulator;

  beforeAll(async () => {
    database = await createTestDatabase();
    conn = connectDatabase(database.url, 2);
    emulator = new SlackEmulator();
    await emulator.start();
    workspaceOf(emulator, 1_000);
    await conn.prisma.engineer.create({ data: { slackId: 'U0LEFTCO', name: 'Left the company' } });
  }, 60_000);

  afterAll(async () => {
    await conn?.close();
    await emulator?.stop();
    await database?.drop();
  });

  it('keeps the pages it wrote and deactivates nobody; the next complete pass deactivates who is missing', async () => {
    const log = createLogger('silent');
    const slack = new SlackGateway(new WebClient(emulator.botToken, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true }), log);
    const deps = { db: conn.prisma, slack, log, clock: () => new Date(), teamId: emulator.teamId };
    emulator.addFault({ method: 'users.list', error: 'team_not_found', everyNthPage: 3, times: 1 });
    await expect(syncRoster(deps)).rejects.toThrow('users.list failed: team_not_found');
    expect(await conn.prisma.engineer.count({ where: { active: true, slackId: { startsWith: 'U0P' } } })).toBe(398);
    expect((await conn.prisma.engineer.findUniqueOrThrow({ where: { slackId: 'U0LEFTCO' } })).active).toBe(true);

    emulator.clearFaults();
    await expect(syncRoster(deps)).resolves.toMatchObject({ active: 1_000, pages: 6 });
    expect((await conn.prisma.engineer.findUniqueOrThrow({ where: { slackId: 'U0LEFTCO' } })).active).toBe(false);
  });
});
