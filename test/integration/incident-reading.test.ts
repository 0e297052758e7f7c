import { sweepChannels } from '../../src/flows/sweep-flow';
import { startHarness, waitUntil, person, type Harness } from '../helpers/harness';

/**
 * Issue 15, "when and how many": selection waits INVITE_DELAY (a pg-boss job), reads the severity
 * from the channel, takes at most MAX_LEARNERS_PER_RESPONDER per human responding, and skips
 * people who are away or already learning elsewhere. Over HTTP, against the emulator and PostgreSQL.
 */

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

async function selectionJobs(h: Harness, incidentId: number): Promise<Array<{ state: string }>> {
  return h.app.deps.db.$queryRawUnsafe(`SELECT state FROM pgboss.job WHERE name = 'select-learners' AND data->>'incidentId' = $1`, String(incidentId));
}

async function incidentOf(h: Harness, channelId: string) {
  let incident: Awaited<ReturnType<typeof h.app.deps.db.incident.findUnique>> = null;
  await waitUntil(async () => (incident = await h.app.deps.db.incident.findUnique({ where: { channelId } })) !== null, `the incident of ${channelId} recorded`);
  return incident!;
}

const invitesTo = (h: Harness, channelId: string) => h.emulator.callsTo('conversations.invite').filter((c) => c.args.channel === channelId).map((c) => c.args.users as string).sort();

