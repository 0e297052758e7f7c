import { startHarness, waitUntil, person, type Harness } from '../helpers/harness';

const team = [
  person('U0CREATOR', 'Casey'),
  person('U0JUNIOR1', 'Ada'),
  person('U0JUNIOR2', 'Bo'),
  person('U0JUNIOR3', 'Cy'),
  person('U0GUEST01', 'Gus', 'Europe/Berlin', { is_restricted: true }),
  person('U0BOTUSER', 'Robo', 'Europe/Berlin', { is_bot: true }),
  person('U0GONE001', 'Gone', 'Europe/Berlin', { deleted: true }),
];

describe('incident lifecycle', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ users: team, env: { INVITES_PER_INCIDENT: '3', MAX_AUTO_INVITES_PER_WEEK: '50' } });
  });
  afterAll(async () => h?.stop());

  const db = () => h.app.deps.db;
  const createChannel = async (name: string, extra: { is_private?: boolean } = {}) => {
    const channel = h.emulator.addChannel({ name, creator: 'U0CREATOR', ...extra });
    const res = await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name, created: Math.floor(h.clock().getTime() / 1000), creator: 'U0CREATOR' } });
    expect(res.status).toBe(200);
    return channel;
  };
  const processed = (channelId: string) =>
    waitUntil(async () => (await db().slackEvent.count({ where: { processedAt: null } })) === 0 && (await db().slackEvent.count({ where: { payload: { path: ['event', 'channel', 'id'], equals: channelId } } })) > 0, `events of ${channelId} processed`);

  it('syncs only humans of the workspace: no bots, guests or deleted users', async () => {
    const active = await db().engineer.findMany({ where: { active: true }, select: { slackId: true }, orderBy: { slackId: 'asc' } });
    expect(active.map((e) => e.slackId)).toEqual(['U0CREATOR', 'U0JUNIOR1', 'U0JUNIOR2', 'U0JUNIOR3']);
    expect(await db().engineer.count({ where: { slackId: 'U0BOTUSER' } })).toBe(0);
  });

  it('handles an invite error for one person out of three and still invites, introduces and welcomes the others', async () => {
    h.emulator.addFault({ method: 'conversations.invite', error: 'cant_invite', when: (args) => args.users === 'U0JUNIOR2' });
    const channel = await createChannel('inc-payments-slow');
    await waitUntil(async () => (await db().delivery.count({ where: { key: { startsWith: `welcome-dm:${channel.id}` }, status: 'sent' } })) === 2, 'the welcome DMs of the two who were invited');
    h.emulator.clearFaults();
    const invites = await db().delivery.findMany({ where: { key: { startsWith: `invite:${channel.id}` } }, orderBy: { key: 'asc' } });
    expect(invites.map((d) => [d.key.split(':')[2], d.status, d.error])).toEqual([
      ['U0JUNIOR1', 'sent', null],
      ['U0JUNIOR2', 'failed', 'cant_invite'],
      ['U0JUNIOR3', 'sent', null],
    ]);
    const intro = h.emulator.messagesTo(channel.id);
    expect(intro).toHaveLength(1);
    expect(intro[0]!.text).toContain('<@U0JUNIOR1> and <@U0JUNIOR3>');
    expect(intro[0]!.text).not.toContain('U0JUNIOR2');
    expect(h.emulator.messagesTo('U0JUNIOR2')).toHaveLength(0);
    // Nobody who was not invited is planned a welcome DM at all.
    expect(await db().delivery.count({ where: { key: `welcome-dm:${channel.id}:U0JUNIOR2` } })).toBe(0);
    expect(h.emulator.messagesTo('U0JUNIOR3').filter((m) => m.text?.startsWith('Welcome to'))).toHaveLength(1);
  });

  it('waits out a 429 on the first invite (Retry-After) and completes', async () => {
    await db().participation.deleteMany({});
    h.emulator.addFault({ method: 'conversations.invite', status: 429, retryAfterSeconds: 1, times: 1 });
    const started = Date.now();
    const channel = await createChannel('inc-rate-limited');
    await waitUntil(async () => (await db().delivery.count({ where: { key: { startsWith: `welcome-dm:${channel.id}` }, status: 'sent' } })) === 3, 'all three welcome DMs', 15_000);
    const invites = h.emulator.callsTo('conversations.invite').filter((c) => c.args.channel === channel.id);
    expect(invites[0]!.status).toBe(429);
    expect(invites.filter((c) => c.status === 200).map((c) => c.args.users).sort()).toEqual(['U0JUNIOR1', 'U0JUNIOR2', 'U0JUNIOR3']);
    expect(invites[1]!.at - invites[0]!.at).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('does nothing in a private incident channel the app is not in', async () => {
    const channel = await createChannel('inc-secret', { is_private: true });
    await processed(channel.id);
    expect(await db().incident.count({ where: { channelId: channel.id } })).toBe(0);
    expect(h.emulator.callsTo('conversations.invite').filter((c) => c.args.channel === channel.id)).toHaveLength(0);
  });

  it('starts a private incident when the app is added to it', async () => {
    await db().participation.deleteMany({});
    const channel = h.emulator.addChannel({ name: 'inc-private-ok', creator: 'U0CREATOR', is_private: true });
    h.emulator.addMember(channel.id, h.emulator.botUserId);
    await h.sender.event({ type: 'member_joined_channel', user: h.emulator.botUserId, channel: channel.id, channel_type: 'G', inviter: 'U0CREATOR' });
    await waitUntil(async () => (await db().delivery.count({ where: { key: `intro:${channel.id}`, status: 'sent' } })) === 1, 'the intro in the private channel');
    const incident = await db().incident.findUniqueOrThrow({ where: { channelId: channel.id } });
    expect(incident.isPrivate).toBe(true);
    expect(h.emulator.callsTo('conversations.join').filter((c) => c.args.channel === channel.id)).toHaveLength(0);
  });

  it('turns a channel renamed into the pattern into an incident, and a rename to resolved-… resolves it', async () => {
    await db().participation.deleteMany({});
    const channel = h.emulator.addChannel({ name: 'payments-chat', creator: 'U0CREATOR' });
    await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name: 'payments-chat', creator: 'U0CREATOR' } });
    h.emulator.renameChannel(channel.id, 'incident_payments');
    await h.sender.event({ type: 'channel_rename', channel: { id: channel.id, name: 'incident_payments', created: 1 } });
    await waitUntil(async () => (await db().delivery.count({ where: { key: `intro:${channel.id}`, status: 'sent' } })) === 1, 'the intro after the rename');
    h.emulator.renameChannel(channel.id, 'resolved-payments');
    await h.sender.event({ type: 'channel_rename', channel: { id: channel.id, name: 'resolved-payments', created: 1 } });
    await waitUntil(async () => (await db().incident.findUniqueOrThrow({ where: { channelId: channel.id } })).resolvedAt !== null, 'the resolution');
  });

  it('records anyone who joins or leaves an incident channel, and resolves on archive', async () => {
    const channel = await createChannel('inc-joiners');
    await waitUntil(async () => (await db().incident.count({ where: { channelId: channel.id, selectedAt: { not: null } } })) === 1, 'the incident');
    await db().engineer.update({ where: { slackId: 'U0CREATOR' }, data: { level: 'senior' } });
    // The creator was named mentor at selection; someone else, senior, walks in uninvited.
    await h.sender.event({ type: 'member_joined_channel', user: 'U0NEWBIE1', channel: channel.id, channel_type: 'C' });
    h.emulator.addUser(person('U0NEWBIE2', 'Nia'));
    await h.sender.event({ type: 'member_joined_channel', user: 'U0NEWBIE2', channel: channel.id, channel_type: 'C' });
    await waitUntil(async () => (await db().participation.count({ where: { engineer: { slackId: 'U0NEWBIE2' } } })) === 1, 'the self-joined participation');
    const joined = await db().participation.findFirstOrThrow({ where: { engineer: { slackId: 'U0NEWBIE2' } } });
    expect([joined.role, joined.source, joined.joinedAt !== null]).toEqual(['learner', 'self_joined', true]);
    await h.sender.event({ type: 'member_left_channel', user: 'U0NEWBIE2', channel: channel.id, channel_type: 'C' });
    await waitUntil(async () => (await db().participation.findFirstOrThrow({ where: { engineer: { slackId: 'U0NEWBIE2' } } })).leftAt !== null, 'the leave');
    h.emulator.archiveChannel(channel.id);
    await h.sender.event({ type: 'channel_archive', channel: channel.id, user: 'U0CREATOR' });
    await waitUntil(async () => (await db().incident.findUniqueOrThrow({ where: { channelId: channel.id } })).resolvedAt !== null, 'the resolution on archive');
    // An unknown user id that Slack does not know either is ignored, not an error that blocks the queue.
    expect(await db().engineer.count({ where: { slackId: 'U0NEWBIE1' } })).toBe(0);
  });
});
