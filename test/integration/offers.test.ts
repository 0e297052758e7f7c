import { loadCandidates } from '../../src/db/engineers';
import { ResponseUrlSink, type EmulatedMessage } from '../../src/dev/slack-emulator';
import { person, startHarness, waitUntil, type Harness } from '../helpers/harness';
import { buttonPress } from '../helpers/interaction';

// INVITE_MODE=offer and "No learners this time" (issue 15), over HTTP against the emulator and PostgreSQL.
const env = { INVITE_MODE: 'offer', OFFER_TIMEOUT: '3s', INVITES_PER_INCIDENT: '2', MAX_VOLUNTEERS_PER_INCIDENT: '0', PROMPT_SCHEDULE: '0s,3s,5s' };

const JUNIORS = ['U0JUN0001', 'U0JUN0002', 'U0JUN0003', 'U0JUN0004', 'U0JUN0005', 'U0JUN0006', 'U0JUN0007', 'U0JUN0008'];
const team = [person('U0LEAD001', 'Lee'), person('U0MENTOR1', 'Mo'), person('U0OUTSIDE', 'Otto'), ...JUNIORS.map((id, i) => person(id, `Junior${i + 1}`))];

interface Reply {
  text?: string;
  response_type?: string;
}

describe('offers and "No learners this time", end to end', () => {
  let h: Harness;
  const sink = new ResponseUrlSink();
  let seq = 0;

  beforeAll(async () => {
    await sink.start();
    h = await startHarness({ users: team, env });
    await h.app.deps.db.engineer.update({ where: { slackId: 'U0LEAD001' }, data: { level: 'senior' } });
    await h.app.deps.db.engineer.update({ where: { slackId: 'U0MENTOR1' }, data: { level: 'senior', isMentor: true } });
    await h.app.deps.db.engineer.update({ where: { slackId: 'U0OUTSIDE' }, data: { level: 'staff', optedOut: true } });
  });
  afterAll(async () => {
    await h?.stop();
    await sink.stop();
  });

  const db = () => h.app.deps.db;
  const appNowSec = () => Math.floor(h.clock().getTime() / 1000);
  const texts = (messages: EmulatedMessage[]) => messages.map((m) => `${m.text ?? ''} ${JSON.stringify(m.blocks ?? [])}`);
  const dmsTo = (user: string) => h.emulator.messagesTo(user);

  /** Presses a button as `user`; resolves with the ephemeral answer at response_url, if one comes. */
  async function press(user: string, actionId: string, value: string, inDm: boolean): Promise<string> {
    const name = `${actionId}-${++seq}`;
    const res = await h.sender.interaction(buttonPress(h.emulator.teamId, user, actionId, value, sink.url(name), inDm));
    expect(res.status).toBe(200);
    return name;
  }
  async function answerAt(name: string): Promise<Reply> {
    await waitUntil(() => sink.received.some((r) => r.path === `/response/${name}`), `the answer at ${name}`);
    return sink.received.find((r) => r.path === `/response/${name}`)!.body as Reply;
  }

  async function openIncident(name: string): Promise<{ channelId: string; incidentId: number }> {
    // The lead created it; the mentor-flagged senior is responding already.
    const channel = h.emulator.addChannel({ name, creator: 'U0LEAD001', members: ['U0MENTOR1'] });
    await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name, created: appNowSec(), creator: 'U0LEAD001' } }, { eventTime: appNowSec() });
    let incidentId = 0;
    await waitUntil(async () => {
      const incident = await db().incident.findUnique({ where: { channelId: channel.id } });
      incidentId = incident?.id ?? 0;
      return Boolean(incident?.selectedAt);
    }, `incident ${name} to be selected`);
    return { channelId: channel.id, incidentId };
  }

  const offersOf = (incidentId: number) => db().offer.findMany({ where: { incidentId }, include: { engineer: true }, orderBy: { id: 'asc' } });
  /** The offer DM as the person sees it now (chat.update changes it in place). */
  const offerDmOf = (offer: { dmChannel: string | null; dmTs: string | null }) => h.emulator.messagesTo(offer.dmChannel!).find((m) => m.ts === offer.dmTs);
  async function sentOffers(incidentId: number, count: number) {
    await waitUntil(async () => (await offersOf(incidentId)).filter((o) => o.dmTs).length >= count, `${count} offer DMs`);
    return offersOf(incidentId);
  }

  it('offer mode: "Not now" asks the next person, "Join" brings one in with one welcome DM, no answer times out, and an open offer closes at resolution', async () => {
    const { channelId, incidentId } = await openIncident('inc-checkout-down');
    h.emulator.setChannelTopic(channelId, { topic: 'SEV3 checkout errors · call <https://acme.zoom.us/j/555|zoom>' });
    const [first, second] = await sentOffers(incidentId, 2);
    // Nobody is put in the channel before they answer.
    expect([...h.emulator.channel(channelId)!.members]).not.toContain(first!.engineer.slackId);
    expect(offerDmOf(first!)!.text).toBe(`There is a fire in <#${channelId}>: would you like to join it to learn?`);

    // "Not now": the offer is declined, its DM says so, its invitation is taken back (not a fire), and a third person is asked.
    await press(first!.engineer.slackId, 'offer_not_now', String(first!.id), true);
    await waitUntil(async () => (await offersOf(incidentId)).length === 3, 'a third offer after the decline');
    expect((await db().offer.findUniqueOrThrow({ where: { id: first!.id } })).status).toBe('declined');
    expect(offerDmOf(first!)!.text).toBe(`Not now for <#${channelId}>: no problem. Someone else is asked instead.`);
    expect(await db().participation.count({ where: { incidentId, engineerId: first!.engineerId } })).toBe(0);
    expect((await db().delivery.findUniqueOrThrow({ where: { key: `invite:${channelId}:${first!.engineer.slackId}` } })).status).toBe('cancelled');

    // "Join": in the channel, the intro names them, and one welcome DM says who leads, who mentors and where the call is.
    await press(second!.engineer.slackId, 'offer_join', String(second!.id), true);
    const learner = second!.engineer.slackId;
    await waitUntil(() => h.emulator.channel(channelId)!.members.has(learner), 'the accepted learner in the channel');
    await waitUntil(() => dmsTo(learner).some((m) => m.text?.startsWith('Welcome to')), 'the welcome DM');
    expect(offerDmOf(second!)!.text).toBe(`You joined <#${channelId}>. A welcome note with who leads and where to ask follows.`);
    const welcome = dmsTo(learner).filter((m) => m.text?.startsWith('Welcome to'));
    expect(welcome).toHaveLength(1);
    const welcomeText = texts(welcome)[0]!;
    expect(welcomeText).toContain('<@U0LEAD001> is leading the response.');
    expect(welcomeText).toContain('<@U0MENTOR1> is your mentor for this one');
    expect(welcomeText).toContain('The call is <https://acme.zoom.us/j/555|here>');
    await waitUntil(() => h.emulator.messagesTo(channelId).some((m) => m.text?.includes('joining to learn')), 'the intro');
    const intro = h.emulator.messagesTo(channelId).find((m) => m.text?.includes('joining to learn'))!;
    expect(intro.text).toBe(`<@${learner}> is joining to learn. <@U0MENTOR1> is mentoring them.`);
    expect(JSON.stringify(intro)).not.toMatch(/least experienced/i);

    // The third offer is not answered: after OFFER_TIMEOUT it expires and a fourth person is asked.
    const third = (await offersOf(incidentId))[2]!;
    await waitUntil(async () => (await db().offer.findUniqueOrThrow({ where: { id: third.id } })).status === 'expired', 'the third offer to time out', 20_000);
    await waitUntil(async () => (await offersOf(incidentId)).filter((o) => o.dmTs).length === 4, 'a fourth offer after the timeout', 15_000);
    expect(offerDmOf(await db().offer.findUniqueOrThrow({ where: { id: third.id } }))!.text).toBe(`This offer for <#${channelId}> timed out, so someone else was asked. No harm done.`);

    // Resolved with the fourth still open: it is withdrawn and its DM says the incident was resolved.
    const fourth = (await offersOf(incidentId))[3]!;
    h.emulator.archiveChannel(channelId);
    await h.sender.event({ type: 'channel_archive', channel: channelId, user: 'U0LEAD001' });
    await waitUntil(async () => (await db().offer.findUniqueOrThrow({ where: { id: fourth.id } })).status === 'withdrawn', 'the open offer closed at resolution');
    await waitUntil(() => offerDmOf(fourth)?.text === `<#${channelId}> was resolved before you answered, so this offer is closed.`, 'the open offer DM updated');
    expect(await db().participation.count({ where: { incidentId, engineerId: fourth.engineerId } })).toBe(0);

    // A late "Join" on the closed offer changes nothing.
    const late = await press(fourth.engineer.slackId, 'offer_join', String(fourth.id), true);
    expect((await answerAt(late)).text).toContain('This offer is closed.');
    expect(h.emulator.channel(channelId)!.members.has(fourth.engineer.slackId)).toBe(false);
    // Declined and expired offers count toward the weekly cap, as the candidates query reads it.
    const candidates = await loadCandidates(db(), h.clock());
    for (const who of [first!, third]) {
      const candidate = candidates.find((c) => c.slackId === who.engineer.slackId)!;
      expect(candidate.autoInvitesLast7d).toBe(1);
      // ...and never toward exposure: no fire in their history.
      expect(candidate.lastJoinedAt).toBeNull();
      expect(candidate.history.learner).toEqual({ recent: 0, year: 0, older: 0 });
    }
  }, 60_000);

  it('"No learners this time": a learner\'s press does nothing; a responder\'s stops the prompts, withdraws offers, tells the learner kindly and lets nobody else in; a second press changes nothing', async () => {
    const { channelId, incidentId } = await openIncident('inc-search-slow');
    h.emulator.addBookmark({ channel: channelId, title: 'Bridge', link: 'https://meet.google.com/abc-defg-hij', by: 'U0LEAD001' });
    const [accepted, open] = await sentOffers(incidentId, 2);
    const learner = accepted!.engineer.slackId;
    await press(learner, 'offer_join', String(accepted!.id), true);
    await waitUntil(() => dmsTo(learner).some((m) => m.text?.startsWith('Welcome to')), 'the welcome DM');
    expect(texts(dmsTo(learner).filter((m) => m.text?.startsWith('Welcome to')))[0]).toContain('The call is <https://meet.google.com/abc-defg-hij|here>');
    await waitUntil(() => h.emulator.messagesTo(channelId).some((m) => m.text?.includes('joining to learn')), 'the intro');
    const intro = h.emulator.messagesTo(channelId).find((m) => m.text?.includes('joining to learn'))!;
    expect(JSON.stringify(intro.blocks)).toContain('"action_id":"no_learners"');

    // A learner's press does nothing.
    const byLearner = await press(learner, 'no_learners', String(incidentId), false);
    expect((await answerAt(byLearner)).text).toContain('This button is for the responders');
    expect((await db().incident.findUniqueOrThrow({ where: { id: incidentId } })).noLearnersAt).toBeNull();
    // Someone outside the channel cannot press it either (membership is asked of Slack).
    const byOutsider = await press('U0OUTSIDE', 'no_learners', String(incidentId), false);
    expect((await answerAt(byOutsider)).text).toContain('Only people in the incident channel');

    // The responder's press.
    const byResponder = await press('U0MENTOR1', 'no_learners', String(incidentId), false);
    expect((await answerAt(byResponder)).text).toContain('Done: nobody else will be invited');
    const stamped = await db().incident.findUniqueOrThrow({ where: { id: incidentId } });
    expect(stamped.noLearnersBy).toBe('U0MENTOR1');
    expect(stamped.noLearnersAt).not.toBeNull();
    expect((await db().offer.findUniqueOrThrow({ where: { id: open!.id } })).status).toBe('withdrawn');
    await waitUntil(() => offerDmOf(open!)?.text === `The responders in <#${channelId}> asked to keep the channel small, so this offer is withdrawn.`, 'the open offer DM withdrawn');
    const keptSmall = () => dmsTo(learner).filter((m) => m.text === `The responders in <#${channelId}> asked to keep the channel small this time.`);
    expect(keptSmall()).toHaveLength(1);
    const introNow = h.emulator.messagesTo(channelId).find((m) => m.ts === intro.ts)!;
    expect(JSON.stringify(introNow.blocks)).not.toContain('no_learners');
    // Prompts 2 and 3 were cancelled and never arrive.
    expect((await db().delivery.findMany({ where: { key: { startsWith: `prompt:${channelId}:${learner}:` } } })).map((d) => d.status)).toEqual(['cancelled', 'cancelled']);

    // Nobody else is invited: the volunteers' Join button is refused.
    const join = await press('U0JUN0008', 'join_incident', String(incidentId), false);
    expect((await answerAt(join)).text).toContain('asked to keep the channel small this time, so nobody else joins it');
    expect(h.emulator.channel(channelId)!.members.has('U0JUN0008')).toBe(false);

    // A second press changes nothing more.
    const again = await press('U0LEAD001', 'no_learners', String(incidentId), false);
    expect((await answerAt(again)).text).toBe('<@U0MENTOR1> already asked for no learners this time, so nothing changed.');
    expect((await db().incident.findUniqueOrThrow({ where: { id: incidentId } })).noLearnersBy).toBe('U0MENTOR1');
    expect(keptSmall()).toHaveLength(1);
    expect(dmsTo(learner).filter((m) => m.text?.startsWith('Smokejumper prompt'))).toHaveLength(0);
  }, 60_000);
});