describe('INVITE_DELAY and severity', () => {
  const DELAY_MS = 4_000;
  const team = [
    person('U0LEAD', 'Lena', 'Europe/Berlin'),
    person('U0RESP', 'Rafa', 'Europe/Berlin'),
    person('U0J1', 'Jo', 'Europe/Berlin'),
    person('U0J2', 'Kim', 'Europe/Berlin'),
    person('U0J3', 'Ari', 'Europe/Berlin'),
    person('U0J6', 'Mo', 'Europe/Berlin'),
    person('U0J7', 'Pat', 'Europe/Berlin'),
    { id: 'U0TOOL', name: 'incident-tool', real_name: 'Incident Tool', is_bot: true, bot_id: 'B0TOOL' },
  ];
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ users: team, env: { INVITE_DELAY: `${DELAY_MS / 1000}s`, MAX_LEARNERS_PER_RESPONDER: '1' } });
    await h.app.deps.db.engineer.updateMany({ where: { slackId: { in: ['U0LEAD', 'U0RESP'] } }, data: { level: 'senior' } });
  });
  afterAll(async () => h?.stop());

  async function open(name: string, creator: string, members: string[] = []) {
    const channel = h.emulator.addChannel({ name, creator, members, created: seconds(h.clock()) });
    await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name, created: seconds(h.clock()), creator } });
    return { channel, incident: await incidentOf(h, channel.id) };
  }

  it('chooses nobody until INVITE_DELAY is over, then counts the responders who came meanwhile', async () => {
    const { channel, incident } = await open('inc-payments-slow', 'U0LEAD');
    expect(incident.selectedAt).toBeNull();
    await waitUntil(async () => (await selectionJobs(h, incident.id)).length === 1, 'the selection job queued');
    // The event is handled and the app is in the channel, but nobody is invited yet.
    await waitUntil(() => h.emulator.callsTo('conversations.join').some((c) => c.args.channel === channel.id), 'the app to join');
    expect(invitesTo(h, channel.id)).toEqual([]);
    // A responder joins before the delay is over: two humans, so up to two learners.
    h.emulator.addMember(channel.id, 'U0RESP');

    await waitUntil(() => invitesTo(h, channel.id).length === 2, 'the invites after INVITE_DELAY', 20_000);
    const selected = await h.app.deps.db.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(selected.selectedAt!.getTime() - incident.openedAt.getTime()).toBeGreaterThanOrEqual(DELAY_MS - 1_000);
    expect(selected.severity).toBeNull();
    await waitUntil(() => h.emulator.messagesTo(channel.id).length === 1, 'the intro');
  });

  it('gives nothing to a channel archived or deleted before the delay is over', async () => {
    const archived = await open('inc-false-alarm', 'U0LEAD');
    const deleted = await open('inc-typo-channel', 'U0LEAD');
    h.emulator.archiveChannel(archived.channel.id);
    await h.sender.event({ type: 'channel_archive', channel: archived.channel.id, user: 'U0LEAD' });
    // Deleted with no event at all: the job itself finds the channel gone.
    h.emulator.deleteChannel(deleted.channel.id);

    for (const { incident } of [archived, deleted]) {
      await waitUntil(async () => (await selectionJobs(h, incident.id)).some((j) => j.state === 'completed'), 'the selection job to run', 20_000);
      const after = await h.app.deps.db.incident.findUniqueOrThrow({ where: { id: incident.id } });
      expect(after.resolvedAt).not.toBeNull();
      expect(after.selectedAt).toBeNull();
      expect(await h.app.deps.db.participation.count({ where: { incidentId: incident.id } })).toBe(0);
    }
    expect(invitesTo(h, archived.channel.id)).toEqual([]);
    expect(invitesTo(h, deleted.channel.id)).toEqual([]);
    expect(h.emulator.messagesTo(archived.channel.id)).toEqual([]);
  });

  it('reads "Severity: SEV1" from an incident tool\'s first message: one silent learner, no channel message', async () => {
    const name = 'inc-2931-checkout-errors';
    const channel = h.emulator.addChannel({ name, creator: 'U0TOOL', members: ['U0LEAD', 'U0RESP'], created: seconds(h.clock()) });
    h.emulator.setChannelTopic(channel.id, { topic: 'Checkout returns 500s', purpose: 'Incident channel, managed by Incident Tool' });
    h.emulator.postAs({ channel: channel.id, user: 'U0TOOL', bot_id: 'B0TOOL', text: 'Severity: SEV1 · Incident lead: <@U0LEAD>' });
    await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name, created: seconds(h.clock()), creator: 'U0TOOL' } });
    const incident = await incidentOf(h, channel.id);

    await waitUntil(async () => (await h.app.deps.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).selectedAt !== null, 'the selection', 20_000);
    const selected = await h.app.deps.db.incident.findUniqueOrThrow({ where: { id: incident.id }, include: { participations: { include: { engineer: true } } } });
    expect(selected.severity).toBe(1);
    const learners = selected.participations.filter((p) => p.role === 'learner' || p.role === 'volunteer');
    expect(learners).toHaveLength(1);
    const learner = learners[0]!.engineer.slackId;
    // The welcome DM is the first entry of PROMPT_SCHEDULE.
    await waitUntil(() => h.emulator.messagesTo(learner).some((m) => (m.text ?? '').startsWith('Welcome to')), 'the welcome DM', 20_000);
    // Not named in the channel: the app posted nothing there.
    expect(h.emulator.callsTo('chat.postMessage').filter((c) => c.args.channel === channel.id)).toEqual([]);
    expect(await h.app.deps.db.delivery.count({ where: { incidentId: incident.id, kind: 'intro' } })).toBe(0);
    // Their welcome asks them to watch without posting there.
    const prompt = h.emulator.messagesTo(learner).find((m) => (m.text ?? '').startsWith('Welcome to'))!;
    expect(JSON.stringify(prompt.blocks)).toContain('do not post in the channel');
    expect(JSON.stringify(prompt.blocks)).not.toContain('in a thread under the message');
  });

  it('never selects early from the channel sweep, and selects an incident whose job was lost once it is due', async () => {
    const { channel, incident } = await open('inc-lost-job', 'U0LEAD', ['U0RESP']);
    // The job is lost (a database restored, a queue purged): only the incident row is left.
    await waitUntil(async () => (await selectionJobs(h, incident.id)).length === 1, 'the selection job queued');
    await h.app.deps.db.$executeRawUnsafe(`DELETE FROM pgboss.job WHERE name = 'select-learners' AND data->>'incidentId' = $1`, String(incident.id));
    await sweepChannels(h.app.deps);
    expect((await h.app.deps.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).selectedAt).toBeNull();
    expect(invitesTo(h, channel.id)).toEqual([]);

    // Past INVITE_DELAY and the sweep's grace minute: the next sweep selects it.
    h.setNow(new Date(h.clock().getTime() + DELAY_MS + 2 * 60_000));
    const swept = await sweepChannels(h.app.deps);
    expect(swept.overdue).toBe(1);
    expect((await h.app.deps.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).selectedAt).not.toBeNull();
    expect(invitesTo(h, channel.id).length).toBeGreaterThan(0);
    // A second sweep finds nothing left to do.
    expect((await sweepChannels(h.app.deps)).overdue).toBe(0);
  });
});

