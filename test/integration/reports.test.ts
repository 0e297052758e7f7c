import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { ResponseUrlSink } from '../../src/dev/slack-emulator';
import { gini } from '../../src/domain/fairness';
import { importRoster } from '../../src/flows/roster-flow';
import { adminSectionText } from '../../src/flows/report-flow';
import { weekStartOf } from '../../src/domain/iso-week';
import { settleAfterAck } from '../../src/listeners/after-ack';
import { pressHomeButton, startHarness, waitUntil, person, type Harness } from '../helpers/harness';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const DAY = 86_400_000;

const team = [
  person('U0ADMIN01', 'Ada'),
  person('U0MANAGER', 'Max'),
  person('U0JUNIOR1', 'Jo'),
  person('U0JUNIOR2', 'Kim'),
  person('U0JUNIOR3', 'Lu'),
  person('U0SENIOR1', 'Sam'),
  person('U0ENGINEE', 'Eve'),
];

interface Blockish {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: Array<{ action_id?: string; value?: string; text?: string | { text: string } }>;
}

/** Width and height from the PNG header: the 8-byte signature, then the IHDR chunk (length, type, width, height). */
function ihdr(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('reports for admins and managers, end to end', () => {
  let h: Harness;
  const sink = new ResponseUrlSink();

  beforeAll(async () => {
    await sink.start();
    // The real clock, so that `npm run report` (which has no other) sees the same weeks as the app.
    h = await startHarness({ users: team, env: { ADMIN_USER_IDS: 'U0ADMIN01' }, now: new Date() });
    const db = h.app.deps.db;
    const roster = [
      'user,level,started_on,mentor,manager,team',
      'U0ADMIN01,staff,,no,,',
      'U0MANAGER,senior,,no,,Payments',
      'U0JUNIOR1,junior,,no,U0MANAGER,Payments',
      'U0JUNIOR2,junior,,no,max@example.com,Payments',
      'U0JUNIOR3,junior,,no,,Search',
      'U0SENIOR1,senior,,yes,,Search',
      'U0ENGINEE,mid,,no,,Search',
    ].join('\n');
    expect((await importRoster(db, roster, h.clock())).problems).toEqual([]);
    // Everyone has been known to the app for months, as if it was installed in the spring.
    await db.engineer.updateMany({ data: { createdAt: new Date(h.clock().getTime() - 200 * DAY) } });

    const now = h.clock().getTime();
    const id = async (slackId: string) => (await db.engineer.findUniqueOrThrow({ where: { slackId } })).id;
    const incident = (channelId: string, name: string, isPrivate: boolean, daysAgo: number) =>
      db.incident.create({ data: { channelId, name, isPrivate, openedAt: new Date(now - daysAgo * DAY), mentorSlackId: 'U0SENIOR1', createdBy: 'U0SENIOR1' } });
    const i1 = await incident('C0INC00001', 'inc-db-latency', false, 2);
    const i2 = await incident('G0INC00002', 'inc-secret-breach', true, 9);
    const i3 = await incident('C0INC00003', 'inc-api-errors', false, 40);
    const joined = (daysAgo: number) => new Date(now - daysAgo * DAY);
    await db.participation.createMany({
      data: [
        { engineerId: await id('U0JUNIOR1'), incidentId: i1.id, role: 'learner', source: 'auto_invite', invitedAt: joined(2), joinedAt: joined(2) },
        { engineerId: await id('U0JUNIOR1'), incidentId: i2.id, role: 'learner', source: 'auto_invite', invitedAt: joined(9), joinedAt: joined(9) },
        { engineerId: await id('U0JUNIOR2'), incidentId: i3.id, role: 'volunteer', source: 'volunteer', invitedAt: joined(40), joinedAt: joined(40), leftAt: new Date(joined(40).getTime() + 3 * 60_000) },
        { engineerId: await id('U0SENIOR1'), incidentId: i1.id, role: 'responder', source: 'self_joined', joinedAt: joined(2) },
      ],
    });
    await db.learning.create({ data: { engineerId: await id('U0JUNIOR1'), incidentId: i1.id, whatHappened: 'replica lag', checkFirst: 'the lag graph', learned: 'read the runbook', createdAt: joined(1) } });
  });
  afterAll(async () => {
    await h?.stop();
    await sink.stop();
  });

  const publishes = (user: string) => h.emulator.callsTo('views.publish').filter((c) => c.args.user_id === user && c.status === 200).length;
  const blocks = (user: string) => (h.emulator.homeViewOf(user)?.blocks ?? []) as Blockish[];
  const texts = (user: string) => blocks(user).flatMap((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : e.text?.text ?? ''))]);

  async function openHome(user: string) {
    const before = publishes(user);
    const res = await h.sender.event({ type: 'app_home_opened', user, channel: 'D0442US94JD', tab: 'home' });
    expect(res.status).toBe(200);
    await waitUntil(() => publishes(user) > before, `${user}'s home tab`);
  }

  const press = (user: string, actionId: string) => pressHomeButton(h, user, actionId, '13', 'report_actions');

  async function reportCli(args: string[]) {
    const { stdout } = await run(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'src/cli/report.ts', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, DATABASE_URL: h.database.url },
    });
    return stdout;
  }

  it('shows an admin everyone, with the Gini that fairness.ts computes on the same participations', async () => {
    await openHome('U0ADMIN01');
    const all = texts('U0ADMIN01').join('\n');
    expect(all).toContain('Exposure across the organisation');
    expect(all).toContain('*Coverage*: 1 of 3 juniors had a fire in the last 4 weeks (33%)');
    expect(all).toContain('Without one: <@U0JUNIOR2>, <@U0JUNIOR3>');
    // Fires per week over 13 weeks: Jo 2, Kim 1, Lu 0.
    const expected = Math.round(gini([2 / 13, 1 / 13, 0]) * 1000) / 1000;
    expect(expected).toBe(0.444);
    expect(all).toContain(`*Gini of exposure* among juniors: ${expected} (3 juniors employed 4 weeks or more`);
    // Sam was named mentor 2, 9 and 40 days ago; "this week" is the ISO week so far, in UTC.
    const monday = new Date(`${weekStartOf(h.clock(), 'UTC')}T00:00:00Z`).getTime();
    const thisWeek = [2, 9, 40].filter((d) => h.clock().getTime() - d * DAY >= monday).length;
    expect(all).toContain(`<@U0SENIOR1> ${thisWeek} this week, 3 in all`);
    expect(all).toContain('*Left within 5 minutes*: 1 · *Reflections written*: 1');
    expect(all).toContain('*Team Payments* (3)');
    expect(all).toContain('*Team Search* (3)');
    expect(all).toContain('*Team (no team)* (1)');
    expect(all).toContain('*Offers declined*: 0 · *"No learners this time" presses*: 0 · *Stages reached*: 0');
    expect(all).not.toContain('Not tracked yet');
    const buttons = blocks('U0ADMIN01').find((b) => b.block_id === 'report_actions')!.elements!.map((e) => [e.action_id, (e.text as { text: string }).text]);
    expect(buttons).toEqual([['report_chart', 'Chart'], ['report_export_csv', 'Export CSV']]);
    // The private incident is never named; a report names no incident at all.
    expect(JSON.stringify(h.emulator.homeViewOf('U0ADMIN01'))).not.toMatch(/secret|G0INC00002/);
  });

  it("shows a manager their reports only, and an engineer nothing extra", async () => {
    await openHome('U0MANAGER');
    const manager = texts('U0MANAGER').join('\n');
    expect(manager).toContain('Exposure of your reports');
    expect(manager).toContain('your reports, 2 people');
    expect(manager).toContain('*Coverage*: 1 of 2 juniors had a fire in the last 4 weeks (50%)');
    expect(manager).toContain(`*Gini of exposure* among juniors: ${Math.round(gini([2 / 13, 1 / 13]) * 1000) / 1000}`);
    expect(manager).not.toContain('U0JUNIOR3');
    expect(manager).not.toContain('Search');

    await openHome('U0ENGINEE');
    const engineer = blocks('U0ENGINEE');
    expect(engineer.some((b) => b.block_id === 'report_actions')).toBe(false);
    expect(texts('U0ENGINEE').join('\n')).not.toMatch(/Exposure|Coverage|Gini/);
    // Exactly the personal tab: the same blocks as a junior's, who is no manager either.
    await openHome('U0JUNIOR3');
    expect(engineer.map((b) => b.type)).toEqual(blocks('U0JUNIOR3').map((b) => b.type));
  });

  it('"Chart" uploads a PNG of weekly exposure to the admin\'s DM', async () => {
    await press('U0ADMIN01', 'report_chart');
    await waitUntil(() => h.emulator.filesSharedIn('U0ADMIN01').length === 1, 'the chart in the DM', 30_000);
    const file = h.emulator.filesSharedIn('U0ADMIN01')[0]!;
    expect(file.filename).toMatch(/^smokejumper-exposure-\d{4}-\d{2}-\d{2}\.png$/);
    const { width, height } = ihdr(file.bytes!);
    expect(width).toBeGreaterThan(1280);
    expect(height).toBeGreaterThan(560);
    const png = PNG.sync.read(file.bytes!);
    expect([png.width, png.height]).toEqual([width, height]);
    let learner = 0;
    let white = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      if (png.data[i] === 0xe4 && png.data[i + 1] === 0x57 && png.data[i + 2] === 0x2e) learner++;
      if (png.data[i] === 255 && png.data[i + 1] === 255 && png.data[i + 2] === 255) white++;
    }
    expect(learner).toBeGreaterThan(500);
    expect(white).toBeLessThan(width * height);
  });

  it('"Export CSV" uploads the same CSV as `npm run report -- --format csv`, with no private incident in it', async () => {
    await press('U0ADMIN01', 'report_export_csv');
    await waitUntil(() => h.emulator.filesSharedIn('U0ADMIN01').length === 2, 'the CSV in the DM');
    const csv = h.emulator.filesSharedIn('U0ADMIN01')[1]!.bytes!.toString('utf8');
    expect(csv).toBe(await reportCli(['--format', 'csv']));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('week,slack_id,name,level,team,manager,learner,volunteer,responder,mentor,fires,mentoring_turns,left_within_5m,reflections,offers_declined,no_learners_presses,stages_reached');
    expect(lines).toHaveLength(1 + 7 * 13);
    expect(csv).not.toMatch(/secret|G0INC00002/);
  });

  it("a manager's export holds their reports only; someone else's press sends nothing", async () => {
    await press('U0MANAGER', 'report_export_csv');
    await waitUntil(() => h.emulator.filesSharedIn('U0MANAGER').length === 1, "the manager's CSV");
    const ids = new Set(h.emulator.filesSharedIn('U0MANAGER')[0]!.bytes!.toString('utf8').trimEnd().split('\r\n').slice(1).map((l) => l.split(',')[1]));
    expect([...ids].sort()).toEqual(['U0JUNIOR1', 'U0JUNIOR2']);

    // A button this person never had (a forged payload): refused by DM, no file.
    await openHome('U0ENGINEE');
    await press('U0ENGINEE', 'report_chart');
    await settleAfterAck();
    expect(h.emulator.filesSharedIn('U0ENGINEE')).toEqual([]);
    expect(h.emulator.messagesTo('U0ENGINEE').map((m) => m.text)).toContain('Reports are for Smokejumper admins and managers. Nothing was sent.');
  });

  it('/volunteer admin report WEEKS TEAM lists the team with the same figures', async () => {
    const res = await h.sender.command({ user_id: 'U0ADMIN01', text: 'admin report 13 payments', response_url: sink.url('team') });
    expect(res.status).toBe(200);
    await waitUntil(() => sink.received.some((r) => r.path === '/response/team'), 'the admin report');
    const reply = sink.received.find((r) => r.path === '/response/team')!.body as { text: string; blocks: Blockish[] };
    expect(reply.text).toBe('Team payments: Fires joined in the last 13 weeks: 3 people, 1 with none.');
    const all = reply.blocks.map((b) => b.text?.text ?? '').join('\n');
    expect(all).toContain('*Coverage*: 1 of 2 juniors had a fire in the last 4 weeks (50%)');
    expect(all).not.toContain('U0JUNIOR3');
  });

  it('prints the admin section as text for the demo, and the figures as Markdown from the CLI', async () => {
    const text = await adminSectionText(h.app.deps, 'U0ADMIN01');
    expect(text).toContain('Exposure across the organisation');
    expect(text).toContain('[Chart] [Export CSV]');
    expect(await adminSectionText(h.app.deps, 'U0ENGINEE')).toBe('');
    const md = await reportCli(['--team', 'Search']);
    expect(md).toMatch(/^# Exposure over the last 13 weeks: team Search, 3 people\n/);
    expect(md).toContain('- **Coverage**: 0 of 1 juniors had a fire in the last 4 weeks (0%)');
    expect(md).not.toMatch(/secret/);
  });
});

