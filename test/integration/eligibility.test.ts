import { ResponseUrlSink, SlackEmulator } from '../../src/dev/slack-emulator';
import { sendDueDigests } from '../../src/flows/digest-flow';
import { pressHomeButton, startHarness, waitUntil, person, type Harness } from '../helpers/harness';
import { buttonPress } from '../helpers/interaction';

/**
 * Who is a candidate, and what people the roster never classified get (issue 14, SPEC.md sections
 * 3 and 4), over HTTP against the Slack emulator and PostgreSQL.
 */

const DAY = 86_400_000;

interface Reply {
  text: string;
  blocks: Array<{ type: string; block_id?: string; text?: { text: string }; elements?: Array<{ action_id?: string; value?: string; text?: { text: string } }> }>;
}

async function openIncident(h: Harness, name: string, members: string[] = []) {
  const channel = h.emulator.addChannel({ name, creator: 'U0CREATOR', members });
  await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name, created: Math.floor(h.clock().getTime() / 1000), creator: 'U0CREATOR' } });
  await waitUntil(async () => (await h.app.deps.db.incident.findFirst({ where: { channelId: channel.id, selectedAt: { not: null } } })) !== null, `the selection for ${name}`);
  // The invites, intro and welcome DMs go out after the selection; wait until the ledger has none pending.
  await waitUntil(async () => (await h.app.deps.db.delivery.count({ where: { key: { contains: channel.id }, status: { in: ['pending', 'sending'] }, kind: { in: ['invite', 'intro', 'welcome-dm'] } } })) === 0, `the invites of ${name}`);
  return channel;
}

const invitedTo = (h: Harness, channelId: string) => h.emulator.callsTo('conversations.invite').filter((c) => c.args.channel === channelId).map((c) => String(c.args.users)).sort();

async function joinOnTheirOwn(h: Harness, user: string, channelId: string) {
  h.emulator.addMember(channelId, user);
  await h.sender.event({ type: 'member_joined_channel', user, channel: channelId, channel_type: 'C', team: h.emulator.teamId });
  await waitUntil(async () => (await h.app.deps.db.participation.count({ where: { engineer: { slackId: user }, incident: { channelId } } })) === 1, `${user}'s participation`);
}

const roleIn = async (h: Harness, user: string, channelId: string) =>
  (await h.app.deps.db.participation.findFirstOrThrow({ where: { engineer: { slackId: user }, incident: { channelId } } })).role;

/** The coaching DMs planned for a person (prompts, mentor DM about them), whatever their state. */
const coachingPlannedFor = async (h: Harness, user: string) => {
  const { id } = await h.app.deps.db.engineer.findUniqueOrThrow({ where: { slackId: user } });
  return h.app.deps.db.delivery.count({ where: { engineerId: id, kind: { in: ['prompt', 'mentor-dm', 'reflection'] } } });
};