describe('"No learners this time" with INVITE_MODE=invite (the default)', () => {
  let h: Harness;
  const sink = new ResponseUrlSink();
  beforeAll(async () => {
    await sink.start();
    h = await startHarness({ users: team, env: { INVITES_PER_INCIDENT: '2', MAX_VOLUNTEERS_PER_INCIDENT: '0', PROMPT_SCHEDULE: '0s,3s,5s' } });
    await h.app.deps.db.engineer.update({ where: { slackId: 'U0MENTOR1' }, data: { level: 'senior', isMentor: true } });
    await h.app.deps.db.engineer.update({ where: { slackId: 'U0LEAD001' }, data: { level: 'senior' } });
  });
  afterAll(async () => {
    await h?.stop();
    await sink.stop();
  });

  it('stops the invited learners\' prompts, and nobody else is brought in: /volunteer now, or a junior who joins on their own', async () => {
    const db = h.app.deps.db;
    const appNowSec = () => Math.floor(h.clock().getTime() / 1000);
    const channel = h.emulator.addChannel({ name: 'inc-api-errors', creator: 'U0LEAD001', members: ['U0MENTOR1'] });
    await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name: channel.name, created: appNowSec(), creator: 'U0LEAD001' } }, { eventTime: appNowSec() });
    await waitUntil(() => h.emulator.messagesTo(channel.id).some((m) => m.text?.includes('joining to learn')), 'the intro');
    const incident = await db.incident.findUniqueOrThrow({ where: { channelId: channel.id }, include: { participations: { where: { role: 'learner' }, include: { engineer: true } } } });
    const learners = incident.participations.map((p) => p.engineer.slackId);
    expect(learners).toHaveLength(2);
    await waitUntil(() => learners.every((l) => h.emulator.messagesTo(l).some((m) => m.text?.startsWith('Welcome to'))), 'the welcome DMs');

    const res = await h.sender.interaction(buttonPress(h.emulator.teamId, 'U0LEAD001', 'no_learners', String(incident.id), sink.url('press'), false));
    expect(res.status).toBe(200);
    await waitUntil(() => sink.received.some((r) => r.path === '/response/press'), 'the answer to the press');
    for (const learner of learners) {
      expect(h.emulator.messagesTo(learner).filter((m) => m.text?.includes('asked to keep the channel small this time'))).toHaveLength(1);
      expect((await db.delivery.findMany({ where: { key: { startsWith: `prompt:${channel.id}:${learner}:` } } })).map((d) => d.status)).toEqual(['cancelled', 'cancelled']);
    }

    // /volunteer now does not bring a volunteer into it (it is not offered any more).
    const spare = JUNIORS.find((j) => !learners.includes(j))!;
    await h.sender.command({ user_id: spare, text: 'now', response_url: sink.url('now') });
    await waitUntil(() => sink.received.some((r) => r.path === '/response/now'), 'the answer to /volunteer now');
    expect(h.emulator.channel(channel.id)!.members.has(spare)).toBe(false);
    expect(h.emulator.callsTo('conversations.invite').filter((c) => c.args.users === spare)).toHaveLength(0);

    // A junior who joins on their own is not coached there.
    h.emulator.addMember(channel.id, 'U0JUN0008');
    await h.sender.event({ type: 'member_joined_channel', user: 'U0JUN0008', channel: channel.id, channel_type: 'C', team: h.emulator.teamId }, { eventTime: appNowSec() });
    await waitUntil(async () => (await db.participation.count({ where: { incidentId: incident.id, engineer: { slackId: 'U0JUN0008' } } })) === 1, 'the join recorded');
    await waitUntil(async () => (await db.slackEvent.count({ where: { processedAt: null } })) === 0, 'every event processed');
    expect(await db.delivery.count({ where: { incidentId: incident.id, key: { contains: 'U0JUN0008' } } })).toBe(0);

    // A second press tells nobody new, not even the junior who joined since.
    await h.sender.interaction(buttonPress(h.emulator.teamId, 'U0MENTOR1', 'no_learners', String(incident.id), sink.url('again'), false));
    await waitUntil(() => sink.received.some((r) => r.path === '/response/again'), 'the answer to the second press');
    expect((sink.received.find((r) => r.path === '/response/again')!.body as Reply).text).toBe('<@U0LEAD001> already asked for no learners this time, so nothing changed.');
    expect(h.emulator.messagesTo('U0JUN0008')).toHaveLength(0);
    for (const learner of learners) expect(h.emulator.messagesTo(learner).filter((m) => m.text?.includes('asked to keep the channel small this time'))).toHaveLength(1);
  }, 60_000);
});
