import { checkPostmortems } from '../../src/flows/postmortem-flow';
import { POSTMORTEM_CHECK_JOB } from '../../src/jobs/postmortem-check';
import { ResponseUrlSink, type EmulatedMessage } from '../../src/dev/slack-emulator';
import { person, startHarness, waitUntil, type Harness } from '../helpers/harness';

/**
 * The postmortem (SPEC.md section "Growth"), over HTTP against the emulator and PostgreSQL: a
 * bookmark titled like a postmortem in a resolved incident's channel reaches each learner once by
 * DM, and "I'd like to attend the review" tells the incident's lead (its creator), once.
 */
const team = [person('U0PMLEAD', 'Casey'), person('U0PMJO', 'Jo'), person('U0PMKIM', 'Kim'), person('U0PMSAM', 'Sam')];
const appNowSec = (h: Harness) => Math.floor(h.app.deps.clock().getTime() / 1000);
const postmortemDms = (h: Harness, user: string): EmulatedMessage[] => h.emulator.messagesTo(user).filter((m) => m.text?.startsWith('The review of'));

describe('the postmortem link after a fire', () => {
  let h: Harness;
  let sink: ResponseUrlSink;
  beforeAll(async () => {
    h = await startHarness({ users: team, env: { PROMPT_SCHEDULE: '0s' } });
    sink = new ResponseUrlSink();
    await sink.start();
    await h.app.deps.db.engineer.update({ where: { slackId: 'U0PMLEAD' }, data: { level: 'senior' } });
    await h.app.deps.db.engineer.update({ where: { slackId: 'U0PMSAM' }, data: { level: 'senior', optedOut: true } });
    await h.app.deps.db.engineer.updateMany({ where: { slackId: { in: ['U0PMJO', 'U0PMKIM'] } }, data: { optedOut: true } });
  });
  afterAll(async () => {
    await sink?.stop();
    await h?.stop();
  });

  it('sends a postmortem bookmark to each learner once, and "I\'d like to attend the review" tells the lead once', async () => {
    const channel = h.emulator.addChannel({ name: 'inc-checkout-500s', creator: 'U0PMLEAD', members: ['U0PMSAM'] });
    await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name: channel.name, created: appNowSec(h), creator: 'U0PMLEAD' } }, { eventTime: appNowSec(h) });
    await waitUntil(async () => Boolean((await h.app.deps.db.incident.findUnique({ where: { channelId: channel.id } }))?.selectedAt), 'the incident to open');
    for (const user of ['U0PMJO', 'U0PMKIM']) {
      h.emulator.addMember(channel.id, user);
      await h.sender.event({ type: 'member_joined_channel', user, channel: channel.id, channel_type: 'C', team: h.emulator.teamId }, { eventTime: appNowSec(h) });
    }
    const incident = await h.app.deps.db.incident.findUniqueOrThrow({ where: { channelId: channel.id } });
    await waitUntil(async () => (await h.app.deps.db.participation.count({ where: { incidentId: incident.id, joinedAt: { not: null }, role: 'learner' } })) === 2, 'both learners in');
    h.emulator.archiveChannel(channel.id);
    await h.sender.event({ type: 'channel_archive', channel: channel.id, user: 'U0PMLEAD' }, { eventTime: appNowSec(h) });
    await waitUntil(async () => Boolean((await h.app.deps.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).resolvedAt), 'the incident to resolve');

    // Nothing to send before there is a postmortem: a dashboard bookmark is none.
    h.emulator.addBookmark({ channel: channel.id, title: 'Checkout dashboard', link: 'https://grafana.example.com/d/checkout', by: 'U0PMSAM' });
    expect(await checkPostmortems(h.app.deps)).toMatchObject({ found: 0, sent: 0 });
    h.emulator.addBookmark({ channel: channel.id, title: 'Post-mortem: checkout 500s', link: 'https://docs.example.com/postmortems/checkout-500s', by: 'U0PMLEAD' });
    expect(await checkPostmortems(h.app.deps)).toMatchObject({ found: 1, sent: 2 });
    for (const learner of ['U0PMJO', 'U0PMKIM']) {
      const [dm] = postmortemDms(h, learner);
      expect(dm!.text).toBe(`The review of <#${channel.id}> is written up: <https://docs.example.com/postmortems/checkout-500s|the postmortem>. Reading how the responders saw it, and going to the review meeting, is one of the best ways to learn from a fire.`);
      expect(JSON.stringify(dm!.blocks)).toContain(`"text":"I'd like to attend the review","emoji":true},"action_id":"attend_review","value":"${incident.id}"`);
    }
    expect(postmortemDms(h, 'U0PMSAM')).toHaveLength(0);
    expect(postmortemDms(h, 'U0PMLEAD')).toHaveLength(0);
    // Once per learner and incident: the next check neither sends nor reads the channel again.
    const reads = h.emulator.callsTo('bookmarks.list').length;
    expect(await checkPostmortems(h.app.deps)).toMatchObject({ read: 0, sent: 0 });
    expect(h.emulator.callsTo('bookmarks.list')).toHaveLength(reads);
    expect(postmortemDms(h, 'U0PMJO')).toHaveLength(1);

    // Jo presses the button, twice: Casey (who created the channel: the lead) is told once.
    const dm = postmortemDms(h, 'U0PMJO')[0]!;
    const press = async (n: number) => {
      const res = await h.sender.interaction({
        type: 'block_actions',
        user: { id: 'U0PMJO', username: 'jo', name: 'jo', team_id: h.emulator.teamId },
        trigger_id: h.emulator.issueTrigger(),
        container: { type: 'message', message_ts: dm.ts, channel_id: dm.channel, is_ephemeral: false },
        channel: { id: dm.channel, name: 'directmessage' },
        message: { type: 'message', ts: dm.ts, text: dm.text, blocks: dm.blocks },
        response_url: sink.url(`attend-${n}`),
        actions: [{ type: 'button', action_id: 'attend_review', block_id: 'attend_review', value: String(incident.id), text: { type: 'plain_text', text: "I'd like to attend the review" }, action_ts: `${appNowSec(h)}.000100` }],
        state: { values: {} },
      });
      expect(res.status).toBe(200);
      await sink.waitFor(n);
      return sink.received[n - 1]!.body as { text: string; replace_original: boolean };
    };
    expect(await press(1)).toMatchObject({ text: 'I told <@U0PMLEAD> that you would like to attend the review. They will let you know when it is.', replace_original: false });
    expect(await press(2)).toMatchObject({ text: '<@U0PMLEAD> already knows you would like to attend the review.' });
    const toLead = h.emulator.messagesTo('U0PMLEAD').filter((m) => m.text?.includes('would like to attend the review'));
    expect(toLead.map((m) => m.text)).toEqual([`<@U0PMJO> would like to attend the review of <#${channel.id}>. They joined it to learn; a seat at the review is how they see the whole picture.`]);
    expect(await h.app.deps.db.delivery.findMany({ where: { kind: { in: ['postmortem', 'attend-review'] } }, select: { key: true, status: true }, orderBy: { key: 'asc' } })).toEqual([
      { key: `attend-review:${channel.id}:U0PMJO`, status: 'sent' },
      { key: `postmortem:${channel.id}:U0PMJO`, status: 'sent' },
      { key: `postmortem:${channel.id}:U0PMKIM`, status: 'sent' },
    ]);
  });

  it('looks for postmortems every 10 minutes, as a durable pg-boss schedule', async () => {
    const [schedule] = await h.app.deps.db.$queryRaw<Array<{ cron: string }>>`SELECT cron FROM pgboss.schedule WHERE name = ${POSTMORTEM_CHECK_JOB}`;
    expect(schedule?.cron).toBe('*/10 * * * *');
  });

  it('tells someone who was no learner in the incident that the button is not theirs', async () => {
    const incident = await h.app.deps.db.incident.findFirstOrThrow({ where: { name: 'inc-checkout-500s' } });
    const res = await h.sender.interaction({
      type: 'block_actions',
      user: { id: 'U0PMSAM', username: 'sam', name: 'sam', team_id: h.emulator.teamId },
      trigger_id: h.emulator.issueTrigger(),
      container: { type: 'message', message_ts: '1.000100', channel_id: 'D0UNUSED', is_ephemeral: false },
      channel: { id: 'D0UNUSED', name: 'directmessage' },
      response_url: sink.url('sam'),
      actions: [{ type: 'button', action_id: 'attend_review', block_id: 'attend_review', value: String(incident.id), text: { type: 'plain_text', text: "I'd like to attend the review" }, action_ts: `${appNowSec(h)}.000200` }],
      state: { values: {} },
    });
    expect(res.status).toBe(200);
    await waitUntil(() => sink.received.some((r) => r.path.endsWith('/sam')), 'the answer to Sam');
    expect((sink.received.find((r) => r.path.endsWith('/sam'))!.body as { text: string }).text).toBe('Only people who joined this incident to learn can ask to attend its review from here.');
  });
});