describe('the chart in the Home tab, when the app has a public URL', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      users: [person('U0ADMIN01', 'Ada'), person('U0JUNIOR1', 'Jo'), person('U0DIRECTO', 'Dee')],
      userGroups: [{ handle: 'eng-directors', users: ['U0DIRECTO'] }],
      env: { ADMIN_USER_IDS: 'U0ADMIN01', ADMIN_USERGROUPS: '@eng-directors', PUBLIC_URL: 'https://smokejumper.example.com/' },
    });
    await waitUntil(async () => (await h.app.deps.db.usergroupMember.count()) === 1, 'the ADMIN_USERGROUPS members stored at start');
    const db = h.app.deps.db;
    const incident = await db.incident.create({ data: { channelId: 'C0INC00001', name: 'inc-db-latency', openedAt: new Date(h.clock().getTime() - DAY) } });
    const jo = await db.engineer.findUniqueOrThrow({ where: { slackId: 'U0JUNIOR1' } });
    await db.participation.create({ data: { engineerId: jo.id, incidentId: incident.id, role: 'learner', source: 'auto_invite', invitedAt: new Date(h.clock().getTime() - DAY), joinedAt: new Date(h.clock().getTime() - DAY) } });
  });
  afterAll(async () => h?.stop());

  const imageOf = (user: string) => ((h.emulator.homeViewOf(user)?.blocks ?? []) as Array<{ type: string; image_url?: string }>).find((b) => b.type === 'image');

  it('shows the chart as an image under a signed path that serves the PNG, refuses a forged one and expires', async () => {
    for (const user of ['U0ADMIN01', 'U0JUNIOR1']) {
      await h.sender.event({ type: 'app_home_opened', user, channel: 'D0442US94JD', tab: 'home' });
      await waitUntil(() => h.emulator.homeViewOf(user) !== undefined, `${user}'s home tab`);
    }
    expect(imageOf('U0JUNIOR1')).toBeUndefined();
    const url = imageOf('U0ADMIN01')!.image_url!;
    expect(url).toMatch(/^https:\/\/smokejumper\.example\.com\/reports\/chart\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}\.png$/);
    const local = `${h.app.url}${new URL(url).pathname}`;

    const res = await fetch(local);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await res.arrayBuffer());
    expect(ihdr(png).width).toBeGreaterThan(1280);

    const token = new URL(url).pathname.split('/').at(-1)!;
    const [body, signature] = token.replace(/\.png$/, '').split('.') as [string, string];
    const otherViewer = Buffer.from(JSON.stringify(['U0JUNIOR1', 13, Date.now() + DAY])).toString('base64url');
    expect((await fetch(`${h.app.url}/reports/chart/${otherViewer}.${signature}.png`)).status).toBe(404);
    expect((await fetch(`${h.app.url}/reports/chart/${body}.png`)).status).toBe(404);

    h.setNow(new Date(h.clock().getTime() + 25 * 3_600_000));
    expect((await fetch(local)).status).toBe(410);
  });

  it('members of an ADMIN_USERGROUPS group see the admin section, resolved with usergroups.list and usergroups.users.list', async () => {
    await h.sender.event({ type: 'app_home_opened', user: 'U0DIRECTO', channel: 'D0442US94JD', tab: 'home' });
    await waitUntil(() => h.emulator.homeViewOf('U0DIRECTO') !== undefined, "Dee's home tab");
    const texts = ((h.emulator.homeViewOf('U0DIRECTO')!.blocks ?? []) as Array<{ text?: { text: string } }>).map((b) => b.text?.text ?? '');
    expect(texts).toContain(':bar_chart: Exposure across the organisation');
    expect(imageOf('U0DIRECTO')).toBeDefined();
    expect(h.emulator.callsTo('usergroups.users.list').map((c) => c.args.usergroup)).toHaveLength(1);
  });
});