describe('ELIGIBLE_USERGROUPS=engineering', () => {
  let h: Harness;
  let engineering: string;
  beforeAll(async () => {
    h = await startHarness({
      users: [person('U0CREATOR', 'Casey'), person('U0JUNIOR1', 'Jo'), person('U0ASALES1', 'Sally'), person('U0SENIOR1', 'Sam')],
      userGroups: [{ handle: 'engineering', users: ['U0CREATOR', 'U0JUNIOR1', 'U0SENIOR1'] }],
      env: { ELIGIBLE_USERGROUPS: 'engineering', INVITES_PER_INCIDENT: '1' },
    });
    engineering = [...h.emulator.userGroups.values()].find((g) => g.handle === 'engineering')!.id;
    await waitUntil(async () => (await h.app.deps.db.usergroupMember.count()) === 3, 'the engineering members stored at start');
    await h.app.deps.db.engineer.update({ where: { slackId: 'U0SENIOR1' }, data: { level: 'senior', levelSource: 'roster' } });
  });
  afterAll(async () => h?.stop());

  it('never invites, coaches or sends a digest to a salesperson, who is recorded as a responder when she joins', async () => {
    // Sally's id sorts first: among people equally new she would be the one invited, were she a candidate.
    const channel = await openIncident(h, 'inc-checkout-errors');
    expect(invitedTo(h, channel.id)).toEqual(['U0JUNIOR1']);

    await joinOnTheirOwn(h, 'U0ASALES1', channel.id);
    expect(await roleIn(h, 'U0ASALES1', channel.id)).toBe('responder');
    expect(await coachingPlannedFor(h, 'U0ASALES1')).toBe(0);
    expect(h.emulator.messagesTo('U0ASALES1')).toEqual([]);

    // Last week's digest, for people known since long before it fell due.
    const db = h.app.deps.db;
    await db.engineer.updateMany({ data: { createdAt: new Date(h.clock().getTime() - 60 * DAY) } });
    await db.digest.deleteMany({});
    await sendDueDigests(h.app.deps, h.clock());
    const rows = await db.digest.findMany({ include: { engineer: true } });
    // Jo's week held nothing, so hers is a quiet week (SPEC.md section 7), not a refusal.
    expect(rows.find((r) => r.engineer.slackId === 'U0JUNIOR1')).toMatchObject({ status: 'skipped', error: 'quiet_week' });
    expect(rows.find((r) => r.engineer.slackId === 'U0ASALES1')).toMatchObject({ status: 'skipped', error: 'not_eligible' });
    expect(h.emulator.messagesTo('U0ASALES1')).toEqual([]);
    expect(h.emulator.messagesTo('U0JUNIOR1').length).toBeGreaterThanOrEqual(1);
  });

  it('shows her a Home tab with nothing to switch, and /volunteer offers her nothing', async () => {
    await h.sender.event({ type: 'app_home_opened', user: 'U0ASALES1', channel: 'D0442US94JD', tab: 'home' });
    await waitUntil(() => h.emulator.homeViewOf('U0ASALES1') !== undefined, "Sally's home tab");
    expect(JSON.stringify(h.emulator.homeViewOf('U0ASALES1')!.blocks)).toContain('you are not in one, so there is nothing to switch here');
    const sink = new ResponseUrlSink();
    await sink.start();
    try {
      await h.sender.command({ user_id: 'U0ASALES1', text: 'now', response_url: sink.url('sally-now') });
      await waitUntil(() => sink.received.length === 1, 'the answer to /volunteer now');
      expect((sink.received[0]!.body as Reply).text).toMatch(/^Smokejumper brings the members of certain user groups/);
    } finally {
      await sink.stop();
    }
  });

  it('makes her a candidate the moment the group gains her (subteam_members_changed)', async () => {
    const changed = h.emulator.setUserGroupMembers(engineering, ['U0CREATOR', 'U0JUNIOR1', 'U0SENIOR1', 'U0ASALES1'])!;
    expect(changed).toMatchObject({ type: 'subteam_members_changed', subteam_id: engineering, added_users: ['U0ASALES1'], removed_users: [] });
    await h.sender.event(changed);
    await waitUntil(async () => (await h.app.deps.db.usergroupMember.count({ where: { userId: 'U0ASALES1' } })) === 1, 'Sally stored as a member of engineering');

    // Jo is in the channel already: the least exposed candidate left is Sally, not the senior.
    const channel = await openIncident(h, 'inc-payments-slow', ['U0JUNIOR1']);
    expect(invitedTo(h, channel.id)).toEqual(['U0ASALES1']);
    expect(await roleIn(h, 'U0ASALES1', channel.id)).toBe('learner');
  });

  it('drops members the group loses, and a disabled group (subteam_updated) has none', async () => {
    await h.sender.event(h.emulator.setUserGroupMembers(engineering, ['U0CREATOR', 'U0JUNIOR1', 'U0SENIOR1'])!);
    await waitUntil(async () => (await h.app.deps.db.usergroupMember.count({ where: { userId: 'U0ASALES1' } })) === 0, 'Sally no longer a member');
    await h.sender.event(h.emulator.updateUserGroup(engineering, { disabled: true }));
    await waitUntil(async () => (await h.app.deps.db.usergroupMember.count()) === 0, 'no members left in a disabled group');
    const channel = await openIncident(h, 'inc-nobody-eligible');
    expect(invitedTo(h, channel.id)).toEqual([]);
  });
});

