import { person, pressHomeButton, startHarness, waitUntil, type Harness } from '../helpers/harness';
import { buttonPress } from '../helpers/interaction';
import { ResponseUrlSink, type EmulatedMessage } from '../../src/dev/slack-emulator';
import { PRACTICE_OFFER_JOB } from '../../src/jobs/practice-offer';
import { composeDigests } from '../../src/flows/digest-flow';
import { weekStartOf } from '../../src/domain/iso-week';

/**
 * Practice fires end to end (SPEC.md "Practice fires"): the real app over HTTP, PostgreSQL and the
 * Slack emulator, with past incidents whose channels hold their real conversation.
 */
const DAY = 86_400_000;
const team = [
  person('U0JUNIOR1', 'Jo'),
  person('U0JUNIOR2', 'Kim'),
  person('U0INSIDER', 'Ines'),
  person('U0RECENT1', 'Remy'),
  person('U0MIDLVL1', 'Mo'),
  person('U0LATEXXX', 'Lou', 'America/Los_Angeles'),
  person('U0LEAD001', 'Marta Lindqvist'),
  person('U0ANA0001', 'Ana'),
  person('U0BOB0001', 'Bob'),
  person('U0ADMIN01', 'Ada'),
];
/** The story of one incident, as its channel holds it: a pager alert, then the responders. */
const story = (minute0: Date) => {
  const at = (m: number) => new Date(minute0.getTime() + m * 60_000);
  return [
    { by: { botId: 'B0PAGER01', username: 'pager' }, text: ':rotating_light: Alert: checkout p99 > 2s for 5m', at: at(0) },
    { by: { user: 'U0LEAD001' }, text: 'I have it. <@U0ANA0001|ana> can you look at the DB?', at: at(1) },
    { by: { user: 'U0ANA0001' }, text: 'on it, <https://grafana.example.com/d/db|db dashboard>', at: at(2) },
    { by: { user: 'U0ANA0001' }, text: 'Looks like replica lag on db-2, 40s behind', at: at(8) },
    { by: { user: 'U0BOB0001' }, text: 'Deploy 4411 went out at 10:02 with a new query: ```SELECT * FROM orders```', at: at(12) },
    { by: { user: 'U0LEAD001' }, text: 'Rolled back 4411, thanks Bob and Marta', at: at(15) },
    { by: { user: 'U0ANA0001' }, text: 'lag is back to 0, p99 normal', at: at(25) },
    { by: { user: 'U0LEAD001' }, text: 'Resolved. Postmortem: <https://wiki.example.com/pm/42|PM-42>', at: at(30) },
  ] as const;
};

