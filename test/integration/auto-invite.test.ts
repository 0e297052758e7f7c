import { startHarness, waitUntil, person, type Harness } from '../helpers/harness';

const team = [
  person('U0CREATOR', 'Casey', 'Europe/Berlin'),
  person('U0JUNIOR1', 'Jo', 'Europe/Berlin'),
  person('U0JUNIOR2', 'Kim', 'Europe/Berlin'),
  person('U0SENIOR1', 'Sam', 'Europe/Berlin'),
  person('U0NIGHTLA', 'Lee', 'America/Los_Angeles'),
];

describe('auto-invite, end to end', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ users: team });
    await h.app.deps.db.engineer.update({ where: { slackId: 'U0SENIOR1' }, data: { level: 'senior' } });
  });
  afterAll(async () => h?.stop());

  it('invites the least experienced people in working hours, introduces them with a mentor and DMs each', async () => {
    // Casey created the channel and leads; Sam, senior and already in it, mentors.
    const channel = h.emulator.addChannel({ name: 'inc-db-down', creator: 'U0CREATOR', members: ['U0SENIOR1'] });
    const res = await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name: channel.name, created: Math.floor(Date.now() / 1000), creator: 'U0CREATOR' } });
    expect(res.status).toBe(200);
    await h.emulator.waitFor((calls) => calls.filter((c) => c.method === 'chat.postMessage').length >= 3);
    const invited = h.emulator.callsTo('conversations.invite').map((c) => c.args.users).sort();
    expect(invited).toEqual(['U0JUNIOR1', 'U0JUNIOR2']);
    const intro = h.emulator.messagesTo(channel.id);
    expect(intro).toHaveLength(1);
    expect(intro[0]!.text).toContain('<@U0JUNIOR1>');
    expect(intro[0]!.text).toContain('<@U0SENIOR1> is mentoring them all.');
    expect(intro[0]!.text).not.toContain('<@U0CREATOR>');
    await waitUntil(() => h.emulator.messagesTo('U0JUNIOR1').length > 0, 'the welcome DM');
    expect(h.emulator.messagesTo('U0JUNIOR1')[0]!.text).toBe(`Welcome to <#${channel.id}>: who leads, who mentors, and where to ask.`);
    const incident = await h.app.deps.db.incident.findUniqueOrThrow({ where: { channelId: channel.id }, include: { participations: { include: { engineer: true } } } });
    expect(incident.participations.map((p) => [p.engineer.slackId, p.role, p.source]).sort()).toEqual([
      ['U0JUNIOR1', 'learner', 'auto_invite'],
      ['U0JUNIOR2', 'learner', 'auto_invite'],
      ['U0SENIOR1', 'mentor', 'self_joined'],
    ]);
  });

  it('ignores a channel that does not match the pattern', async () => {
    const channel = h.emulator.addChannel({ name: 'random-chatter', creator: 'U0CREATOR' });
    h.emulator.clearCalls();
    const res = await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name: channel.name, creator: 'U0CREATOR' } });
    expect(res.status).toBe(200);
    await waitUntil(async () => (await h.app.deps.db.slackEvent.count({ where: { processedAt: { not: null }, payload: { path: ['event', 'channel', 'id'], equals: channel.id } } })) === 1, 'the event to be processed');
    expect(await h.app.deps.db.incident.count({ where: { channelId: channel.id } })).toBe(0);
    expect(h.emulator.callsTo('conversations.invite')).toHaveLength(0);
  });
});
