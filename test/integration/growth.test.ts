import { person, startHarness, waitUntil, type Harness } from '../helpers/harness';
import { openIncidentBy } from '../helpers/incidents';
import { ResponseUrlSink, type EmulatedMessage } from '../../src/dev/slack-emulator';
import { DEBRIEF_JOB } from '../../src/flows/mentor-loop-flow';
import { composeDigests } from '../../src/flows/digest-flow';

// The growth path over HTTP (SPEC.md "Growth"): stages stamped per fire, the mentor loop after the
// reflection, and the debrief nudge the next working morning.

const MENTOR = 'U0GMENTOR';
const LEARNER = 'U0GLEARNR';
const OUTSIDER = 'U0GOTHERS';
const LEAD = 'U0GLEAD01';
const team = [person(MENTOR, 'Morgan'), person(LEARNER, 'Lou'), person(OUTSIDER, 'Oli'), person(LEAD, 'Lea')];
const env = { INVITES_PER_INCIDENT: '1', MAX_AUTO_INVITES_PER_WEEK: '10', PROMPT_SCHEDULE: '0s', ADMIN_USER_IDS: MENTOR };

const appNowSec = (h: Harness) => Math.floor(h.app.deps.clock().getTime() / 1000);
const welcomesTo = (h: Harness, user: string): EmulatedMessage[] => h.emulator.messagesTo(user).filter((m) => m.text?.startsWith('Welcome to'));
const reflectionDmsTo = (h: Harness, mentor: string): EmulatedMessage[] => h.emulator.messagesTo(mentor).filter((m) => m.text?.includes('wrote a reflection on'));

// Lea opens each incident and leads it; Morgan, a senior mentor already in the channel, mentors (SPEC.md section 4).
const openIncident = (h: Harness, name: string) => openIncidentBy(h, name, LEAD, [MENTOR]);

async function resolve(h: Harness, channelId: string): Promise<void> {
  const before = h.emulator.messagesTo(LEARNER).filter((m) => m.text?.includes('is resolved.')).length;
  h.emulator.archiveChannel(channelId);
  expect((await h.sender.event({ type: 'channel_archive', channel: channelId, user: MENTOR }, { eventTime: appNowSec(h) })).status).toBe(200);
  await waitUntil(() => h.emulator.messagesTo(LEARNER).filter((m) => m.text?.includes('is resolved.')).length > before, 'the reflection prompt');
}

async function reflect(h: Harness, incidentId: number, share: boolean, learned: string): Promise<void> {
  const option = { text: { type: 'plain_text', text: 'Share with my mentor' }, value: 'share' };
  const res = await h.sender.interaction({
    type: 'view_submission',
    user: { id: LEARNER, username: 'lou', name: 'lou', team_id: h.emulator.teamId },
    trigger_id: h.emulator.issueTrigger(),
    view: {
      id: `V0REFL${incidentId}`,
      team_id: h.emulator.teamId,
      type: 'modal',
      callback_id: 'reflection_modal',
      private_metadata: JSON.stringify({ incidentId }),
      hash: '1',
      state: {
        values: {
          reflection_what_happened: { reflection_what_happened: { type: 'plain_text_input', value: 'The cache fell over and we restarted it.' } },
          reflection_check_first: { reflection_check_first: { type: 'plain_text_input', value: 'The cache hit-rate graph' } },
          reflection_learned: { reflection_learned: { type: 'plain_text_input', value: learned } },
          reflection_share: { reflection_share: { type: 'checkboxes', selected_options: share ? [option] : [] } },
        },
      },
    },
    response_urls: [],
  });
  expect(res.status).toBe(200);
  expect(res.body).toBe('');
}

/** A button of the mentor's reflection DM, pressed by `user`, as Slack posts it. */
async function press(h: Harness, user: string, dm: EmulatedMessage, actionId: string, responseUrl: string): Promise<void> {
  const value = (JSON.stringify(dm.blocks).match(new RegExp(`"action_id":"${actionId}","value":"(\\d+)"`)) ?? [])[1];
  expect(value).toBeDefined();
  const res = await h.sender.interaction({
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: h.emulator.teamId },
    trigger_id: h.emulator.issueTrigger(),
    container: { type: 'message', message_ts: dm.ts, channel_id: dm.channel, is_ephemeral: false },
    channel: { id: dm.channel, name: 'directmessage' },
    message: { type: 'message', ts: dm.ts, text: dm.text, blocks: dm.blocks },
    response_url: responseUrl,
    actions: [{ type: 'button', action_id: actionId, block_id: 'mentor_reflection_buttons', value, text: { type: 'plain_text', text: 'x' }, action_ts: `${appNowSec(h)}.000100` }],
    state: { values: {} },
  });
  expect(res.status).toBe(200);
}

