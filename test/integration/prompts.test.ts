import { createTestDatabase } from '../helpers/database';
import { person, startHarness, waitUntil, type Harness } from '../helpers/harness';
import { restartHarness } from '../helpers/restart';
import { jobIdFor, PROMPT_JOB } from '../../src/flows/prompt-flow';
import { ResponseUrlSink, type EmulatedMessage } from '../../src/dev/slack-emulator';

// Seconds rather than minutes, so that the whole schedule runs within a test.
const env = { PROMPT_SCHEDULE: '0s,2s,4s' };
/** Slack's message ts has microseconds and the database keeps milliseconds; the two clocks are the same machine's. */
const CLOCK_SLACK_MS = 5;

const team = [
  person('U0CREATOR', 'Casey'),
  // Senior and in every incident channel: the mentor (Casey created the channels, so Casey leads).
  person('U0MENTOR1', 'Mo'),
  person('U0JUNIOR1', 'Jo'),
  person('U0JUNIOR2', 'Kim'),
  // Opted out of auto-invites, so that only their own joins bring them in.
  person('U0LEAVER1', 'Lee'),
  person('U0STAYER1', 'Sky'),
  person('U0REDELIV', 'Rae'),
  person('U0REFLECT', 'Rio'),
  person('U0RESTART', 'Ren'),
];
const SELF_JOINERS = ['U0LEAVER1', 'U0STAYER1', 'U0REDELIV', 'U0REFLECT', 'U0RESTART'];

/** The coaching DMs of a learner: the welcome DM (the first entry of the schedule), then the prompts. */
const promptsTo = (h: Harness, user: string): EmulatedMessage[] => h.emulator.messagesTo(user).filter((m) => m.text?.startsWith('Smokejumper prompt') || m.text?.startsWith('Welcome to'));
const reflectionsTo = (h: Harness, user: string): EmulatedMessage[] => h.emulator.messagesTo(user).filter((m) => m.text?.includes('is resolved. Thank you for joining it.'));
/** The mentor's DMs about the learners of one incident (one, updated as learners join). */
const mentorDmsAbout = (h: Harness, mentor: string, channelId: string): EmulatedMessage[] =>
  h.emulator.messagesTo(mentor).filter((m) => m.text?.startsWith(`You are the mentor in <#${channelId}>`));
const appNowSec = (h: Harness) => Math.floor(h.app.deps.clock().getTime() / 1000);

/**
 * The responders keep writing in the channel (every 300 ms) until stopped: a prompt after the first
 * is skipped when the channel was silent since the previous one (prompt-context.test.ts).
 */
function keepTalking(h: Harness, channelId: string): () => void {
  const timer = setInterval(() => h.emulator.say(channelId, 'U0CREATOR', 'still looking'), 300);
  timer.unref();
  return () => clearInterval(timer);
}

async function setUpTeam(h: Harness): Promise<void> {
  await h.app.deps.db.engineer.updateMany({ where: { slackId: { in: ['U0CREATOR', 'U0MENTOR1'] } }, data: { level: 'senior' } });
  await h.app.deps.db.engineer.update({ where: { slackId: 'U0MENTOR1' }, data: { optedOut: true } });
  await h.app.deps.db.engineer.updateMany({ where: { slackId: { in: SELF_JOINERS } }, data: { optedOut: true } });
}

/** An incident channel created by Casey (who leads) with Mo in it (who mentors), processed up to the choice of learners. */
async function openIncident(h: Harness, name: string): Promise<{ channelId: string; incidentId: number }> {
  const channel = h.emulator.addChannel({ name, creator: 'U0CREATOR', members: ['U0MENTOR1'] });
  const res = await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name, created: appNowSec(h), creator: 'U0CREATOR' } }, { eventTime: appNowSec(h) });
  expect(res.status).toBe(200);
  let incidentId = 0;
  await waitUntil(async () => {
    const incident = await h.app.deps.db.incident.findUnique({ where: { channelId: channel.id } });
    incidentId = incident?.id ?? 0;
    return Boolean(incident?.selectedAt);
  }, `incident ${name} to open`);
  return { channelId: channel.id, incidentId };
}

function joinEnvelope(h: Harness, user: string, channelId: string): Record<string, unknown> {
  h.emulator.addMember(channelId, user);
  return h.sender.envelope({ type: 'member_joined_channel', user, channel: channelId, channel_type: 'C', team: h.emulator.teamId }, { eventTime: appNowSec(h) });
}

