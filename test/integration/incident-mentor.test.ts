import { person, startHarness, waitUntil, type Harness } from '../helpers/harness';
import { buttonPress } from '../helpers/interaction';
import { ResponseUrlSink, type EmulatedMessage } from '../../src/dev/slack-emulator';

// Who leads, who mentors (SPEC.md section 4), end to end: the real app over HTTP, the Slack
// emulator, PostgreSQL. One learner per incident, so that a second one joining is the change.

const TOOL_BOT = { id: 'U0TOOLBOT', name: 'incident-tool', real_name: 'Incident Tool', is_bot: true, bot_id: 'B0INCTOOL' };
const team = [
  TOOL_BOT,
  person('U0LEAD', 'Lou'),
  person('U0SENIOR1', 'Sam'),
  person('U0SENIOR2', 'Sol'),
  person('U0SENIOR3', 'Sia'),
  person('U0MENTORA', 'Ada'),
  person('U0MENTORB', 'Bea'),
  // Asleep in Los Angeles at 10:00 in Berlin: never asked.
  person('U0MENTORC', 'Cy', 'America/Los_Angeles'),
  person('U0JUNIOR1', 'Jo'),
  person('U0JUNIOR2', 'Kim'),
  person('U0JUNIOR3', 'Max'),
  person('U0JUNIOR4', 'Noa'),
  person('U0JUNIOR5', 'Oli'),
  person('U0JUNIOR6', 'Pia'),
];
const SENIORS = ['U0LEAD', 'U0SENIOR1', 'U0SENIOR2', 'U0SENIOR3'];
const OUTSIDE_MENTORS = ['U0MENTORA', 'U0MENTORB', 'U0MENTORC'];

const appNowSec = (h: Harness) => Math.floor(h.app.deps.clock().getTime() / 1000);
const everything = (h: Harness): EmulatedMessage[] => h.emulator.messages.map((m) => ({ ...m }));
const mentorDms = (h: Harness, mentor: string, channelId: string) => h.emulator.messagesTo(mentor).filter((m) => m.text?.startsWith(`You are the mentor in <#${channelId}>`));
const asksTo = (h: Harness, user: string, channelId: string) => h.emulator.messagesTo(user).filter((m) => m.text?.includes(`coach`) && m.text.includes(`<#${channelId}>`));

async function setUpTeam(h: Harness): Promise<void> {
  const db = h.app.deps.db;
  await db.engineer.updateMany({ where: { slackId: { in: SENIORS } }, data: { level: 'senior' } });
  // The lead is mentor-flagged too: only the rule "the lead leads" keeps them from mentoring.
  await db.engineer.updateMany({ where: { slackId: 'U0LEAD' }, data: { isMentor: true } });
  await db.engineer.updateMany({ where: { slackId: { in: OUTSIDE_MENTORS } }, data: { isMentor: true, level: 'mid' } });
  // Seniors and mentors are never the least exposed, but keep them out of the learners anyway.
  await db.engineer.updateMany({ where: { slackId: { in: [...SENIORS, ...OUTSIDE_MENTORS] } }, data: { optedOut: true } });
}

async function openIncident(h: Harness, c: { name: string; creator: string; members?: string[] }): Promise<{ channelId: string; learner: string }> {
  const channel = h.emulator.addChannel({ name: c.name, creator: c.creator, members: c.members ?? [] });
  return { channelId: channel.id, learner: await announce(h, channel.id, c.name, c.creator) };
}

/** channel_created for a channel already set up in the emulator; waits for the invite and welcome of its learner. */
async function announce(h: Harness, channelId: string, name: string, creator: string): Promise<string> {
  const res = await h.sender.event({ type: 'channel_created', channel: { id: channelId, name, created: appNowSec(h), creator } }, { eventTime: appNowSec(h) });
  expect(res.status).toBe(200);
  let learner = '';
  await waitUntil(async () => {
    const p = await h.app.deps.db.participation.findFirst({ where: { incident: { channelId }, role: 'learner', source: 'auto_invite' }, include: { engineer: true } });
    learner = p?.engineer.slackId ?? '';
    const welcomed = await h.app.deps.db.delivery.findFirst({ where: { key: `welcome-dm:${channelId}:${learner}`, status: 'sent' } });
    return welcomed !== null;
  }, `the learner of ${name} to be invited and welcomed`);
  return learner;
}

