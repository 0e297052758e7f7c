import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ResponseUrlSink } from '../../src/dev/slack-emulator';
import { importRoster } from '../../src/flows/roster-flow';
import { startHarness, waitUntil, person, type Harness } from '../helpers/harness';

/**
 * Teams in the reports from TEAM_USERGROUPS (SPEC.md section 11), for people the roster gives no
 * team; and the figures of offers declined, "No learners this time" presses and stages reached,
 * read from what those capabilities record. Over HTTP against the emulator and PostgreSQL, and
 * through `npm run report`, which asks Slack nothing.
 */
const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const DAY = 86_400_000;

describe('report teams from user groups, and the happenings the report counts', () => {
  let h: Harness;
  const sink = new ResponseUrlSink();

  beforeAll(async () => {
    await sink.start();
    h = await startHarness({
      users: [person('U0ADMIN01', 'Ada'), person('U0JUNIOR1', 'Jo'), person('U0JUNIOR2', 'Kim'), person('U0JUNIOR3', 'Lu'), person('U0SENIOR1', 'Sam')],
      userGroups: [
        { handle: 'sre', users: ['U0JUNIOR1', 'U0SENIOR1'] },
        { handle: 'payments', users: ['U0JUNIOR1', 'U0JUNIOR2'] },
      ],
      env: { ADMIN_USER_IDS: 'U0ADMIN01', TEAM_USERGROUPS: 'sre,@payments' },
      now: new Date(),
    });
    const db = h.app.deps.db;
    await waitUntil(async () => (await db.usergroupMember.count()) === 4, 'both groups stored at start');
    // Lu's team comes from the roster; the others' from the groups, the first listed winning (Jo is in both).
    expect((await importRoster(db, ['user,level,started_on,mentor,manager,team', 'U0JUNIOR1,junior,,no,,', 'U0JUNIOR2,junior,,no,,', 'U0JUNIOR3,junior,,no,,Search', 'U0SENIOR1,senior,,yes,,'].join('\n'), h.clock())).problems).toEqual([]);

    const now = h.clock().getTime();
    const id = async (slackId: string) => (await db.engineer.findUniqueOrThrow({ where: { slackId } })).id;
    const incident = await db.incident.create({
      data: { channelId: 'C0INC00001', name: 'inc-db-latency', openedAt: new Date(now - 2 * DAY), createdBy: 'U0SENIOR1', noLearnersAt: new Date(now - 2 * DAY + 60_000), noLearnersBy: 'U0SENIOR1' },
    });
    await db.offer.create({ data: { incidentId: incident.id, engineerId: await id('U0JUNIOR2'), status: 'declined', source: 'auto_invite', offeredAt: new Date(now - 2 * DAY), answeredAt: new Date(now - 2 * DAY + 30_000) } });
    await db.offer.create({ data: { incidentId: incident.id, engineerId: await id('U0JUNIOR3'), status: 'accepted', source: 'auto_invite', offeredAt: new Date(now - 2 * DAY), answeredAt: new Date(now - 2 * DAY + 30_000) } });
    await db.stageChange.create({ data: { engineerId: await id('U0JUNIOR1'), fromStage: 'observer', toStage: 'scribe', by: 'mentor', bySlackId: 'U0SENIOR1', incidentId: incident.id, at: new Date(now - DAY) } });
  });
  afterAll(async () => {
    await h?.stop();
    await sink.stop();
  });

  async function reportCli(args: string[]): Promise<string> {
    const { stdout } = await run(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'src/cli/report.ts', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, DATABASE_URL: h.database.url },
    });
    return stdout;
  }

  it('puts people the roster gives no team in the first TEAM_USERGROUPS group they are in, by its handle', async () => {
    const md = await reportCli(['--format', 'md']);
    expect(md).toContain('### Team payments (1)');
    expect(md).toContain('### Team Search (1)');
    expect(md).toContain('### Team sre (2)');
    expect(md).toContain('### Team (no team) (1)');
    const csv = (await reportCli(['--format', 'csv', '--weeks', '1'])).trimEnd().split('\r\n');
    const teamOf = (slackId: string) => csv.find((line) => line.includes(`,${slackId},`))!.split(',')[4];
    expect([teamOf('U0JUNIOR1'), teamOf('U0JUNIOR2'), teamOf('U0JUNIOR3'), teamOf('U0SENIOR1'), teamOf('U0ADMIN01')]).toEqual(['sre', 'payments', 'Search', 'sre', '']);
  });

  it('narrows to a group team with --team and with /volunteer admin report WEEKS team', async () => {
    const md = await reportCli(['--format', 'md', '--team', 'SRE']);
    expect(md).toMatch(/team SRE, 2 people/);
    const res = await h.sender.command({ user_id: 'U0ADMIN01', text: 'admin report 13 payments', response_url: sink.url('payments') });
    expect(res.status).toBe(200);
    await waitUntil(() => sink.received.some((r) => r.path === '/response/payments'), 'the admin report');
    const body = JSON.stringify(sink.received.find((r) => r.path === '/response/payments')!.body);
    expect(body).toContain('<@U0JUNIOR2>');
    expect(body).not.toContain('<@U0JUNIOR1>');
  });

  it('counts offers declined, "No learners this time" presses and stages reached, by person, with nothing left "not tracked"', async () => {
    const md = await reportCli(['--format', 'md']);
    expect(md).toContain('**Offers declined**: 1 · **"No learners this time" presses**: 1 · **Stages reached**: 1');
    expect(md).not.toContain('Not tracked yet');
    const json = JSON.parse(await reportCli(['--format', 'json'])) as { teams: Array<{ team: string; figures: { happenings: Record<string, number> } }> };
    expect(json.teams.find((t) => t.team === 'sre')!.figures.happenings).toEqual({ offers_declined: 0, no_learners_presses: 1, stages_reached: 1 });
    expect(json.teams.find((t) => t.team === 'payments')!.figures.happenings).toEqual({ offers_declined: 1, no_learners_presses: 0, stages_reached: 0 });
  });

  it('stops start-up with one line for a TEAM_USERGROUPS handle that is no group', async () => {
    await expect(startHarness({ users: [person('U0LEADXXX', 'Lea')], env: { TEAM_USERGROUPS: 'no-such-team' } })).rejects.toThrow('TEAM_USERGROUPS: "@no-such-team" is not a user group handle in this workspace');
  });
});
