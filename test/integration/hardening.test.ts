import { ResponseUrlSink } from '../../src/dev/slack-emulator';
import { sweepChannels } from '../../src/flows/sweep-flow';
import { CHANNEL_SWEEP_JOB } from '../../src/jobs/channel-sweep';
import { buttonPress } from '../helpers/interaction';
import { startHarness, waitUntil, person, type Harness } from '../helpers/harness';

/** Issue 12: incident channels as real Slack and the open internet make them. */
const team = [
  person('U0CREATOR', 'Casey'),
  person('U0JUNIOR1', 'Jo'),
  person('U0JUNIOR2', 'Kim'),
  person('U0NIGHTLA', 'Lee', 'America/Los_Angeles'),
  person('U0GUEST01', 'Gus', 'Europe/Berlin', { is_restricted: true }),
  person('U0GONE001', 'Gone', 'Europe/Berlin', { deleted: true }),
];

interface Reply {
  text: string;
  blocks: Array<{ type: string; text?: { text: string }; accessory?: { action_id: string; value: string } }>;
}

describe('hardened incident channels', () => {
  let h: Harness;
  const sink = new ResponseUrlSink();
  let seq = 0;

  beforeAll(async () => {
    await sink.start();
    h = await startHarness({ users: team, env: { INVITES_PER_INCIDENT: '1', MAX_AUTO_INVITES_PER_WEEK: '50' } });
    await h.app.deps.db.engineer.update({ where: { slackId: 'U0CREATOR' }, data: { level: 'senior' } });
  });
  afterAll(async () => {
    await h?.stop();
    await sink.stop();
  });

  const db = () => h.app.deps.db;
  const answerAt = async (name: string): Promise<Reply> => {
    await waitUntil(() => sink.received.some((r) => r.path === `/response/${name}`), `the answer at ${name}`);
    return sink.received.find((r) => r.path === `/response/${name}`)!.body as Reply;
  };
  async function volunteer(user: string, text: string): Promise<Reply> {
    const name = `cmd-${++seq}`;
    expect((await h.sender.command({ user_id: user, text, response_url: sink.url(name) })).status).toBe(200);
    return answerAt(name);
  }
  async function press(user: string, actionId: string, value: string): Promise<Reply> {
    const name = `btn-${++seq}`;
    const res = await h.sender.interaction(buttonPress(h.emulator.teamId, user, actionId, value, sink.url(name)));
    expect(res.status).toBe(200);
    return answerAt(name);
  }
  const buttons = (reply: Reply) => reply.blocks.filter((b) => b.accessory).map((b) => [b.accessory!.action_id, b.accessory!.value]);
  const invitesInto = (channel: string) => h.emulator.callsTo('conversations.invite').filter((c) => c.args.channel === channel);

  async function openIncident(name: string) {
    const channel = h.emulator.addChannel({ name, creator: 'U0CREATOR' });
    await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name, created: Math.floor(h.clock().getTime() / 1000), creator: 'U0CREATOR' } });
    await waitUntil(async () => (await db().incident.count({ where: { channelId: channel.id, selectedAt: { not: null } } })) === 1, `incident ${name}`);
    await waitUntil(async () => (await db().delivery.count({ where: { incidentId: { not: null }, key: { contains: channel.id }, kind: { in: ['invite', 'welcome-dm', 'intro'] }, status: { in: ['pending', 'sending'] } } })) === 0, `invites of ${name}`);
    return { channel, incident: await db().incident.findUniqueOrThrow({ where: { channelId: channel.id } }) };
  }
  const resolveAll = () => db().incident.updateMany({ where: { resolvedAt: null }, data: { resolvedAt: h.clock() } });

  describe('a channel made private after it opened', () => {
    beforeEach(resolveAll);

    it('is never offered, joined or invited into when the conversion event was missed', async () => {
      const { channel, incident } = await openIncident('inc-goes-private');
      // Made private; Slack's message event never reached the app (not subscribed, or lost).
      h.emulator.convertToPrivate(channel.id, 'U0CREATOR');
      h.emulator.clearCalls();

      expect((await volunteer('U0NIGHTLA', 'now')).text).toBe('No fire is burning right now. Want to be first in line for the next one?');
      const offer = await volunteer('U0NIGHTLA', 'on 2h');
      expect(buttons(offer)).toEqual([]);
      expect(JSON.stringify(offer)).not.toContain(channel.id);
      expect((await press('U0NIGHTLA', 'join_incident', String(incident.id))).text).toBe('I cannot find that incident any more, so there is nothing to join.');

      expect(invitesInto(channel.id)).toHaveLength(0);
      expect(h.emulator.channel(channel.id)!.members.has('U0NIGHTLA')).toBe(false);
      expect((await db().incident.findUniqueOrThrow({ where: { id: incident.id } })).isPrivate).toBe(true);
      expect(await db().participation.count({ where: { incidentId: incident.id, engineer: { slackId: 'U0NIGHTLA' } } })).toBe(0);
    });

    it('is stored as private from the channel_convert_to_private message; other messages are not stored', async () => {
      const { channel, incident } = await openIncident('inc-goes-private-loudly');
      const before = await db().slackEvent.count();
      await h.sender.event({ type: 'message', channel: channel.id, user: 'U0CREATOR', text: 'looking at the dashboards', ts: '1795595400.000200', channel_type: 'channel' });
      await h.sender.event(h.emulator.convertToPrivate(channel.id, 'U0CREATOR'));
      await waitUntil(async () => (await db().incident.findUniqueOrThrow({ where: { id: incident.id } })).isPrivate, 'the incident stored as private');
      expect(await db().slackEvent.count()).toBe(before + 1);
      expect((await db().slackEvent.findFirstOrThrow({ where: { type: 'message' } })).payload).toMatchObject({ event: { subtype: 'channel_convert_to_private', channel: channel.id } });
    });
  });

  describe('guests, external people and deactivated users who join an incident channel', () => {
    beforeEach(resolveAll);

    it('are recorded as responders and get no prompt, no mentor DM and no reflection', async () => {
      const { channel, incident } = await openIncident('inc-guests-walk-in');
      h.emulator.addUser(person('U0OUTSIDE', 'Otto', 'Europe/Berlin', { team_id: 'T0VENDOR1' }));
      for (const user of ['U0GUEST01', 'U0OUTSIDE', 'U0GONE001']) {
        h.emulator.addMember(channel.id, user);
        await h.sender.event({ type: 'member_joined_channel', user, channel: channel.id, channel_type: 'C' });
      }
      await waitUntil(async () => (await db().participation.count({ where: { incidentId: incident.id, engineer: { slackId: { in: ['U0GUEST01', 'U0OUTSIDE', 'U0GONE001'] } } } })) === 3, 'the three joins');
      const rows = await db().participation.findMany({ where: { incidentId: incident.id, engineer: { slackId: { in: ['U0GUEST01', 'U0OUTSIDE', 'U0GONE001'] } } }, include: { engineer: true } });
      expect(rows.map((r) => [r.engineer.slackId, r.role, r.source, r.joinedAt !== null]).sort()).toEqual([
        ['U0GONE001', 'responder', 'self_joined', true],
        ['U0GUEST01', 'responder', 'self_joined', true],
        ['U0OUTSIDE', 'responder', 'self_joined', true],
      ]);
      h.emulator.archiveChannel(channel.id);
      await h.sender.event({ type: 'channel_archive', channel: channel.id, user: 'U0CREATOR' });
      await waitUntil(async () => (await db().incident.findUniqueOrThrow({ where: { id: incident.id } })).resolvedAt !== null, 'the resolution');
      await waitUntil(async () => (await db().slackEvent.count({ where: { processedAt: null } })) === 0, 'every event processed');
      const engineerIds = rows.map((r) => r.engineerId);
      expect(await db().delivery.count({ where: { engineerId: { in: engineerIds } } })).toBe(0);
      expect(await db().delivery.count({ where: { incidentId: incident.id, key: { contains: 'U0GUEST01' } } })).toBe(0);
      for (const user of ['U0GUEST01', 'U0OUTSIDE', 'U0GONE001']) expect(h.emulator.messagesTo(user)).toHaveLength(0);
      // Nor can they log a learning with a form they were never sent.
      const forged = await h.sender.interaction({
        type: 'view_submission',
        user: { id: 'U0GUEST01', username: 'gus', name: 'gus', team_id: h.emulator.teamId },
        trigger_id: '398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703d',
        view: {
          id: 'V0FORGED01', type: 'modal', callback_id: 'reflection_modal', private_metadata: JSON.stringify({ incidentId: incident.id }),
          state: { values: {
            reflection_what_happened: { reflection_what_happened: { type: 'plain_text_input', value: 'A database failed over.' } },
            reflection_check_first: { reflection_check_first: { type: 'plain_text_input', value: 'The replica lag graph.' } },
            reflection_learned: { reflection_learned: { type: 'plain_text_input', value: 'Failovers take a minute.' } },
          } },
        },
        response_urls: [],
      });
      expect(JSON.parse(forged.body)).toEqual({ response_action: 'errors', errors: { reflection_what_happened: 'Only people who took part in this incident can log a learning for it.' } });
      expect(await db().learning.count({ where: { incidentId: incident.id } })).toBe(0);
    });
  });

  describe('self-joins', () => {
    beforeEach(resolveAll);

    it('coach at most MAX_COACHED_PER_INCIDENT people in one incident: a user group mentioned in does not flood the mentor', async () => {
      const { channel, incident } = await openIncident('inc-user-group');
      const invited = await db().participation.count({ where: { incidentId: incident.id, role: { in: ['learner', 'volunteer'] } } });
      expect(invited).toBe(1);
      // A senior walks in first and mentors (within MENTOR_WAIT); Casey created the channel and leads.
      h.emulator.addUser(person('U0MENTOR9', 'Meg'));
      await db().engineer.create({ data: { slackId: 'U0MENTOR9', name: 'Meg', level: 'senior', timeZone: 'Europe/Berlin' } });
      h.emulator.addMember(channel.id, 'U0MENTOR9');
      await h.sender.event({ type: 'member_joined_channel', user: 'U0MENTOR9', channel: channel.id, channel_type: 'C' });
      await waitUntil(async () => (await db().incident.findUniqueOrThrow({ where: { id: incident.id } })).mentorSlackId === 'U0MENTOR9', 'the senior to mentor');
      const group = Array.from({ length: 8 }, (_, i) => `U0GROUP0${i}`);
      for (const [i, id] of group.entries()) h.emulator.addUser(person(id, `Grp${i}`));
      await Promise.all(group.map((user) => h.sender.event({ type: 'member_joined_channel', user, channel: channel.id, channel_type: 'C', inviter: 'U0CREATOR' })));
      await waitUntil(async () => (await db().participation.count({ where: { incidentId: incident.id, engineer: { slackId: { in: group } } } })) === group.length, 'every join recorded');
      const roles = await db().participation.groupBy({ by: ['role'], where: { incidentId: incident.id, engineer: { slackId: { in: group } } }, _count: true });
      expect(Object.fromEntries(roles.map((r) => [r.role, r._count]))).toEqual({ learner: 4, responder: 4 });
      await waitUntil(async () => (await db().slackEvent.count({ where: { processedAt: null } })) === 0, 'every event processed');
      // One DM to the mentor, naming the five coached people, however many joined at once.
      const coached = await db().participation.findMany({ where: { incidentId: incident.id, role: { in: ['learner', 'volunteer'] } }, include: { engineer: true } });
      expect(coached).toHaveLength(5);
      const mentorDm = () => h.emulator.messagesTo('U0MENTOR9').filter((m) => m.text?.startsWith('You are the mentor in'));
      await waitUntil(() => coached.every((p) => mentorDm()[0]?.text?.includes(`<@${p.engineer.slackId}>`) === true), 'the mentor DM to name all five');
      expect(mentorDm()).toHaveLength(1);
      expect(await db().delivery.count({ where: { incidentId: incident.id, kind: 'mentor-summary' } })).toBe(1);
      expect(await db().delivery.count({ where: { incidentId: incident.id, kind: 'prompt', key: { startsWith: `prompt:${channel.id}:` } } })).toBe(5 * 2);
      // Each coached person: one welcome DM, then prompts 2 and 3.
      expect(await db().delivery.count({ where: { incidentId: incident.id, kind: 'welcome-dm' } })).toBe(5);
    });
  });

  describe('bad input', () => {
    it('refuses a channel name over Slack\'s 80 characters: nothing stored, nothing changed', async () => {
      const name = `inc-${'x'.repeat(77)}`;
      expect(name).toHaveLength(81);
      const channel = h.emulator.addChannel({ name, creator: 'U0CREATOR' });
      const before = await db().slackEvent.count();
      const res = await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name, created: Math.floor(h.clock().getTime() / 1000), creator: 'U0CREATOR' } });
      expect(res.status).toBe(200);
      await h.sender.event({ type: 'channel_rename', channel: { id: channel.id, name, created: 1 } });
      expect(await db().slackEvent.count()).toBe(before);
      expect(await db().incident.count({ where: { channelId: channel.id } })).toBe(0);
    });
  });

  describe('what starts an incident', () => {
    const processed = (channelId: string) =>
      waitUntil(async () => (await db().slackEvent.count({ where: { processedAt: null } })) === 0 && (await db().slackEvent.count({ where: { payload: { path: ['event', 'channel', 'id'], equals: channelId } } })) > 0, `events of ${channelId} processed`);

    it('an old channel renamed into the pattern is recorded without invites; a young one starts an incident', async () => {
      const day = 86_400;
      const now = Math.floor(h.clock().getTime() / 1000);
      const old = h.emulator.addChannel({ name: 'payments-team', creator: 'U0CREATOR', created: now - 2 * day });
      h.emulator.renameChannel(old.id, 'inc-payments-team');
      await h.sender.event({ type: 'channel_rename', channel: { id: old.id, name: 'inc-payments-team', created: now - 2 * day } });
      await processed(old.id);
      const recorded = await db().incident.findUniqueOrThrow({ where: { channelId: old.id } });
      expect(recorded.selectedAt).not.toBeNull();
      expect(await db().participation.count({ where: { incidentId: recorded.id } })).toBe(0);
      expect(invitesInto(old.id)).toHaveLength(0);

      const young = h.emulator.addChannel({ name: 'payments-wobble', creator: 'U0CREATOR', created: now - 23 * 3600 });
      h.emulator.renameChannel(young.id, 'inc-payments-wobble');
      await h.sender.event({ type: 'channel_rename', channel: { id: young.id, name: 'inc-payments-wobble', created: now - 23 * 3600 } });
      await waitUntil(async () => invitesInto(young.id).length === 1, 'the invite after a young channel is renamed');
    });

    it('a channel shared with another organisation is never an incident', async () => {
      const channel = h.emulator.addChannel({ name: 'inc-vendor-outage', creator: 'U0CREATOR', shared_with_team: 'T0VENDOR1' });
      await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name: channel.name, created: Math.floor(h.clock().getTime() / 1000), creator: 'U0CREATOR' } });
      await processed(channel.id);
      expect(await db().incident.count({ where: { channelId: channel.id } })).toBe(0);
      expect(h.emulator.callsTo('conversations.join').filter((c) => c.args.channel === channel.id)).toHaveLength(0);
      expect(invitesInto(channel.id)).toHaveLength(0);
    });
  });

  describe('deleted, unarchived and vanished channels', () => {
    beforeEach(resolveAll);
    const resolvedAt = async (id: number) => (await db().incident.findUniqueOrThrow({ where: { id } })).resolvedAt;

    it('channel_deleted and group_deleted resolve the incident', async () => {
      const { channel, incident } = await openIncident('inc-deleted');
      await h.sender.event(h.emulator.deleteChannel(channel.id));
      await waitUntil(async () => (await resolvedAt(incident.id)) !== null, 'the public incident resolved');

      const priv = h.emulator.addChannel({ name: 'inc-deleted-private', creator: 'U0CREATOR', is_private: true, members: [h.emulator.botUserId] });
      await h.sender.event({ type: 'member_joined_channel', user: h.emulator.botUserId, channel: priv.id, channel_type: 'G', inviter: 'U0CREATOR' });
      await waitUntil(async () => (await db().incident.count({ where: { channelId: priv.id, selectedAt: { not: null } } })) === 1, 'the private incident');
      const privateIncident = await db().incident.findUniqueOrThrow({ where: { channelId: priv.id } });
      await h.sender.event(h.emulator.deleteChannel(priv.id));
      await waitUntil(async () => (await resolvedAt(privateIncident.id)) !== null, 'the private incident resolved');
    });

    it('channel_unarchive reopens the incident with the learners it had, choosing nobody again', async () => {
      const { channel, incident } = await openIncident('inc-comes-back');
      const participants = await db().participation.count({ where: { incidentId: incident.id } });
      h.emulator.archiveChannel(channel.id);
      await h.sender.event({ type: 'channel_archive', channel: channel.id, user: 'U0CREATOR' });
      await waitUntil(async () => (await resolvedAt(incident.id)) !== null, 'the resolution');
      h.emulator.clearCalls();
      await h.sender.event(h.emulator.unarchiveChannel(channel.id, 'U0CREATOR'));
      await waitUntil(async () => (await resolvedAt(incident.id)) === null, 'the incident reopened');
      await waitUntil(async () => (await db().slackEvent.count({ where: { processedAt: null } })) === 0, 'every event processed');
      const reopened = await db().incident.findUniqueOrThrow({ where: { id: incident.id } });
      expect(reopened.selectedAt).toEqual(incident.selectedAt);
      expect(await db().participation.count({ where: { incidentId: incident.id } })).toBe(participants);
      expect(invitesInto(channel.id)).toHaveLength(0);
    });

    it('channel_not_found on a call resolves the incident: a Join into a channel deleted unseen, an invite', async () => {
      const { channel, incident } = await openIncident('inc-vanished');
      h.emulator.deleteChannel(channel.id); // the channel_deleted event never arrives
      expect((await press('U0NIGHTLA', 'join_incident', String(incident.id))).text).toBe(`That fire is out: <#${channel.id}> was resolved, so there is nothing to join.`);
      expect(await resolvedAt(incident.id)).not.toBeNull();

      const other = h.emulator.addChannel({ name: 'inc-vanishing', creator: 'U0CREATOR' });
      h.emulator.addFault({ method: 'conversations.invite', error: 'channel_not_found', when: (args) => args.channel === other.id, times: Infinity });
      await h.sender.event({ type: 'channel_created', channel: { id: other.id, name: other.name, created: Math.floor(h.clock().getTime() / 1000), creator: 'U0CREATOR' } });
      await waitUntil(async () => (await db().incident.findFirst({ where: { channelId: other.id, resolvedAt: { not: null } } })) !== null, 'the incident resolved on channel_not_found');
      h.emulator.clearFaults();
    });
  });
});