async function join(h: Harness, user: string, channelId: string): Promise<void> {
  h.emulator.addMember(channelId, user);
  const res = await h.sender.event({ type: 'member_joined_channel', user, channel: channelId, channel_type: 'C', team: h.emulator.teamId }, { eventTime: appNowSec(h) });
  expect(res.status).toBe(200);
}

const incidentOf = (h: Harness, channelId: string) => h.app.deps.db.incident.findUniqueOrThrow({ where: { channelId } });

describe('who leads, who mentors: in the channel', () => {
  let h: Harness;
  beforeAll(async () => {
    // MENTOR_WAIT stays at its default, 10m; the app's clock is moved instead.
    h = await startHarness({ users: team, env: { INVITES_PER_INCIDENT: '1' } });
    await setUpTeam(h);
  });
  afterAll(async () => h?.stop());

  it('a channel an incident tool created and announced "Severity: SEV1 · Incident lead: <@U…>": the named lead leads, is not the mentor, and the bot is named nowhere', async () => {
    const channel = h.emulator.addChannel({ name: 'inc-payments-down', creator: TOOL_BOT.id, members: ['U0LEAD', 'U0SENIOR1'] });
    h.emulator.addMember(channel.id, h.emulator.botUserId);
    h.emulator.postAs({ channel: channel.id, user: TOOL_BOT.id, bot_id: TOOL_BOT.bot_id, text: 'Severity: SEV1 · Incident lead: <@U0LEAD>' });
    const learner = await announce(h, channel.id, 'inc-payments-down', TOOL_BOT.id);

    const incident = await incidentOf(h, channel.id);
    expect(incident.leadSlackId).toBe('U0LEAD');
    expect(incident.mentorSlackId).toBe('U0SENIOR1');
    const roles = await h.app.deps.db.participation.findMany({ where: { incidentId: incident.id }, include: { engineer: true } });
    expect(roles.map((p) => [p.engineer.slackId, p.role]).sort()).toEqual([[learner, 'learner'], ['U0SENIOR1', 'mentor']].sort());
    await waitUntil(() => mentorDms(h, 'U0SENIOR1', channel.id).length === 1, 'the mentor DM');
    // Nothing Smokejumper wrote, in the channel or in any DM, names the bot or asks the lead to mentor.
    await waitUntil(() => h.emulator.messagesTo(learner).some((m) => (m.text ?? '').startsWith('Welcome to')), "the learner's welcome DM");
    const ours = everything(h).filter((m) => m.user === h.emulator.botUserId);
    // The welcome DM and the mentor's DM at least; no intro, as the incident is a sev1 (silent).
    expect(ours.length).toBeGreaterThanOrEqual(2);
    for (const m of ours) {
      expect(JSON.stringify([m.text, m.blocks])).not.toContain(TOOL_BOT.id);
      expect(JSON.stringify([m.text, m.blocks])).not.toContain(TOOL_BOT.bot_id);
    }
    expect(h.emulator.messagesTo('U0LEAD')).toEqual([]);
  });

  it('a bot\'s channel whose messages name no lead is led by the first human who posted, who is then not the mentor', async () => {
    const channel = h.emulator.addChannel({ name: 'inc-edge-errors', creator: TOOL_BOT.id, members: [h.emulator.botUserId, 'U0SENIOR2', 'U0SENIOR3'] });
    h.emulator.postAs({ channel: channel.id, bot_id: 'B0PAGER', username: 'pager', text: 'Paged the on-call for edge 5xx' });
    // Sol posts first and leads; without that rule Sol (first by id among equals) would mentor.
    h.emulator.postAs({ channel: channel.id, user: 'U0SENIOR2', text: 'On it, looking at the edge dashboards' });
    h.emulator.postAs({ channel: channel.id, user: 'U0SENIOR3', text: 'here too' });
    await announce(h, channel.id, 'inc-edge-errors', TOOL_BOT.id);
    expect(await incidentOf(h, channel.id)).toMatchObject({ leadSlackId: 'U0SENIOR2', mentorSlackId: 'U0SENIOR3' });
  });

  it('the mentor gets one DM per incident naming every learner with their experience, updated when a second learner joins', async () => {
    const { channelId } = await h.app.deps.db.incident.findFirstOrThrow({ where: { name: 'inc-payments-down' } });
    const [first] = mentorDms(h, 'U0SENIOR1', channelId);
    const firstLearner = (await h.app.deps.db.participation.findFirstOrThrow({ where: { incident: { channelId }, role: 'learner' }, include: { engineer: true } })).engineer.slackId;
    expect(first!.text).toBe(`You are the mentor in <#${channelId}>: <@${firstLearner}> is there to learn.`);
    expect(JSON.stringify(first!.blocks)).toContain('This is their first fire.');

    // A junior joining on their own is a learner too.
    const second = ['U0JUNIOR1', 'U0JUNIOR2', 'U0JUNIOR3'].find((u) => u !== firstLearner)!;
    await join(h, second, channelId);
    await waitUntil(() => mentorDms(h, 'U0SENIOR1', channelId)[0]?.text?.includes(`<@${second}>`) === true, 'the mentor DM to name the second learner');
    const dms = mentorDms(h, 'U0SENIOR1', channelId);
    expect(dms).toHaveLength(1);
    expect(dms[0]!.ts).toBe(first!.ts);
    expect(dms[0]!.text).toBe(`You are the mentor in <#${channelId}>: <@${firstLearner}> and <@${second}> are there to learn.`);
    expect(h.emulator.callsTo('chat.update').filter((c) => c.args.ts === first!.ts).length).toBeGreaterThanOrEqual(1);
    const incident = await incidentOf(h, channelId);
    expect([incident.mentorDmChannel, incident.mentorDmTs]).toEqual([h.emulator.imOf('U0SENIOR1'), first!.ts]);
  });

  it('a channel with only its lead: a senior who joins at minute 4 becomes the mentor, and the learner hears it; one joining after MENTOR_WAIT does not', async () => {
    const { channelId, learner } = await openIncident(h, { name: 'inc-cache-sev3', creator: 'U0LEAD' });
    expect(await incidentOf(h, channelId)).toMatchObject({ leadSlackId: 'U0LEAD', mentorSlackId: null });

    h.setNow(new Date(h.clock().getTime() + 4 * 60_000));
    await join(h, 'U0SENIOR2', channelId);
    await waitUntil(async () => (await incidentOf(h, channelId)).mentorSlackId === 'U0SENIOR2', 'the senior to become the mentor');
    await waitUntil(() => h.emulator.messagesTo(learner).some((m) => m.text === `Your mentor in <#${channelId}> is now <@U0SENIOR2>.`), 'the learner to hear who mentors');
    await waitUntil(() => mentorDms(h, 'U0SENIOR2', channelId).length === 1, 'the mentor DM');
    // The intro in the channel is brought up to date (chat.update) to name the mentor.
    await waitUntil(() => h.emulator.callsTo('chat.update').some((c) => c.args.channel === channelId && String(c.args.text ?? '').includes('<@U0SENIOR2>')), 'the intro to name the mentor');
    const roles = await h.app.deps.db.participation.findMany({ where: { incident: { channelId } }, include: { engineer: true } });
    expect(roles.find((p) => p.engineer.slackId === 'U0SENIOR2')?.role).toBe('mentor');
    // Nobody outside was asked.
    expect(await h.app.deps.db.mentorAsk.count()).toBe(0);

    const late = await openIncident(h, { name: 'inc-queue-sev3', creator: 'U0LEAD' });
    h.setNow(new Date(h.clock().getTime() + 11 * 60_000));
    await join(h, 'U0SENIOR3', late.channelId);
    await waitUntil(async () => (await h.app.deps.db.participation.count({ where: { incident: { channelId: late.channelId }, engineer: { slackId: 'U0SENIOR3' } } })) === 1, 'the late senior to be recorded');
    const lateRole = await h.app.deps.db.participation.findFirstOrThrow({ where: { incident: { channelId: late.channelId }, engineer: { slackId: 'U0SENIOR3' } } });
    expect(lateRole.role).toBe('responder');
    expect((await incidentOf(h, late.channelId)).mentorSlackId).toBeNull();
  });
});