/** The prompt jobs of one learner, as pg-boss holds them: one row per job queued. */
async function promptJobs(h: Harness, channelId: string, user: string): Promise<Array<{ id: string; state: string; key: string }>> {
  const { rows } = await h.app.deps.pool.query<{ id: string; state: string; key: string }>(
    `SELECT id::text, state::text, data->>'key' AS key FROM pgboss.job WHERE name = $1 AND (data->>'key' LIKE $2 OR data->>'key' = $3) ORDER BY data->>'key'`,
    [PROMPT_JOB, `prompt:${channelId}:${user}:%`, `welcome-dm:${channelId}:${user}`],
  );
  return rows;
}

/** Waits until every prompt job of the learner has run to its end, whatever it decided. */
async function promptJobsFinished(h: Harness, channelId: string, user: string, count: number): Promise<void> {
  await waitUntil(async () => {
    const jobs = await promptJobs(h, channelId, user);
    return jobs.length === count && jobs.every((j) => j.state === 'completed');
  }, `the ${count} prompt jobs of ${user} to finish`, 15_000);
}

async function ledger(h: Harness, prefix: string): Promise<Array<[string, string]>> {
  const rows = await h.app.deps.db.delivery.findMany({ where: { key: { startsWith: prefix } }, orderBy: { key: 'asc' } });
  return rows.map((r) => [r.key.slice(prefix.length), r.status]);
}