describe('people nobody classified (level unknown)', () => {
  let h: Harness;
  const sink = new ResponseUrlSink();
  let seq = 0;
  beforeAll(async () => {
    await sink.start();
    h = await startHarness({
      users: [person('U0CREATOR', 'Casey'), person('U0SEASONE', 'Una'), person('U0NEWBIE1', 'Newt'), person('U0IVYXXX1', 'Ivy')],
      env: { INVITES_PER_INCIDENT: '2', MAX_AUTO_INVITES_PER_WEEK: '50', ADMIN_USER_IDS: 'U0CREATOR' },
    });
    await h.app.deps.db.engineer.update({ where: { slackId: 'U0CREATOR' }, data: { level: 'staff', levelSource: 'roster' } });
  });
  afterAll(async () => {
    await h?.stop();
    await sink.stop();
  });

  async function press(user: string, actionId: string, value: string): Promise<Reply> {
    const name = `btn-${++seq}`;
    const res = await h.sender.interaction(buttonPress(h.emulator.teamId, user, actionId, value, sink.url(name), true));
    expect(res.status).toBe(200);
    await waitUntil(() => sink.received.some((r) => r.path === `/response/${name}`), `the answer to ${actionId}`);
    return sink.received.find((r) => r.path === `/response/${name}`)!.body as Reply;
  }

  it('starts everyone the roster never classified as unknown, with nobody named as the source', async () => {
    const una = await h.app.deps.db.engineer.findUniqueOrThrow({ where: { slackId: 'U0SEASONE' } });
    expect([una.level, una.levelSource, una.experienced]).toEqual(['unknown', null, false]);
  });

  it('does not coach an unknown senior with 6 past fires who joins on their own; an unknown newcomer is coached', async () => {
    const db = h.app.deps.db;
    const una = await db.engineer.findUniqueOrThrow({ where: { slackId: 'U0SEASONE' } });
    // Six fires over the past year, as a backfill records them: resolved incidents, Una a responder.
    for (let i = 1; i <= 6; i++) {
      const openedAt = new Date(h.clock().getTime() - i * 40 * DAY);
      const incident = await db.incident.create({ data: { channelId: `C0PAST0000${i}`, name: `inc-past-${i}`, openedAt, resolvedAt: new Date(openedAt.getTime() + 3_600_000), selectedAt: openedAt } });
      await db.participation.create({ data: { engineerId: una.id, incidentId: incident.id, role: 'responder', source: 'self_joined', joinedAt: openedAt } });
    }
    // Una and Newt are in the channel before the selection, so neither is invited.
    const channel = await openIncident(h, 'inc-search-down', ['U0SEASONE', 'U0NEWBIE1']);
    await joinOnTheirOwn(h, 'U0SEASONE', channel.id);
    await joinOnTheirOwn(h, 'U0NEWBIE1', channel.id);
    expect(await roleIn(h, 'U0SEASONE', channel.id)).toBe('responder');
    expect(await roleIn(h, 'U0NEWBIE1', channel.id)).toBe('learner');
    // Newt's orientation is his first DM from Smokejumper: it asks what he is here for.
    await waitUntil(() => h.emulator.messagesTo('U0NEWBIE1').length >= 1, "Newt's first prompt");
    const first = h.emulator.messagesTo('U0NEWBIE1')[0]!;
    expect(JSON.stringify(first.blocks)).toContain('"action_id":"level_choice"');
    expect(await coachingPlannedFor(h, 'U0SEASONE')).toBe(0);
    expect(h.emulator.messagesTo('U0SEASONE')).toEqual([]);
  });

  it('"I\'m an experienced responder" in the welcome DM stops every invite for that person', async () => {
    // The fire before is over: someone still learning in an open incident is not invited to another (SPEC.md section 4).
    await h.app.deps.db.incident.updateMany({ where: { resolvedAt: null }, data: { resolvedAt: h.clock() } });
    const first = await openIncident(h, 'inc-first-for-ivy');
    expect(invitedTo(h, first.id)).toContain('U0IVYXXX1');
    // The welcome DM is the first entry of PROMPT_SCHEDULE, sent by its job.
    await waitUntil(() => h.emulator.messagesTo('U0IVYXXX1').length > 0, "Ivy's welcome DM");
    const welcome = h.emulator.messagesTo('U0IVYXXX1')[0]!;
    const buttons = (welcome.blocks as Reply['blocks']).filter((b) => b.block_id === 'level_choice').flatMap((b) => b.elements ?? []);
    expect(buttons.map((b) => [b.text?.text, b.action_id, b.value])).toEqual([
      ["I'm here to learn", 'level_choice', 'learn'],
      ["I'm an experienced responder", 'level_choice', 'experienced'],
    ]);

    const answer = await press('U0IVYXXX1', 'level_choice', 'experienced');
    expect(answer.text).toMatch(/^Thanks: you are an experienced responder/);
    const ivy = await h.app.deps.db.engineer.findUniqueOrThrow({ where: { slackId: 'U0IVYXXX1' } });
    expect([ivy.level, ivy.experienced]).toEqual(['unknown', true]);

    // /volunteer on tells her it makes no difference; set anyway, volunteering does not bring her in as a learner.
    const name = `cmd-${++seq}`;
    await h.sender.command({ user_id: 'U0IVYXXX1', text: 'on', response_url: sink.url(name) });
    await waitUntil(() => sink.received.some((r) => r.path === `/response/${name}`), 'the answer to /volunteer on');
    expect((sink.received.find((r) => r.path === `/response/${name}`)!.body as Reply).text).toMatch(/^You said you are an experienced responder, so Smokejumper does not invite you/);
    await h.app.deps.db.engineer.update({ where: { slackId: 'U0IVYXXX1' }, data: { volunteerUntil: new Date(h.clock().getTime() + DAY) } });
    const second = await openIncident(h, 'inc-second-for-ivy', ['U0SEASONE', 'U0NEWBIE1']);
    expect(invitedTo(h, second.id)).toEqual([]);

    // She joins anyway: never coached, and a mentor candidate in the channel, so the first to come
    // within MENTOR_WAIT of an incident without a mentor mentors it (SPEC.md section 4).
    // The join is stored as a responder first; the mentor check runs after it (it reads who leads).
    const coachingBefore = await coachingPlannedFor(h, 'U0IVYXXX1');
    await joinOnTheirOwn(h, 'U0IVYXXX1', second.id);
    await waitUntil(async () => (await roleIn(h, 'U0IVYXXX1', second.id)) === 'mentor', 'Ivy as the mentor of the second incident');
    expect((await h.app.deps.db.incident.findFirstOrThrow({ where: { channelId: second.id } })).mentorSlackId).toBe('U0IVYXXX1');
    expect(await coachingPlannedFor(h, 'U0IVYXXX1')).toBe(coachingBefore);
  });

  it('shows the same choice on the Home tab, marks the current one and lets them change it', async () => {
    await h.sender.event({ type: 'app_home_opened', user: 'U0IVYXXX1', channel: 'D0442US94JD', tab: 'home' });
    await waitUntil(() => h.emulator.homeViewOf('U0IVYXXX1') !== undefined, "Ivy's home tab");
    const home = JSON.stringify(h.emulator.homeViewOf('U0IVYXXX1')!.blocks);
    expect(home).toContain("you said _I'm an experienced responder_");
    expect(home).toContain('"action_id":"home_level_choice"');
    const published = h.emulator.callsTo('views.publish').length;
    await pressHomeButton(h, 'U0IVYXXX1', 'home_level_choice', 'learn', 'level_choice');
    await waitUntil(() => h.emulator.callsTo('views.publish').length > published, 'the home tab published again');
    const ivy = await h.app.deps.db.engineer.findUniqueOrThrow({ where: { slackId: 'U0IVYXXX1' } });
    expect([ivy.level, ivy.levelSource, ivy.experienced]).toEqual(['junior', 'person', false]);
    expect(JSON.stringify(h.emulator.homeViewOf('U0IVYXXX1')!.blocks)).toContain("you said _I'm here to learn_");
    // Back to experienced, as the rest of this file has her.
    await pressHomeButton(h, 'U0IVYXXX1', 'home_level_choice', 'experienced', 'level_choice');
    await waitUntil(async () => (await h.app.deps.db.engineer.findUniqueOrThrow({ where: { slackId: 'U0IVYXXX1' } })).experienced, 'Ivy experienced again');
  });

  it('says in /volunteer stats where a level came from, and an admin overrides the person', async () => {
    const statsOf = async (user: string) => {
      const name = `cmd-${++seq}`;
      await h.sender.command({ user_id: user, text: 'stats', response_url: sink.url(name) });
      await waitUntil(() => sink.received.some((r) => r.path === `/response/${name}`), `the stats of ${user}`);
      return JSON.stringify((sink.received.find((r) => r.path === `/response/${name}`)!.body as Reply).blocks);
    };
    expect(await statsOf('U0SEASONE')).toContain('Your level: unknown, nobody has set it yet.');
    expect(await statsOf('U0CREATOR')).toContain('Your level: staff, from the roster.');
    expect(await statsOf('U0IVYXXX1')).toContain('Your level: junior, your own choice; you said you are an experienced responder.');

    const learn = await press('U0NEWBIE1', 'level_choice', 'learn');
    expect(learn.text).toMatch(/^Thanks: you are here to learn/);
    const newt = await h.app.deps.db.engineer.findUniqueOrThrow({ where: { slackId: 'U0NEWBIE1' } });
    expect([newt.level, newt.levelSource]).toEqual(['junior', 'person']);

    const name = `cmd-${++seq}`;
    await h.sender.command({ user_id: 'U0CREATOR', text: 'admin level <@U0NEWBIE1> mid', response_url: sink.url(name) });
    await waitUntil(() => sink.received.some((r) => r.path === `/response/${name}`), 'the admin command');
    expect((sink.received.find((r) => r.path === `/response/${name}`)!.body as Reply).text).toBe('<@U0NEWBIE1> is now mid (was junior).');
    const refused = await press('U0NEWBIE1', 'level_choice', 'learn');
    expect(refused.text).toBe('Your level is mid, set by a Smokejumper admin, so it stays as it is. Whoever runs Smokejumper can change it. Nothing changed.');
    expect(await statsOf('U0NEWBIE1')).toContain('Your level: mid, set by an admin.');
  });

  it("asks in the weekly digest when that is someone's first DM, and only then", async () => {
    const db = h.app.deps.db;
    // Una was in fires as a responder but never got a DM; Ivy was asked in her welcome DM.
    expect((await db.engineer.findUniqueOrThrow({ where: { slackId: 'U0SEASONE' } })).levelAskedAt).toBeNull();
    await db.engineer.updateMany({ data: { createdAt: new Date(h.clock().getTime() - 60 * DAY) } });
    // This week's fires happened last week, so that last week's digest has something in it (a quiet week sends none).
    await db.participation.updateMany({ where: { joinedAt: { gte: new Date(h.clock().getTime() - DAY) } }, data: { joinedAt: new Date(h.clock().getTime() - 7 * DAY) } });
    await db.digest.deleteMany({});
    await sendDueDigests(h.app.deps, h.clock());
    const digestTo = (user: string) => h.emulator.messagesTo(user).find((m) => m.text?.includes('week'))!;
    const asks = (user: string) => JSON.stringify(digestTo(user).blocks).includes('"action_id":"level_choice"');
    expect(asks('U0SEASONE')).toBe(true);
    expect(asks('U0IVYXXX1')).toBe(false);
    expect((await db.engineer.findUniqueOrThrow({ where: { slackId: 'U0SEASONE' } })).levelAskedAt).not.toBeNull();
  });
});