describe('practice fires, end to end', () => {
  let h: Harness;
  const sink = new ResponseUrlSink();
  let seq = 0;
  const incidents: Record<string, { id: number; channelId: string }> = {};

  const db = () => h.app.deps.db;
  const appNow = () => h.app.deps.clock().getTime();
  const dms = (user: string) => h.emulator.messagesTo(user);
  const rounds = (user: string): EmulatedMessage[] => dms(user).filter((m) => m.text?.startsWith('Practice fire · round'));
  const offers = (user: string) => dms(user).filter((m) => m.text === 'Try a practice fire? about 15 minutes');

  /** A resolved incident `daysAgo` days back whose channel holds the story; the app was a member. */
  async function pastIncident(name: string, daysAgo: number, options: { isPrivate?: boolean; members?: string[] } = {}) {
    const start = new Date(appNow() - (daysAgo + 1) * DAY);
    const channel = h.emulator.addChannel({ name, creator: 'U0LEAD001', is_private: options.isPrivate ?? false, members: [h.emulator.botUserId, 'U0ANA0001', 'U0BOB0001', ...(options.members ?? [])] });
    for (const m of story(start)) h.emulator.postAt(channel.id, m.by, m.text, m.at);
    const incident = await db().incident.create({
      data: { channelId: channel.id, name, isPrivate: options.isPrivate ?? false, createdBy: 'U0LEAD001', openedAt: start, resolvedAt: new Date(appNow() - daysAgo * DAY), selectedAt: start },
    });
    for (const slackId of ['U0LEAD001', 'U0ANA0001', 'U0BOB0001']) {
      const e = await db().engineer.findUniqueOrThrow({ where: { slackId } });
      await db().participation.create({ data: { engineerId: e.id, incidentId: incident.id, role: 'responder', source: 'self_joined', joinedAt: start } });
    }
    incidents[name] = { id: incident.id, channelId: channel.id };
  }

  async function slash(user: string, text: string): Promise<{ text: string }> {
    const name = `cmd-${++seq}`;
    const res = await h.sender.command({ user_id: user, text, response_url: sink.url(name) });
    expect(res.status).toBe(200);
    if (res.body) return JSON.parse(res.body) as { text: string };
    await waitUntil(() => sink.received.some((r) => r.path === `/response/${name}`), `the answer to /volunteer ${text}`);
    return sink.received.find((r) => r.path === `/response/${name}`)!.body as { text: string };
  }

  /** A button in a DM, with a fresh trigger; returns the name of its response_url. */
  async function pressInDm(user: string, actionId: string, value: string): Promise<string> {
    const name = `btn-${++seq}`;
    const body = { ...buttonPress(h.emulator.teamId, user, actionId, value, sink.url(name), true), trigger_id: h.emulator.issueTrigger() };
    const res = await h.sender.interaction(body);
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    return name;
  }
  const answerAt = async (name: string) => {
    await waitUntil(() => sink.received.some((r) => r.path === `/response/${name}`), `the answer at ${name}`);
    return sink.received.find((r) => r.path === `/response/${name}`)!.body as { text: string };
  };

  /** Presses "Answer" on a round, and submits the modal it opened with `answer`. */
  async function answerRound(user: string, practiceId: number, round: number, answer: string) {
    const opened = h.emulator.openedViews.length;
    await pressInDm(user, 'practice_answer', `${practiceId}:${round}`);
    await waitUntil(() => h.emulator.openedViews.length > opened, 'the answer modal to open');
    const view = h.emulator.openedViews.at(-1)!;
    expect(view.callback_id).toBe('practice_answer_modal');
    const res = await h.sender.interaction({
      type: 'view_submission',
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: h.emulator.teamId },
      trigger_id: h.emulator.issueTrigger(),
      view: { ...view, state: { values: { practice_answer: { practice_answer: { type: 'plain_text_input', value: answer } } } } },
      response_urls: [],
    });
    expect(res.status).toBe(200);
    return res.body ? (JSON.parse(res.body) as Record<string, unknown>) : null;
  }

  async function offerRun(): Promise<void> {
    const id = await h.app.deps.jobs.send(PRACTICE_OFFER_JOB, {});
    await waitUntil(async () => {
      const { rows } = await h.app.deps.pool.query<{ state: string }>('SELECT state::text FROM pgboss.job WHERE id = $1', [id]);
      return rows[0]?.state === 'completed';
    }, 'the practice offer run');
  }

  beforeAll(async () => {
    await sink.start();
    h = await startHarness({ users: team, env: { ADMIN_USER_IDS: 'U0ADMIN01' } });
    // Everyone has been with the app for two months; levels as the roster says.
    await db().engineer.updateMany({ data: { createdAt: new Date(appNow() - 60 * DAY), level: 'junior', levelSource: 'roster' } });
    await db().engineer.update({ where: { slackId: 'U0MIDLVL1' }, data: { level: 'mid' } });
    for (const s of ['U0LEAD001', 'U0ANA0001', 'U0BOB0001', 'U0ADMIN01']) await db().engineer.update({ where: { slackId: s }, data: { level: 'senior' } });
    await pastIncident('inc-api-latency', 40);
    await pastIncident('inc-db-private-lag', 30, { isPrivate: true, members: ['U0INSIDER'] });
    await pastIncident('inc-sec-token-leak', 20);
    await pastIncident('inc-billing-errors', 15);
    await pastIncident('inc-fresh-outage', 2);
    // Remy had a real fire last week.
    const remy = await db().engineer.findUniqueOrThrow({ where: { slackId: 'U0RECENT1' } });
    await db().participation.create({ data: { engineerId: remy.id, incidentId: incidents['inc-fresh-outage']!.id, role: 'learner', source: 'auto_invite', invitedAt: new Date(appNow() - 3 * DAY), joinedAt: new Date(appNow() - 3 * DAY) } });
  });
  afterAll(async () => {
    await h?.stop();
    await sink.stop();
  });

  it('lets an admin exclude an incident channel, and refuses anyone else', async () => {
    const channel = incidents['inc-billing-errors']!.channelId;
    expect((await slash('U0JUNIOR1', `admin practice exclude <#${channel}|inc-billing-errors>`)).text).toBe('Sorry, admin commands are only for the Smokejumper admins. Nothing changed.');
    expect(await db().practiceExclusion.count()).toBe(0);
    expect((await slash('U0ADMIN01', 'admin practice exclude billing')).text).toContain('"billing" is not a channel');
    expect((await slash('U0ADMIN01', `admin practice exclude <#${channel}|inc-billing-errors>`)).text).toBe(`<#${channel}> will never be used for a practice fire.`);
    expect(await db().practiceExclusion.findMany({ select: { channelId: true, excludedBy: true } })).toEqual([{ channelId: channel, excludedBy: 'U0ADMIN01' }]);
  });

  it('offers a junior with no fire for 28 days one practice fire a week, in working hours only', async () => {
    await offerRun();
    await waitUntil(() => offers('U0JUNIOR1').length === 1, 'the offer to Jo');
    const offer = offers('U0JUNIOR1')[0]!;
    expect(JSON.stringify(offer.blocks)).toContain('"action_id":"practice_start"');
    // A second run the same week sends nothing more.
    await offerRun();
    await offerRun();
    expect(offers('U0JUNIOR1')).toHaveLength(1);
    expect(offers('U0JUNIOR2')).toHaveLength(1);
    // A fire last week, a mid, and someone at 01:00 in Los Angeles get nothing.
    for (const user of ['U0RECENT1', 'U0MIDLVL1', 'U0LATEXXX', 'U0LEAD001']) expect(offers(user)).toHaveLength(0);
    expect(await db().delivery.count({ where: { kind: 'practice-offer' } })).toBe(3);
    // The next ISO week brings the next offer.
    const now = h.clock();
    h.setNow(new Date(now.getTime() + 7 * DAY));
    try {
      await offerRun();
      await waitUntil(() => offers('U0JUNIOR1').length === 2, 'the offer of the next week');
      await offerRun();
      expect(offers('U0JUNIOR1')).toHaveLength(2);
    } finally {
      h.setNow(now);
    }
  });

  it('runs a practice through its rounds in the DM, by role, storing the answers and revealing the resolution last', async () => {
    const started = await slash('U0JUNIOR1', 'practice');
    expect(started.text).toBe('Your practice fire is in your DM with me: round one is there.');
    const practice = await db().practice.findFirstOrThrow({ where: { engineer: { slackId: 'U0JUNIOR1' } } });
    // The most recent usable one: not the excluded, the security, the private or the fresh incident.
    expect(practice.incidentId).toBe(incidents['inc-api-latency']!.id);
    expect(practice.rounds).toBe(5);
    await waitUntil(() => rounds('U0JUNIOR1').length === 1, 'round one');
    const first = rounds('U0JUNIOR1')[0]!;
    expect(first.text).toBe('Practice fire · round 1 of 5: What would you check first?');
    const firstBlocks = JSON.stringify(first.blocks);
    expect(firstBlocks).toContain('Alert: checkout p99');
    expect(firstBlocks).toContain('*the lead*');
    expect(firstBlocks).toContain('_responder A_ can you look at the DB?');
    expect(firstBlocks).not.toContain('Rolled back');

    for (let round = 1; round <= 4; round++) {
      expect(await answerRound('U0JUNIOR1', practice.id, round, `my answer ${round}`)).toBeNull();
      await waitUntil(() => rounds('U0JUNIOR1').length === round + 1, `round ${round + 1}`);
      const shown = JSON.stringify(rounds('U0JUNIOR1')[round]!.blocks);
      if (round < 4) expect(shown).not.toContain('wiki.example.com/pm/42');
    }
    // Answering a round twice changes nothing.
    expect(await answerRound('U0JUNIOR1', practice.id, 2, 'again')).toEqual({ response_action: 'errors', errors: { practice_answer: expect.stringContaining('already answered') } });

    const last = rounds('U0JUNIOR1')[4]!;
    const lastBlocks = JSON.stringify(last.blocks);
    expect(last.text).toContain(`This was <#${incidents['inc-api-latency']!.channelId}>`);
    expect(lastBlocks).toContain('<https://wiki.example.com/pm/42|PM-42>');
    expect(lastBlocks).toContain('"action_id":"practice_reflect"');
    const everything = JSON.stringify(rounds('U0JUNIOR1').map((m) => m.blocks));
    expect(everything).not.toMatch(/Marta|Lindqvist|\bAna\b|\bBob\b|ana>/);
    await waitUntil(async () => (await db().practice.findUniqueOrThrow({ where: { id: practice.id } })).status === 'finished', 'the practice to finish');
    const done = await db().practice.findUniqueOrThrow({ where: { id: practice.id } });
    expect(done.answers).toEqual(['my answer 1', 'my answer 2', 'my answer 3', 'my answer 4']);

    // The reflection, like a real fire's.
    const opened = h.emulator.openedViews.length;
    await pressInDm('U0JUNIOR1', 'practice_reflect', String(practice.id));
    await waitUntil(() => h.emulator.openedViews.length > opened, 'the reflection modal');
    const view = h.emulator.openedViews.at(-1)!;
    const submitted = await h.sender.interaction({
      type: 'view_submission',
      user: { id: 'U0JUNIOR1', username: 'jo', name: 'jo', team_id: h.emulator.teamId },
      trigger_id: h.emulator.issueTrigger(),
      view: {
        ...view,
        state: {
          values: {
            reflection_what_happened: { reflection_what_happened: { type: 'plain_text_input', value: 'A deploy slowed the DB' } },
            reflection_check_first: { reflection_check_first: { type: 'plain_text_input', value: 'Recent deploys' } },
            reflection_learned: { reflection_learned: { type: 'plain_text_input', value: 'Replica lag shows up as p99' } },
          },
        },
      },
      response_urls: [],
    });
    expect(submitted.body).toBe('');
    expect(await db().practice.findUniqueOrThrow({ where: { id: practice.id } })).toMatchObject({ learned: 'Replica lag shows up as p99', checkFirst: 'Recent deploys' });

    // It counts apart from fires: in the score and stats, the digest and the admin report.
    const stats = await slash('U0JUNIOR1', 'stats');
    expect(JSON.stringify(stats)).toContain('1 practice fire in the last 28 days: 1 × 0.25 × 1 = 0.25 points');
    expect(JSON.stringify(stats)).toContain('all time: *0*');
    const jo = await db().engineer.findUniqueOrThrow({ where: { slackId: 'U0JUNIOR1' } });
    const [digest] = await composeDigests(db(), [{ person: { ...jo, knownSince: jo.createdAt }, weekStart: weekStartOf(h.app.deps.clock(), jo.timeZone) }], h.app.deps.config.digestSchedule, h.app.deps.clock());
    expect(digest!.summary).toMatchObject({ practices: 1, incidents: [] });
    const report = JSON.stringify(await slash('U0ADMIN01', 'admin report'));
    // Remy's fire is real coverage; Jo's practice is coverage with practice fires only.
    expect(report).toContain('*Coverage*: 1 of 5 juniors had a fire in the last 4 weeks (20%)');
    expect(report).toContain('*Coverage with practice fires*: 2 of 5 juniors had a fire or a practice fire in the last 4 weeks (40%); 1 practice fire finished in the period');

    // Nothing else is left for Jo: never the same twice, never private, security or excluded ones.
    expect((await slash('U0JUNIOR1', 'practice')).text).toBe('There is no past incident I can replay to you right now. I will offer one when there is.');
    expect(await db().practice.count({ where: { engineer: { slackId: 'U0JUNIOR1' } } })).toBe(1);
  });

  it('replays a private incident only to someone who was in its channel, and can stop and resume from the Home tab', async () => {
    expect((await slash('U0INSIDER', 'practice')).text).toBe('Your practice fire is in your DM with me: round one is there.');
    const practice = await db().practice.findFirstOrThrow({ where: { engineer: { slackId: 'U0INSIDER' } } });
    expect(practice.incidentId).toBe(incidents['inc-db-private-lag']!.id);
    await waitUntil(() => rounds('U0INSIDER').length === 1, 'round one to Ines');
    expect(await answerRound('U0INSIDER', practice.id, 1, 'the dashboard')).toBeNull();
    await waitUntil(() => rounds('U0INSIDER').length === 2, 'round two to Ines');

    const stop = await pressInDm('U0INSIDER', 'practice_stop', String(practice.id));
    expect((await answerAt(stop)).text).toBe('Stopped at round 2 of 5. Resume it from my Home tab whenever you like.');
    expect((await db().practice.findUniqueOrThrow({ where: { id: practice.id } })).status).toBe('stopped');
    // A stopped practice takes no answer.
    expect(await answerRound('U0INSIDER', practice.id, 2, 'late')).toEqual({ response_action: 'errors', errors: { practice_answer: expect.any(String) } });

    await h.sender.event({ type: 'app_home_opened', user: 'U0INSIDER', channel: 'D0442US94JD', tab: 'home' });
    await waitUntil(() => JSON.stringify(h.emulator.homeViewOf('U0INSIDER')?.blocks ?? []).includes('You stopped a practice fire at round 2 of 5.'), 'the Home tab to show the stopped practice');
    expect(JSON.stringify(h.emulator.homeViewOf('U0INSIDER')!.blocks)).toContain(`"action_id":"practice_resume","value":"${practice.id}"`);
    await pressHomeButton(h, 'U0INSIDER', 'practice_resume', String(practice.id), 'home_practice');
    await waitUntil(() => rounds('U0INSIDER').length === 3, 'round two again after resuming');
    expect(rounds('U0INSIDER')[2]!.text).toBe('Practice fire · round 2 of 5: What would you check or do next?');
    expect((await db().practice.findUniqueOrThrow({ where: { id: practice.id } })).status).toBe('running');
    expect(await answerRound('U0INSIDER', practice.id, 2, 'recent deploys')).toBeNull();
    expect((await db().practice.findUniqueOrThrow({ where: { id: practice.id } })).answers).toEqual(['the dashboard', 'recent deploys']);

    // Kim was never in the private channel: she gets the public one, and after it nothing.
    expect((await slash('U0JUNIOR2', 'practice')).text).toBe('Your practice fire is in your DM with me: round one is there.');
    const kims = await db().practice.findMany({ where: { engineer: { slackId: 'U0JUNIOR2' } } });
    expect(kims.map((p) => p.incidentId)).toEqual([incidents['inc-api-latency']!.id]);
  });

  it('never replays an incident to someone who took part in it', async () => {
    expect((await slash('U0ANA0001', 'practice')).text).toBe('There is no past incident I can replay to you right now. I will offer one when there is.');
  });

  it('never used an excluded, a security or a too recent incident for anyone', async () => {
    const used = new Set((await db().practice.findMany()).map((p) => p.incidentId));
    expect(used.size).toBeGreaterThan(0);
    for (const name of ['inc-billing-errors', 'inc-sec-token-leak', 'inc-fresh-outage']) expect(used.has(incidents[name]!.id)).toBe(false);
  });
});