describe('INCIDENT_CREATORS', () => {
  const people = [person('U0ONCALL1', 'Oda'), person('U0JUNIOR1', 'Jo'), person('U0OTHER01', 'Ole'), person('U0PAGERBT', 'pager', 'UTC', { is_bot: true, bot_id: 'B0PAGERDY' })];

  it('stops start-up with one line naming a handle that is not a user group', async () => {
    await expect(startHarness({ users: people, userGroups: [{ handle: 'oncall', users: ['U0ONCALL1'] }], env: { INCIDENT_CREATORS: '@oncall,@nobody' } })).rejects.toThrow(
      'INCIDENT_CREATORS: "@nobody" is not a user group handle in this workspace',
    );
  });

  it('lets only the people of the groups, the users and the bots named start an incident', async () => {
    const h = await startHarness({ users: people, userGroups: [{ handle: 'oncall', users: ['U0ONCALL1'] }], env: { INCIDENT_CREATORS: '@oncall, B0PAGERDY' } });
    try {
      const open = async (name: string, creator: string) => {
        const channel = h.emulator.addChannel({ name, creator });
        await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name, created: Math.floor(h.clock().getTime() / 1000), creator } });
        return channel;
      };
      const byStranger = await open('inc-by-someone', 'U0OTHER01');
      const byOncall = await open('inc-by-oncall', 'U0ONCALL1');
      const byBot = await open('inc-by-pager', 'U0PAGERBT');
      await waitUntil(async () => (await h.app.deps.db.incident.count({ where: { selectedAt: { not: null } } })) === 2, 'the two permitted incidents');
      await waitUntil(async () => (await h.app.deps.db.slackEvent.count({ where: { processedAt: null } })) === 0, 'every event processed');
      expect((await h.app.deps.db.incident.findMany({ orderBy: { id: 'asc' } })).map((i) => i.channelId).sort()).toEqual([byOncall.id, byBot.id].sort());
      expect(await h.app.deps.db.incident.count({ where: { channelId: byStranger.id } })).toBe(0);
    } finally {
      await h.stop();
    }
  });
});