describe('guided prompts, end to end', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ users: team, env });
    await setUpTeam(h);
  });
  afterAll(async () => h?.stop());

  it('sends each invited learner the prompts in order, spaced by the schedule, after the welcome DM; the mentor gets one DM naming every learner', async () => {
    const { channelId } = await openIncident(h, 'inc-checkout-500s');
    const stopTalking = keepTalking(h, channelId);
    for (const learner of ['U0JUNIOR1', 'U0JUNIOR2']) {
      await waitUntil(() => promptsTo(h, learner).length === 3, `three prompts to ${learner}`, 15_000);
      const prompts = promptsTo(h, learner);
      expect(prompts.map((m) => m.text!.slice(0, 'Smokejumper prompt 1 of 3'.length))).toEqual([`Welcome to <#${channelId}>:`, 'Smokejumper prompt 2 of 3', 'Smokejumper prompt 3 of 3']);
      expect(prompts[1]!.text).toContain('Who is affected, and how badly? Which dashboard shows it?');
      expect(prompts[2]!.text).toContain('Which hypotheses are being tested? What changed recently?');
      // One welcome DM (why you were invited, who leads, who mentors) comes first: no separate orientation.
      expect(h.emulator.messagesTo(learner)[0]!.text).toBe(`Welcome to <#${channelId}>: who leads, who mentors, and where to ask.`);
      // Each prompt goes out no earlier than its delay after joining (a busy machine only makes them later).
      const participation = await h.app.deps.db.participation.findFirstOrThrow({ where: { incident: { channelId }, engineer: { slackId: learner } } });
      const joinedAt = (participation.joinedAt ?? participation.invitedAt)!.getTime();
      const sentAt = prompts.map((m) => Number(m.ts) * 1000);
      expect(sentAt[1]! - joinedAt).toBeGreaterThanOrEqual(2_000 - CLOCK_SLACK_MS);
      expect(sentAt[2]! - joinedAt).toBeGreaterThanOrEqual(4_000 - CLOCK_SLACK_MS);
      // The ledger is marked right after Slack answers, so it may trail the message by a moment.
      await waitUntil(async () => JSON.stringify(await ledger(h, `prompt:${channelId}:${learner}:`)) === JSON.stringify([['2', 'sent'], ['3', 'sent']]), `the prompt ledger of ${learner}`);
    }
    stopTalking();
    // One DM to the mentor naming both learners, not one per learner.
    await waitUntil(() => mentorDmsAbout(h, 'U0MENTOR1', channelId)[0]?.text === `You are the mentor in <#${channelId}>: <@U0JUNIOR1> and <@U0JUNIOR2> are there to learn.`, 'the mentor DM about Jo and Kim');
    expect(mentorDmsAbout(h, 'U0MENTOR1', channelId)).toHaveLength(1);
    expect(JSON.stringify(mentorDmsAbout(h, 'U0MENTOR1', channelId)[0]!.blocks)).toContain('This is their first fire.');
    expect(h.emulator.messagesTo('U0CREATOR')).toEqual([]);
    // Later incidents in this file bring learners in only by their own joins.
    await h.app.deps.db.engineer.updateMany({ where: { slackId: { in: ['U0JUNIOR1', 'U0JUNIOR2'] } }, data: { optedOut: true } });
  });

  it('schedules nothing twice for a redelivered member_joined_channel (same envelope, retry 1) or a second event for the same join', async () => {
    const { channelId } = await openIncident(h, 'inc-db-disk-full');
    const stopTalking = keepTalking(h, channelId);
    const envelope = joinEnvelope(h, 'U0REDELIV', channelId);
    expect((await h.sender.deliver(envelope)).status).toBe(200);
    expect((await h.sender.deliver(envelope, { retryNum: 1, retryReason: 'http_timeout' })).status).toBe(200);
    expect((await h.sender.event({ type: 'member_joined_channel', user: 'U0REDELIV', channel: channelId, channel_type: 'C' }, { eventTime: appNowSec(h) })).status).toBe(200);
    await waitUntil(() => promptsTo(h, 'U0REDELIV').length === 3, 'three prompts to Rae', 15_000);
    await promptJobsFinished(h, channelId, 'U0REDELIV', 3);
    stopTalking();

    const jobs = await promptJobs(h, channelId, 'U0REDELIV');
    expect(jobs.map((j) => j.id)).toEqual([`prompt:${channelId}:U0REDELIV:2`, `prompt:${channelId}:U0REDELIV:3`, `welcome-dm:${channelId}:U0REDELIV`].map(jobIdFor));
    expect(promptsTo(h, 'U0REDELIV')).toHaveLength(3);
    await waitUntil(() => mentorDmsAbout(h, 'U0MENTOR1', channelId).length === 1, 'the mentor DM about Rae');
    expect(mentorDmsAbout(h, 'U0MENTOR1', channelId)).toHaveLength(1);
    expect(mentorDmsAbout(h, 'U0MENTOR1', channelId)[0]!.text).toContain('<@U0REDELIV>');
    expect(await h.app.deps.db.delivery.findMany({ where: { key: { in: [`welcome-dm:${channelId}:U0REDELIV`, `prompt:${channelId}:U0REDELIV:2`, `prompt:${channelId}:U0REDELIV:3`] } }, select: { status: true, attempts: true }, orderBy: { key: 'asc' } })).toEqual([
      { status: 'sent', attempts: 1 },
      { status: 'sent', attempts: 1 },
      { status: 'sent', attempts: 1 },
    ]);
    // An inc-db- incident gets the database playbook.
    expect(promptsTo(h, 'U0REDELIV')[1]!.text).toContain('Which services and queries are hurt?');
  });

  it('sends a learner who leaves no more prompts', async () => {
    const { channelId } = await openIncident(h, 'inc-search-slow');
    await h.sender.deliver(joinEnvelope(h, 'U0LEAVER1', channelId));
    await waitUntil(() => promptsTo(h, 'U0LEAVER1').length === 1, 'the welcome DM to Lee');
    h.emulator.removeMember(channelId, 'U0LEAVER1');
    const left = await h.sender.event({ type: 'member_left_channel', user: 'U0LEAVER1', channel: channelId, channel_type: 'C' }, { eventTime: appNowSec(h) });
    expect(left.status).toBe(200);
    await waitUntil(async () => (await ledger(h, `prompt:${channelId}:U0LEAVER1:`)).filter(([, s]) => s === 'cancelled').length === 2, 'prompts 2 and 3 cancelled');
    await promptJobsFinished(h, channelId, 'U0LEAVER1', 3);
    expect(await ledger(h, `prompt:${channelId}:U0LEAVER1:`)).toEqual([['2', 'cancelled'], ['3', 'cancelled']]);
    expect(await ledger(h, `welcome-dm:${channelId}:`)).toEqual([['U0LEAVER1', 'sent']]);
    expect(promptsTo(h, 'U0LEAVER1')).toHaveLength(1);
  });

  it('cancels pending prompts when the incident resolves (renamed to resolved-…) and sends the reflection once', async () => {
    const { channelId } = await openIncident(h, 'inc-db-replica-lag');
    await h.sender.deliver(joinEnvelope(h, 'U0STAYER1', channelId));
    await waitUntil(() => promptsTo(h, 'U0STAYER1').length === 1, 'the welcome DM to Sky');
    h.emulator.renameChannel(channelId, 'resolved-db-replica-lag');
    const rename = h.sender.envelope({ type: 'channel_rename', channel: { id: channelId, name: 'resolved-db-replica-lag', created: appNowSec(h) } }, { eventTime: appNowSec(h) });
    expect((await h.sender.deliver(rename)).status).toBe(200);
    expect((await h.sender.deliver(rename, { retryNum: 1 })).status).toBe(200);
    await waitUntil(() => reflectionsTo(h, 'U0STAYER1').length === 1, 'the reflection prompt to Sky');
    await promptJobsFinished(h, channelId, 'U0STAYER1', 3);
    expect(await ledger(h, `prompt:${channelId}:U0STAYER1:`)).toEqual([['2', 'cancelled'], ['3', 'cancelled']]);
    expect(promptsTo(h, 'U0STAYER1')).toHaveLength(1);
    expect(reflectionsTo(h, 'U0STAYER1')).toHaveLength(1);
    const [reflection] = reflectionsTo(h, 'U0STAYER1');
    const incident = await h.app.deps.db.incident.findUniqueOrThrow({ where: { channelId } });
    expect(JSON.stringify(reflection!.blocks)).toContain(`"action_id":"open_reflection","value":"${incident.id}"`);
    // Nobody who left earlier is asked: Lee's incident was another one, and he is not in this one.
    await waitUntil(async () => JSON.stringify(await ledger(h, `reflection:${channelId}:`)) === JSON.stringify([['U0STAYER1', 'sent']]), 'the reflection ledger');
  });

  it('stores a reflection submitted through the form, refuses an invalid one with field errors, and updates on resubmission', async () => {
    const { channelId, incidentId } = await openIncident(h, 'inc-payments-timeouts');
    await h.sender.deliver(joinEnvelope(h, 'U0REFLECT', channelId));
    await waitUntil(() => promptsTo(h, 'U0REFLECT').length === 1, 'the welcome DM to Rio');
    h.emulator.archiveChannel(channelId);
    expect((await h.sender.event({ type: 'channel_archive', channel: channelId, user: 'U0CREATOR' }, { eventTime: appNowSec(h) })).status).toBe(200);
    await waitUntil(() => reflectionsTo(h, 'U0REFLECT').length === 1, 'the reflection prompt to Rio');
    const [prompt] = reflectionsTo(h, 'U0REFLECT');

    // The button opens the form at once (a loading view, within the trigger's 3 seconds), then fills it.
    const user = { id: 'U0REFLECT', username: 'rio', name: 'rio', team_id: h.emulator.teamId };
    const click = async (triggerId: string, responseUrl = 'http://127.0.0.1:9/actions/unused') => {
      const opened = h.emulator.openedViews.length;
      const updates = h.emulator.callsTo('views.update').length;
      const clicked = await h.sender.interaction({
        type: 'block_actions',
        user,
        trigger_id: triggerId,
        container: { type: 'message', message_ts: prompt!.ts, channel_id: prompt!.channel, is_ephemeral: false },
        channel: { id: prompt!.channel, name: 'directmessage' },
        message: { type: 'message', ts: prompt!.ts, text: prompt!.text, blocks: prompt!.blocks },
        response_url: responseUrl,
        actions: [{ type: 'button', action_id: 'open_reflection', block_id: 'open_reflection', value: String(incidentId), text: { type: 'plain_text', text: 'Write my reflection' }, action_ts: `${appNowSec(h)}.000100` }],
        state: { values: {} },
      });
      expect(clicked.status).toBe(200);
      return { opened, updates };
    };
    const filled = async (before: { opened: number; updates: number }) => {
      await waitUntil(() => h.emulator.callsTo('views.update').length > before.updates, 'the reflection form to be filled');
      const loading = h.emulator.openedViews.at(-1)!;
      expect(h.emulator.openedViews).toHaveLength(before.opened + 1);
      expect(JSON.stringify(loading.blocks)).toContain('Opening your reflection');
      return h.emulator.view(loading.id)!;
    };
    const view = await filled(await click(h.emulator.issueTrigger()));
    expect(view.callback_id).toBe('reflection_modal');
    expect(view.private_metadata).toBe(JSON.stringify({ incidentId }));

    const submit = (from: typeof user, answers: { what: string; check: string; learned: string }) =>
      h.sender.interaction({
        type: 'view_submission',
        user: from,
        trigger_id: h.emulator.issueTrigger(),
        view: {
          ...view,
          state: {
            values: {
              reflection_what_happened: { reflection_what_happened: { type: 'plain_text_input', value: answers.what } },
              reflection_check_first: { reflection_check_first: { type: 'plain_text_input', value: answers.check } },
              reflection_learned: { reflection_learned: { type: 'plain_text_input', value: answers.learned } },
            },
          },
        },
        response_urls: [],
      });
    const learnings = () => h.app.deps.db.learning.findMany({ where: { incidentId }, include: { engineer: true } });

    const invalid = await submit(user, { what: '   ', check: 'The payment provider status page', learned: 'x'.repeat(2001) });
    expect(invalid.status).toBe(200);
    expect(JSON.parse(invalid.body)).toEqual({
      response_action: 'errors',
      errors: {
        reflection_what_happened: 'Please write a sentence or two about what happened.',
        reflection_learned: 'Please keep this under 2000 characters (it has 2001).',
      },
    });
    expect(await learnings()).toHaveLength(0);

    const outsider = await submit({ ...user, id: 'U0JUNIOR1', username: 'jo', name: 'jo' }, { what: 'I was not there', check: 'n/a', learned: 'n/a' });
    expect(JSON.parse(outsider.body)).toEqual({ response_action: 'errors', errors: { reflection_what_happened: 'Only people who took part in this incident can log a learning for it.' } });
    expect(await learnings()).toHaveLength(0);

    const valid = await submit(user, { what: 'The provider timed out; we failed over.', check: 'The provider status page', learned: 'How the failover flag works' });
    expect(valid.status).toBe(200);
    expect(valid.body).toBe('');
    expect((await learnings()).map((l) => [l.engineer.slackId, l.whatHappened, l.checkFirst, l.learned])).toEqual([
      ['U0REFLECT', 'The provider timed out; we failed over.', 'The provider status page', 'How the failover flag works'],
    ]);

    const again = await submit(user, { what: 'The provider timed out; we failed over.', check: 'Provider latency graph', learned: 'How the failover flag works' });
    expect(again.body).toBe('');
    expect((await learnings()).map((l) => l.checkFirst)).toEqual(['Provider latency graph']);

    // Reopening the form shows what was saved.
    const reopened = await filled(await click(h.emulator.issueTrigger()));
    expect(JSON.stringify(reopened.blocks)).toContain('"initial_value":"Provider latency graph"');

    // A click whose trigger expired before the app got to it (Slack slow, a queue): the person is told, in a new message.
    const sink = new ResponseUrlSink();
    await sink.start();
    try {
      const opened = h.emulator.openedViews.length;
      await click(h.emulator.issueTrigger(Date.now() - 4_000), sink.url('expired'));
      await sink.waitFor(1);
      expect(sink.received[0]!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect((sink.received[0]!.body as { text: string }).text).toContain('`expired_trigger_id`');
      expect(h.emulator.openedViews).toHaveLength(opened);
    } finally {
      await sink.stop();
    }
  });
});