describe('ADMIN_USERGROUPS and the admin commands', () => {
  let h: Harness;
  const sink = new ResponseUrlSink();
  beforeAll(async () => {
    await sink.start();
    h = await startHarness({
      users: [person('U0LEADXXX', 'Lea'), person('U0JUNIOR1', 'Jo')],
      userGroups: [{ handle: 'sre-leads', users: ['U0LEADXXX'] }],
      env: { ADMIN_USERGROUPS: '@sre-leads' },
    });
    await waitUntil(async () => (await h.app.deps.db.usergroupMember.count()) === 1, 'the sre-leads members stored at start');
  });
  afterAll(async () => {
    await h?.stop();
    await sink.stop();
  });

  async function slash(user: string, text: string, name: string): Promise<Reply> {
    const res = await h.sender.command({ user_id: user, text, response_url: sink.url(name) });
    expect(res.status).toBe(200);
    // Whether someone is an admin is in the database, which the acknowledgement never waits for.
    expect(res.body).toBe('');
    await waitUntil(() => sink.received.some((r) => r.path === `/response/${name}`), `the answer to ${text}`);
    return sink.received.find((r) => r.path === `/response/${name}`)!.body as Reply;
  }

  it('answers /volunteer admin report to a member of an admin user group, and refuses a non-member', async () => {
    const report = await slash('U0LEADXXX', 'admin report', 'lea-report');
    expect(report.text).not.toMatch(/^Sorry/);
    expect(report.text).toBe('Fires joined in the last 4 weeks: 2 people, 2 with none.');
    expect(JSON.stringify(report.blocks)).toContain('<@U0JUNIOR1> · unknown · never joined one');
    const refused = await slash('U0JUNIOR1', 'admin report', 'jo-report');
    expect(refused.text).toBe('Sorry, admin commands are only for the Smokejumper admins. Nothing changed.');
  });

  it('stops start-up with one line naming an ADMIN_USERGROUPS or ELIGIBLE_USERGROUPS handle that is no group', async () => {
    await expect(startHarness({ users: [person('U0LEADXXX', 'Lea')], env: { ADMIN_USERGROUPS: '@no-such-leads' } })).rejects.toThrow(
      'ADMIN_USERGROUPS: "@no-such-leads" is not a user group handle in this workspace',
    );
    await expect(startHarness({ users: [person('U0LEADXXX', 'Lea')], userGroups: [{ handle: 'engineering', users: [] }], env: { ELIGIBLE_USERGROUPS: 'engineering,@nope' } })).rejects.toThrow(
      'ELIGIBLE_USERGROUPS: "@nope" is not a user group handle in this workspace',
    );
  });
});