describe('the channel sweep after an outage', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ users: [person('U0CREATOR', 'Casey'), person('U0JUNIOR1', 'Jo'), person('U0JUNIOR2', 'Kim')] });
    await h.app.deps.db.engineer.update({ where: { slackId: 'U0CREATOR' }, data: { level: 'senior' } });
  });
  afterAll(async () => h?.stop());

  it('runs at start-up and is scheduled every 15 minutes', async () => {
    await waitUntil(() => h.emulator.callsTo('conversations.list').length >= 1, 'the sweep at start-up');
    const [schedule] = await h.app.deps.db.$queryRaw<Array<{ cron: string }>>`SELECT cron FROM pgboss.schedule WHERE name = ${CHANNEL_SWEEP_JOB}`;
    expect(schedule?.cron).toBe('*/15 * * * *');
  });

  it('handles the incident channels created since the last event and never recorded: a selection within 30 minutes of creation, recorded without invites after', async () => {
    const db = h.app.deps.db;
    const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
    const before = h.clock();
    // The last event before the outage.
    const chatter = h.emulator.addChannel({ name: 'random-chatter', creator: 'U0CREATOR' });
    await h.sender.event({ type: 'channel_created', channel: { id: chatter.id, name: chatter.name, created: seconds(before), creator: 'U0CREATOR' } });
    await waitUntil(async () => (await db.slackEvent.count({ where: { processedAt: null } })) === 0, 'the last event processed');
    // Three hours of outage: Slack gave up on every event of it.
    const now = new Date(before.getTime() + 3 * 3_600_000);
    h.setNow(now);
    const longAgo = h.emulator.addChannel({ name: 'inc-before-outage', creator: 'U0CREATOR', created: seconds(before) - 3_600 });
    // More than one page of conversations.list (200), so that the ones that matter are on the second.
    for (let i = 0; i < 210; i++) h.emulator.addChannel({ name: `team-room-${i}`, creator: 'U0CREATOR', created: seconds(now) - 600 });
    const early = h.emulator.addChannel({ name: 'inc-early-in-outage', creator: 'U0CREATOR', created: seconds(now) - 2 * 3_600 });
    const recent = h.emulator.addChannel({ name: 'inc-just-now', creator: 'U0CREATOR', created: seconds(now) - 10 * 60 });
    // Created seconds ago: its channel_created may still be on its way, so it is left to that event.
    const inFlight = h.emulator.addChannel({ name: 'inc-event-on-its-way', creator: 'U0CREATOR', created: seconds(now) - 5 });
    h.emulator.clearCalls();

    await h.app.deps.jobs.send(CHANNEL_SWEEP_JOB, {});
    await waitUntil(async () => (await db.incident.count({ where: { channelId: { in: [early.id, recent.id] }, selectedAt: { not: null } } })) === 2, 'the two missed incidents');
    await waitUntil(async () => (await db.delivery.count({ where: { key: `intro:${recent.id}`, status: 'sent' } })) === 1, 'the intro of the recent one');

    expect(h.emulator.callsTo('conversations.list').map((c) => c.args.cursor === undefined)).toEqual([true, false]);
    const recentIncident = await db.incident.findUniqueOrThrow({ where: { channelId: recent.id } });
    expect(await db.participation.count({ where: { incidentId: recentIncident.id, source: 'auto_invite' } })).toBe(2);
    const earlyIncident = await db.incident.findUniqueOrThrow({ where: { channelId: early.id } });
    expect(earlyIncident.openedAt.getTime()).toBe(early.created * 1000);
    expect(await db.participation.count({ where: { incidentId: earlyIncident.id } })).toBe(0);
    expect(h.emulator.callsTo('conversations.invite').filter((c) => c.args.channel === early.id)).toHaveLength(0);
    // Created before the last event seen: its own event was delivered then (or it was handled then).
    expect(await db.incident.count({ where: { channelId: longAgo.id } })).toBe(0);
    expect(await db.incident.count({ where: { channelId: inFlight.id } })).toBe(0);

    // A second sweep, on another replica or 15 minutes later, changes nothing.
    const invites = h.emulator.callsTo('conversations.invite').length;
    await sweepChannels(h.app.deps);
    expect(h.emulator.callsTo('conversations.invite')).toHaveLength(invites);
    expect(await db.incident.count()).toBe(2);
  });
});