async function submitForm(h: Harness, user: string, text: string): Promise<{ status: number; body: string }> {
  const view = h.emulator.openedViews.at(-1)!;
  return h.sender.interaction({
    type: 'view_submission',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: h.emulator.teamId },
    trigger_id: h.emulator.issueTrigger(),
    view: { ...view, state: { values: { mentor_text: { mentor_text: { type: 'plain_text_input', value: text } } } } },
    response_urls: [],
  });
}

async function runDebriefCheck(h: Harness): Promise<void> {
  const id = await h.app.deps.jobs.send(DEBRIEF_JOB, {});
  await waitUntil(async () => {
    const { rows } = await h.app.deps.pool.query<{ state: string }>(`SELECT state::text FROM pgboss.job WHERE id = $1`, [id]);
    return rows[0]?.state === 'completed';
  }, 'the debrief check to run');
}

describe('the growth path, end to end', () => {
  let h: Harness;
  let sink: ResponseUrlSink;
  beforeAll(async () => {
    h = await startHarness({ users: team, env });
    await h.app.deps.db.engineer.update({ where: { slackId: MENTOR }, data: { level: 'senior', isMentor: true } });
    // Only Lou is invited automatically; Oli is a junior who never joins.
    await h.app.deps.db.engineer.update({ where: { slackId: OUTSIDER }, data: { optedOut: true } });
    sink = new ResponseUrlSink();
    await sink.start();
  });
  afterAll(async () => {
    await sink?.stop();
    await h?.stop();
  });

  it("offers scribe at a learner's third fire after two observed fires with reflections and the mentor's confirmation; the mentor's reply reaches the learner; the debrief nudge goes out the next working morning", async () => {
    // Fire 1: an observer.
    const first = await openIncident(h, 'inc-cache-one');
    await waitUntil(() => welcomesTo(h, LEARNER).length === 1, 'the first welcome DM');
    expect(JSON.stringify(welcomesTo(h, LEARNER)[0]!.blocks)).toContain('Your role this time: observer');
    await waitUntil(() => h.emulator.messagesTo(MENTOR).some((m) => m.text?.startsWith('You are the mentor in')), 'the mentor pairing DM');
    expect(JSON.stringify(h.emulator.messagesTo(MENTOR).find((m) => m.text?.startsWith('You are the mentor in'))!.blocks)).toContain('*Their stage:* observer');
    await resolve(h, first.channelId);
    await reflect(h, first.incidentId, true, 'Restarting the cache empties it: expect a slow minute');

    // The shared reflection reaches the mentor, with Reply and the stage buttons.
    await waitUntil(() => reflectionDmsTo(h, MENTOR).length === 1, 'the reflection DM to the mentor');
    const dm1 = reflectionDmsTo(h, MENTOR)[0]!;
    expect(dm1.text).toBe(`<@${LEARNER}> wrote a reflection on <#${first.channelId}> and shared it with you.`);
    expect(JSON.stringify(dm1.blocks)).toContain('Restarting the cache empties it');
    for (const id of ['mentor_reply', 'stage_ready', 'stage_not_yet']) expect(JSON.stringify(dm1.blocks)).toContain(`"action_id":"${id}"`);

    // The debrief nudge is planned for the next working morning in the mentor's zone (Thursday 09:00 in Berlin).
    const nudge1 = await h.app.deps.db.delivery.findUniqueOrThrow({ where: { key: `debrief-nudge:${first.channelId}:${MENTOR}` } });
    expect(nudge1.dueAt).toEqual(new Date('2026-11-26T08:00:00Z'));

    // Someone else pressing the mentor's buttons changes nothing.
    await press(h, OUTSIDER, dm1, 'stage_ready', sink.url('outsider'));
    await sink.waitFor(1);
    expect((sink.received[0]!.body as { text: string }).text).toBe('Only the mentor of this incident can answer this reflection. Nothing changed.');
    // The mentor's "Ready" after one fire records nothing and says what is missing.
    await press(h, MENTOR, dm1, 'stage_ready', sink.url('too-early'));
    await sink.waitFor(2);
    expect((sink.received[1]!.body as { text: string }).text).toContain('cannot move on yet');
    expect(await h.app.deps.db.stageDecision.count()).toBe(0);

    // Reply: a modal; the reply is stored with the learning and reaches the learner by DM, once.
    await press(h, MENTOR, dm1, 'mentor_reply', sink.url('reply'));
    await waitUntil(() => h.emulator.openedViews.at(-1)?.callback_id === 'mentor_reply_modal', 'the reply form');
    expect(JSON.parse((await submitForm(h, OUTSIDER, 'I am not the mentor')).body)).toEqual({ response_action: 'errors', errors: { mentor_text: 'Only the mentor of this incident can answer this reflection. Nothing changed.' } });
    expect((await submitForm(h, MENTOR, 'Good catch on the hit rate. Next time, look at evictions too.')).body).toBe('');
    await waitUntil(() => h.emulator.messagesTo(LEARNER).some((m) => m.text?.startsWith(`<@${MENTOR}> replied to your reflection`)), 'the reply to the learner');
    const learning1 = await h.app.deps.db.learning.findFirstOrThrow({ where: { incidentId: first.incidentId } });
    expect(learning1).toMatchObject({ sharedWithMentor: true, mentorReply: 'Good catch on the hit rate. Next time, look at evictions too.', mentorReplyBy: MENTOR });
    expect(JSON.parse((await submitForm(h, MENTOR, 'A second reply')).body).errors.mentor_text).toBe('You already replied to this reflection; the learner has it.');
    expect(h.emulator.messagesTo(LEARNER).filter((m) => m.text?.includes('replied to your reflection'))).toHaveLength(1);

    // Fire 2: still an observer; a reflection kept private reaches the mentor without its text.
    const second = await openIncident(h, 'inc-cache-two');
    await waitUntil(() => welcomesTo(h, LEARNER).length === 2, 'the second welcome DM');
    expect(JSON.stringify(welcomesTo(h, LEARNER)[1]!.blocks)).toContain('Your role this time: observer');
    await resolve(h, second.channelId);
    await reflect(h, second.incidentId, false, 'A private thought');
    await waitUntil(() => reflectionDmsTo(h, MENTOR).length === 2, 'the second reflection DM');
    const dm2 = reflectionDmsTo(h, MENTOR)[1]!;
    expect(dm2.text).toContain('they kept the text to themselves');
    expect(JSON.stringify(dm2.blocks)).not.toContain('A private thought');
    expect(JSON.stringify(dm2.blocks)).not.toContain('"action_id":"mentor_reply"');

    // "Ready for the next step": the learner moves on to scribe and is told.
    await press(h, MENTOR, dm2, 'stage_ready', sink.url('ready'));
    await sink.waitFor(3);
    expect((sink.received[2]!.body as { text: string }).text).toBe(`Thank you: <@${LEARNER}> moves on to *scribe* for their next fire. They have been told.`);
    await waitUntil(() => h.emulator.messagesTo(LEARNER).some((m) => m.text?.includes('says you are ready for the next step')), 'the stage DM to the learner');
    expect(await h.app.deps.db.engineer.findUniqueOrThrow({ where: { slackId: LEARNER }, select: { stage: true } })).toEqual({ stage: 'scribe' });
    expect(await h.app.deps.db.stageChange.findMany({ select: { fromStage: true, toStage: true, by: true, bySlackId: true, incidentId: true } })).toEqual([
      { fromStage: 'observer', toStage: 'scribe', by: 'mentor', bySlackId: MENTOR, incidentId: second.incidentId },
    ]);
    // Pressing again answers once, and records nothing more.
    await press(h, MENTOR, dm2, 'stage_not_yet', sink.url('again'));
    await waitUntil(() => h.emulator.openedViews.at(-1)?.callback_id === 'stage_not_yet_modal', 'the not-yet form');
    expect(JSON.parse((await submitForm(h, MENTOR, 'Changed my mind')).body).errors.mentor_text).toBe('You already answered "Ready for the next step" for this fire. Nothing changed.');
    expect(await h.app.deps.db.stageDecision.count()).toBe(1);

    // The next working morning: a nudge about Lou (fire 2, no reply yet), none for fire 1 (replied).
    await runDebriefCheck(h);
    expect(h.emulator.messagesTo(MENTOR).filter((m) => m.text?.startsWith('Good morning.'))).toHaveLength(0);
    h.setNow(new Date('2026-11-26T08:01:00Z'));
    await runDebriefCheck(h);
    await runDebriefCheck(h);
    const nudges = h.emulator.messagesTo(MENTOR).filter((m) => m.text?.startsWith('Good morning.'));
    expect(nudges.map((m) => m.text)).toEqual([expect.stringContaining(`<@${LEARNER}> reflected on <#${second.channelId}>`)]);
    expect((await h.app.deps.db.delivery.findMany({ where: { kind: 'debrief-nudge' }, orderBy: { key: 'asc' } })).map((d) => [d.key, d.status])).toEqual(
      [[`debrief-nudge:${first.channelId}:${MENTOR}`, 'skipped'], [`debrief-nudge:${second.channelId}:${MENTOR}`, 'sent']].sort(),
    );

    // Fire 3: the welcome DM offers scribe, and the fire is stored at that stage.
    const third = await openIncident(h, 'inc-cache-three');
    await waitUntil(() => welcomesTo(h, LEARNER).length === 3, 'the third welcome DM');
    expect(JSON.stringify(welcomesTo(h, LEARNER)[2]!.blocks)).toContain('Your role this time: scribe');
    expect((await h.app.deps.db.participation.findMany({ where: { engineer: { slackId: LEARNER } }, orderBy: { incidentId: 'asc' }, select: { incidentId: true, stage: true } }))).toEqual([
      { incidentId: first.incidentId, stage: 'observer' },
      { incidentId: second.incidentId, stage: 'observer' },
      { incidentId: third.incidentId, stage: 'scribe' },
    ]);

    // The week's digest shows the stage reached, the progress toward the next one and the mentor's reply.
    const lou = await h.app.deps.db.engineer.findUniqueOrThrow({ where: { slackId: LEARNER } });
    const [digest] = await composeDigests(h.app.deps.db, [{ person: { ...lou, knownSince: lou.createdAt }, weekStart: '2026-11-23' }], h.app.deps.config.digestSchedule, new Date('2026-11-30T09:00:00Z'));
    expect(digest!.summary.growth).toMatchObject({
      reached: 'scribe',
      progress: { stage: 'scribe', next: 'investigator', fires: 1, reflected: 0 },
      replies: [{ channelId: first.channelId, by: MENTOR, text: 'Good catch on the hit rate. Next time, look at evictions too.' }],
    });
    const blocks = JSON.stringify(digest!.message.blocks);
    expect(blocks).toContain('*Stage reached this week*: scribe');
    expect(blocks).toContain('Next: investigator, after 2 fires at this stage with a reflection each');
    expect(blocks).toContain(`*Your mentor replied* about <#${first.channelId}>: “Good catch on the hit rate.`);
  }, 60_000);

  it('shows the stage in /volunteer stats and on the Home tab, and lets an admin set it', async () => {
    const ask = async (user: string, text: string): Promise<string> => {
      const before = sink.received.length;
      const res = await h.sender.command({ command: '/volunteer', text, user_id: user, user_name: user.toLowerCase(), response_url: sink.url(`cmd-${before}`), trigger_id: h.emulator.issueTrigger() });
      expect(res.status).toBe(200);
      if (res.body) return res.body;
      await sink.waitFor(before + 1);
      return JSON.stringify(sink.received[before]!.body);
    };
    const stats = await ask(LEARNER, 'stats');
    expect(stats).toContain('*Stage*: scribe: you keep the timeline in a thread');
    expect(stats).toContain('Next: investigator, after 2 fires at this stage with a reflection each and your mentor confirming (1 fire at this stage so far, 0 with a reflection).');

    // Not an admin: refused, nothing changes.
    expect(await ask(LEARNER, `admin stage <@${LEARNER}> lead_shadow`)).toContain('admin commands are only for the Smokejumper admins');
    expect(await ask(MENTOR, `admin stage <@${LEARNER}> lead shadow`)).toContain(`<@${LEARNER}> is now lead shadow (was scribe), from their next fire.`);
    expect(JSON.parse(await ask(MENTOR, `admin stage <@${LEARNER}> captain`)).text).toBe('"captain" is not a stage: use one of observer, scribe, investigator, lead_shadow.');
    expect(await h.app.deps.db.engineer.findUniqueOrThrow({ where: { slackId: LEARNER }, select: { stage: true } })).toEqual({ stage: 'lead_shadow' });
    expect((await h.app.deps.db.stageChange.findMany({ orderBy: { id: 'asc' } })).map((c) => [c.fromStage, c.toStage, c.by, c.bySlackId])).toEqual([
      ['observer', 'scribe', 'mentor', MENTOR],
      ['scribe', 'lead_shadow', 'admin', MENTOR],
    ]);

    // The Home tab shows the stage as the admin set it.
    const publishes = h.emulator.callsTo('views.publish').length;
    await h.sender.event({ type: 'app_home_opened', user: LEARNER, channel: 'D0LOUHOME', tab: 'home' }, { eventTime: appNowSec(h) });
    await waitUntil(() => h.emulator.callsTo('views.publish').length > publishes, "Lou's Home tab");
    const home = JSON.stringify(h.emulator.homeViewOf(LEARNER)!.blocks);
    expect(home).toContain("*Stage*: lead shadow: you follow the lead's decisions and say what you would do next.");
    expect(home).toContain('You are at the last stage');
  }, 60_000);
});