describe('MAX_LEARNERS_PER_RESPONDER and availability', () => {
  const team = [
    person('U0LEAD', 'Lena', 'Europe/Berlin'),
    person('U0RESP', 'Rafa', 'Europe/Berlin'),
    person('U0RESP2', 'Noor', 'Europe/Berlin'),
    person('U0AAWAY', 'Vic', 'Europe/Berlin', { status_text: 'On vacation 🌴', status_emoji: ':palm_tree:' }),
    person('U0V1', 'Val', 'Europe/Berlin'),
    person('U0V2', 'Vin', 'Europe/Berlin'),
    person('U0V3', 'Vo', 'Europe/Berlin'),
    person('U0J4', 'Jes', 'Europe/Berlin'),
    person('U0J5', 'Jun', 'Europe/Berlin'),
  ];
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ users: team, env: { INVITE_DELAY: '0s', MAX_LEARNERS_PER_RESPONDER: '1' } });
    await h.app.deps.db.engineer.updateMany({ where: { slackId: { in: ['U0LEAD', 'U0RESP', 'U0RESP2'] } }, data: { level: 'senior' } });
  });
  afterAll(async () => h?.stop());

  it('takes at most 2 learners with two responders present, even with 3 volunteers waiting', async () => {
    await h.app.deps.db.engineer.updateMany({ where: { slackId: { in: ['U0V1', 'U0V2', 'U0V3'] } }, data: { volunteerUntil: new Date(h.clock().getTime() + 8 * 3_600_000) } });
    const channel = h.emulator.addChannel({ name: 'inc-queue-backlog', creator: 'U0LEAD', members: ['U0RESP'], created: seconds(h.clock()) });
    await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name: channel.name, created: seconds(h.clock()), creator: 'U0LEAD' } });
    const incident = await incidentOf(h, channel.id);
    await waitUntil(() => h.emulator.messagesTo(channel.id).length === 1, 'the intro');
    expect(invitesTo(h, channel.id)).toEqual(['U0V1', 'U0V2']);
    const participations = await h.app.deps.db.participation.findMany({ where: { incidentId: incident.id, role: { in: ['learner', 'volunteer'] } } });
    expect(participations.map((p) => p.source)).toEqual(['volunteer', 'volunteer']);
  });

  it('skips someone whose Slack status says they are on vacation, and anyone already learning in another open incident', async () => {
    expect(await h.app.deps.db.engineer.findUniqueOrThrow({ where: { slackId: 'U0AAWAY' } })).toMatchObject({ statusText: 'On vacation 🌴', statusEmoji: ':palm_tree:' });
    // Three humans respond, so up to three learners: without the two rules, U0AAWAY (least exposed) and the volunteers came first.
    const channel = h.emulator.addChannel({ name: 'inc-cache-misses', creator: 'U0LEAD', members: ['U0RESP', 'U0RESP2'], created: seconds(h.clock()) });
    await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name: channel.name, created: seconds(h.clock()), creator: 'U0LEAD' } });
    await incidentOf(h, channel.id);
    await waitUntil(() => h.emulator.messagesTo(channel.id).length === 1, 'the intro');
    // U0V3 volunteered and is free; U0V1 and U0V2 are learning in inc-queue-backlog, still open.
    expect(invitesTo(h, channel.id)).toEqual(['U0J4', 'U0J5', 'U0V3']);
  });
});