describe('who leads, who mentors: asking outside the channel', () => {
  let h: Harness;
  const sink = new ResponseUrlSink();
  let seq = 0;
  beforeAll(async () => {
    await sink.start();
    // Seconds instead of minutes, so that the timers run within the test.
    h = await startHarness({ users: team, env: { INVITES_PER_INCIDENT: '1', MENTOR_WAIT: '1s', MENTOR_ASK_TIMEOUT: '4s' } });
    await setUpTeam(h);
    // Ada mentored once this week already: Bea, with none, is asked first.
    const earlier = await h.app.deps.db.incident.create({ data: { channelId: 'C0EARLIER', name: 'inc-earlier', openedAt: new Date(h.clock().getTime() - 86_400_000), selectedAt: new Date(h.clock().getTime() - 86_400_000) } });
    const ada = await h.app.deps.db.engineer.findUniqueOrThrow({ where: { slackId: 'U0MENTORA' } });
    await h.app.deps.db.participation.create({ data: { engineerId: ada.id, incidentId: earlier.id, role: 'mentor', source: 'self_joined', joinedAt: earlier.openedAt } });
  });
  afterAll(async () => {
    await h?.stop();
    await sink.stop();
  });

  async function press(user: string, actionId: string, askId: number): Promise<void> {
    const res = await h.sender.interaction(buttonPress(h.emulator.teamId, user, actionId, String(askId), sink.url(`ask-${++seq}`), true));
    expect(res.status).toBe(200);
  }
  const askOf = async (channelId: string, user: string) =>
    h.app.deps.db.mentorAsk.findFirst({ where: { incident: { channelId }, engineer: { slackId: user } } });
  /** The ask as a person sees it: the DM is there, and so (a moment after Slack answered) is its record. */
  async function askedOf(channelId: string, user: string) {
    await waitUntil(() => asksTo(h, user, channelId).length === 1, `${user} to be asked`);
    await waitUntil(async () => Boolean((await askOf(channelId, user))?.dmTs), `the ask DM to ${user} to be recorded`);
    return (await askOf(channelId, user))!;
  }

  it('with no mentor by MENTOR_WAIT, the mentor-flagged engineer in working hours with the fewest turns is asked; a "Not this time" asks the next, who accepts', async () => {
    const { channelId, learner } = await openIncident(h, { name: 'inc-search-sev3', creator: 'U0LEAD' });
    const bea = await askedOf(channelId, 'U0MENTORB');
    const [ask] = asksTo(h, 'U0MENTORB', channelId);
    expect(ask!.text).toBe(`Could you coach from the side in <#${channelId}>? <@${learner}> is there to learn, and nobody in the channel is free to mentor.`);
    expect(JSON.stringify(ask!.blocks)).toContain('<@U0LEAD> leads the response.');
    expect(asksTo(h, 'U0MENTORA', channelId)).toHaveLength(0);

    await press('U0MENTORB', 'mentor_ask_decline', bea.id);
    const ada = await askedOf(channelId, 'U0MENTORA');
    await waitUntil(() => h.emulator.messagesTo('U0MENTORB').find((m) => m.ts === ask!.ts)!.text === `No problem: someone else will be asked to coach in <#${channelId}>.`, "Bea's ask DM to say so");
    await press('U0MENTORA', 'mentor_ask_accept', ada.id);

    await waitUntil(async () => (await incidentOf(h, channelId)).mentorSlackId === 'U0MENTORA', 'Ada to mentor');
    await waitUntil(() => h.emulator.messagesTo(learner).some((m) => m.text === `Your mentor in <#${channelId}> is now <@U0MENTORA>.`), 'the learner to hear who mentors');
    await waitUntil(() => mentorDms(h, 'U0MENTORA', channelId).length === 1, 'the mentor DM');
    expect(JSON.stringify(mentorDms(h, 'U0MENTORA', channelId)[0]!.blocks)).toContain('You coach from the side');
    expect(h.emulator.messagesTo('U0MENTORA').find((m) => m.ts === ada.dmTs)!.text).toContain('Thank you: you are coaching');
    expect((await h.app.deps.db.mentorAsk.findMany({ where: { incident: { channelId } }, include: { engineer: true }, orderBy: { id: 'asc' } })).map((a) => [a.engineer.slackId, a.state])).toEqual([
      ['U0MENTORB', 'declined'],
      ['U0MENTORA', 'accepted'],
    ]);
    // Cy is outside working hours, and nobody is asked twice; a second press changes nothing.
    expect(asksTo(h, 'U0MENTORC', channelId)).toHaveLength(0);
    await press('U0MENTORB', 'mentor_ask_accept', bea.id);
    await sink.waitFor(1);
    expect(JSON.stringify(sink.received.at(-1)!.body)).toContain('closed already');
    expect((await incidentOf(h, channelId)).mentorSlackId).toBe('U0MENTORA');
  });

  it('no answer within MENTOR_ASK_TIMEOUT asks the next; when nobody else answers, the lead (a human) mentors', async () => {
    const { channelId, learner } = await openIncident(h, { name: 'inc-login-sev3', creator: 'U0LEAD' });
    // Bea declined last time, which is no turn; Ada mentored twice this week now.
    await waitUntil(() => asksTo(h, 'U0MENTORB', channelId).length === 1, 'Bea to be asked');
    await waitUntil(() => asksTo(h, 'U0MENTORA', channelId).length === 1, 'Ada to be asked after Bea timed out', 15_000);
    expect((await askOf(channelId, 'U0MENTORB'))!.state).toBe('timed_out');
    const [beaAsk] = asksTo(h, 'U0MENTORB', channelId);
    expect(h.emulator.messagesTo('U0MENTORB').find((m) => m.ts === beaAsk!.ts)!.text).toContain('No answer in time');

    await waitUntil(async () => (await incidentOf(h, channelId)).mentorSlackId === 'U0LEAD', 'the lead to mentor when nobody else answered', 15_000);
    expect((await askOf(channelId, 'U0MENTORA'))!.state).toBe('timed_out');
    await waitUntil(() => h.emulator.messagesTo(learner).some((m) => m.text === `Your mentor in <#${channelId}> is now <@U0LEAD>.`), 'the learner to hear who mentors');
  });

  it('an incident nobody was there to learn from when MENTOR_WAIT ran out asks for a mentor when a learner comes', async () => {
    const juniors = { slackId: { startsWith: 'U0JUNIOR' } };
    await h.app.deps.db.engineer.updateMany({ where: juniors, data: { optedOut: true } });
    const channel = h.emulator.addChannel({ name: 'inc-cdn-sev3', creator: 'U0LEAD' });
    expect((await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name: channel.name, created: appNowSec(h), creator: 'U0LEAD' } }, { eventTime: appNowSec(h) })).status).toBe(200);
    await waitUntil(async () => (await h.app.deps.db.incident.findUnique({ where: { channelId: channel.id } }))?.selectedAt != null, 'the selection (nobody chosen)');
    await h.app.deps.db.engineer.updateMany({ where: juniors, data: { optedOut: false } });
    // MENTOR_WAIT (1s) passes with no learner: nobody is asked.
    const { id } = await incidentOf(h, channel.id);
    const waitOver = async () =>
      (await h.app.deps.pool.query<{ state: string }>(`SELECT state::text FROM pgboss.job WHERE name = 'mentor' AND data->>'kind' = 'wait-over' AND (data->>'incidentId')::int = $1`, [id])).rows.map((r) => r.state);
    await waitUntil(async () => JSON.stringify(await waitOver()) === '["completed"]', 'the end of MENTOR_WAIT');
    expect(await h.app.deps.db.mentorAsk.count({ where: { incident: { channelId: channel.id } } })).toBe(0);

    await join(h, 'U0JUNIOR6', channel.id);
    await askedOf(channel.id, 'U0MENTORB');
  });

  it('an ask still open when the incident resolves is withdrawn, its DM says so, and a late "I\'ll coach" changes nothing', async () => {
    const { channelId } = await openIncident(h, { name: 'inc-dns-sev3', creator: 'U0LEAD' });
    const bea = await askedOf(channelId, 'U0MENTORB');
    h.emulator.archiveChannel(channelId);
    expect((await h.sender.event({ type: 'channel_archive', channel: channelId, user: 'U0LEAD' }, { eventTime: appNowSec(h) })).status).toBe(200);
    await waitUntil(async () => (await askOf(channelId, 'U0MENTORB'))!.state === 'withdrawn', 'the ask to be withdrawn');
    await waitUntil(() => h.emulator.messagesTo('U0MENTORB').find((m) => m.ts === bea.dmTs)!.text === `<#${channelId}> no longer needs a coach (it is resolved, or has a mentor). Thank you anyway.`, 'the ask DM to say so');
    const replies = sink.received.length;
    await press('U0MENTORB', 'mentor_ask_accept', bea.id);
    await sink.waitFor(replies + 1);
    expect(JSON.stringify(sink.received.at(-1)!.body)).toContain('closed already');
    expect((await incidentOf(h, channelId)).mentorSlackId).toBeNull();
    expect(await h.app.deps.db.mentorAsk.count({ where: { incident: { channelId } } })).toBe(1);
  });
});