describe('guided prompts across a restart', () => {
  it('still sends each remaining prompt exactly once when the app is stopped and another started on the same database', async () => {
    const database = await createTestDatabase();
    let h = await startHarness({ users: team, env: { PROMPT_SCHEDULE: '0s,3s,5s' }, database });
    try {
      await setUpTeam(h);
      await h.app.deps.db.engineer.updateMany({ where: { slackId: { in: ['U0JUNIOR1', 'U0JUNIOR2'] } }, data: { optedOut: true } });
      const { channelId } = await openIncident(h, 'inc-cache-stampede');
      await h.sender.deliver(joinEnvelope(h, 'U0RESTART', channelId));
      await waitUntil(() => promptsTo(h, 'U0RESTART').length === 1, 'the welcome DM to Ren');
      const before = h;
      h = await restartHarness(before, { users: team, env: { PROMPT_SCHEDULE: '0s,3s,5s' } });

      await promptJobsFinished(h, channelId, 'U0RESTART', 3);
      const sent = [...promptsTo(before, 'U0RESTART'), ...promptsTo(h, 'U0RESTART')].map((m) => m.text!.slice(0, 'Smokejumper prompt 1 of 3'.length));
      expect(sent).toEqual([`Welcome to <#${channelId}>:`, 'Smokejumper prompt 2 of 3', 'Smokejumper prompt 3 of 3']);
      expect(promptsTo(h, 'U0RESTART').length).toBeGreaterThanOrEqual(1);
      expect(await h.app.deps.db.delivery.findMany({ where: { key: { in: [`welcome-dm:${channelId}:U0RESTART`, `prompt:${channelId}:U0RESTART:2`, `prompt:${channelId}:U0RESTART:3`] } }, select: { status: true, attempts: true }, orderBy: { key: 'asc' } })).toEqual([
        { status: 'sent', attempts: 1 },
        { status: 'sent', attempts: 1 },
        { status: 'sent', attempts: 1 },
      ]);
    } finally {
      await h.stop();
      await database.drop();
    }
  });
});