describe('on Enterprise Grid', () => {
  let h: Harness;
  const emulator = new SlackEmulator({ enterpriseId: 'E0ORG0001' });
  beforeAll(async () => {
    await emulator.start();
    // The workspace's own member, two members homed in other workspaces of the organisation (W… ids), and outsiders.
    for (const u of [
      person('U0CREATOR', 'Casey'),
      person('W0HOME001', 'Hana'),
      person('W0OTHER01', 'Otto', 'Europe/Berlin', { team_id: 'T0OTHERWS' }),
      person('W0THIRD01', 'Thea', 'Europe/Berlin', { team_id: 'T0THIRDWS' }),
      person('W0INVITED', 'Ivo', 'Europe/Berlin', { is_invited_user: true }),
      person('W0PARTNER', 'Pat', 'Europe/Berlin', { team_id: 'T0PARTNER', enterprise_id: 'E0PARTNER' }),
    ]) emulator.addUser(u);
    h = await startHarness({ emulator, env: { INVITES_PER_INCIDENT: '5' } });
    await waitUntil(async () => (await h.app.deps.db.engineer.count()) >= 5, 'the roster sync at start');
  });
  afterAll(async () => {
    await h?.stop();
    await emulator.stop();
  });

  it('takes members of every workspace of the organisation as candidates, not an invitee or a partner', async () => {
    const people = await h.app.deps.db.engineer.findMany({ orderBy: { slackId: 'asc' }, select: { slackId: true, active: true } });
    expect(people.map((p) => [p.slackId, p.active])).toEqual([
      ['U0CREATOR', true],
      ['W0HOME001', true],
      ['W0INVITED', false],
      ['W0OTHER01', true],
      ['W0THIRD01', true],
    ]);
    const channel = await openIncident(h, 'inc-grid-outage');
    expect(invitedTo(h, channel.id)).toEqual(['W0HOME001', 'W0OTHER01', 'W0THIRD01']);
    // Someone from the partner organisation in the channel is recorded, never coached.
    await joinOnTheirOwn(h, 'W0PARTNER', channel.id);
    expect(await roleIn(h, 'W0PARTNER', channel.id)).toBe('responder');
    expect(await coachingPlannedFor(h, 'W0PARTNER')).toBe(0);
  });
});
