import { loadConfig } from '../../src/config';
import { SlackEmulator } from '../../src/dev/slack-emulator';
import { SocketModeServer, eventsApiEnvelope } from '../../src/dev/socket-mode-server';
import { createLogger } from '../../src/log';
import { start, type Running } from '../../src/main';
import { helpReply } from '../../src/slack/views/volunteer-replies';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { readFixture } from '../helpers/fixtures';
import { person, waitUntil, WEDNESDAY_MORNING_BERLIN } from '../helpers/harness';

const APP_TOKEN = 'xapp-1-A0SMOKEAPP-1-socketmodetest';

/** Slack's own Socket Mode envelope (python-slack-sdk fixture), carrying a channel_created event of this workspace. */
function channelCreatedEnvelope(emulator: SlackEmulator, channel: { id: string; name: string; creator: string }) {
  const fixture = readFixture<{ envelope_id: string; payload: Record<string, unknown> }>('python-slack-sdk/socket-mode/events_api.app_mention.envelope.json');
  const payload = {
    ...fixture.payload,
    team_id: emulator.teamId,
    api_app_id: emulator.appId,
    event_id: 'Ev0SOCKET01',
    event: { type: 'channel_created', channel: { id: channel.id, name: channel.name, created: Math.floor(Date.now() / 1000), creator: channel.creator }, event_ts: `${Math.floor(Date.now() / 1000)}.000100` },
    authorizations: [{ enterprise_id: null, team_id: emulator.teamId, user_id: emulator.botUserId, is_bot: true, is_enterprise_install: false }],
    event_context: '4-socket-mode-test',
  };
  return eventsApiEnvelope(payload, { envelopeId: fixture.envelope_id });
}

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  let database: TestDatabase;
  let emulator: SlackEmulator;
  let socketMode: SocketModeServer;
  let app: Running;

  beforeAll(async () => {
    database = await createTestDatabase();
    emulator = new SlackEmulator();
    await emulator.start();
    for (const u of [person('U0CREATOR', 'Casey'), person('U0JUNIOR1', 'Jo'), person('U0JUNIOR2', 'Kim'), person('U0SENIOR1', 'Sam')]) emulator.addUser(u);
    socketMode = new SocketModeServer({ upstreamApiUrl: emulator.apiUrl, appToken: APP_TOKEN, appId: emulator.appId });
    await socketMode.start();
    const offset = WEDNESDAY_MORNING_BERLIN.getTime() - Date.now();
    const config = loadConfig(
      { DATABASE_URL: database.url, SLACK_BOT_TOKEN: emulator.botToken, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: socketMode.apiUrl, PORT: '0', METRICS_PORT: '0', METRICS_HOST: '127.0.0.1',
        // As in the harness: selection at once, in a channel holding only its creator.
        INVITE_DELAY: '0s', MAX_LEARNERS_PER_RESPONDER: '0' },
      'start',
    );
    app = await start(config, createLogger(process.env.LOG_LEVEL ?? 'silent'), { clock: () => new Date(Date.now() + offset) });
    await waitUntil(async () => (await app.deps.db.engineer.count({ where: { active: true } })) >= 4, 'the roster sync at start');
  });

  afterAll(async () => {
    await app?.stop();
    await socketMode?.stop();
    await emulator?.stop();
    await database?.drop();
  });

  it('opens the connection with the app-level token, without any signing secret', async () => {
    expect(socketMode.connectionsOpened).toBeGreaterThanOrEqual(1);
    expect(socketMode.connected).toBe(true);
    // The bot token still goes to the Web API through the same URL.
    expect(emulator.callsTo('auth.test').length).toBeGreaterThanOrEqual(1);
  });

  it('acknowledges an events_api envelope and acts on it: channel_created leads to invites', async () => {
    const channel = emulator.addChannel({ name: 'inc-socket-mode', creator: 'U0CREATOR' });
    const envelope = channelCreatedEnvelope(emulator, channel);

    const ack = await socketMode.deliver(envelope);

    expect(ack.envelope_id).toBe('cda4159a-72a5-4744-aba3-4d66eb52682b');
    await emulator.waitFor((calls) => calls.filter((c) => c.method === 'conversations.invite').length >= 2, 10_000);
    expect(emulator.callsTo('conversations.invite').map((c) => c.args.users).sort()).toEqual(['U0JUNIOR1', 'U0JUNIOR2']);
    expect(await app.deps.db.slackEvent.count({ where: { eventId: 'Ev0SOCKET01' } })).toBe(1);
  });

  it('treats a redelivered envelope (retry_attempt 1) as the duplicate it is', async () => {
    const channel = emulator.channel('C0EMU00001')!;
    const again = { ...channelCreatedEnvelope(emulator, channel), envelope_id: 'redelivery-1', retry_attempt: 1, retry_reason: 'timeout' };
    const invitesBefore = emulator.callsTo('conversations.invite').length;

    const ack = await socketMode.deliver(again);

    expect(ack.envelope_id).toBe('redelivery-1');
    const duplicates = async () => (await app.deps.metrics.eventsReceived.get()).values.find((v) => v.labels.delivery === 'duplicate')?.value ?? 0;
    await waitUntil(async () => (await duplicates()) === 1, 'the redelivery to be recognised as a duplicate');
    expect(await app.deps.db.slackEvent.count({ where: { eventId: 'Ev0SOCKET01' } })).toBe(1);
    expect(emulator.callsTo('conversations.invite')).toHaveLength(invitesBefore);
  });

  it('answers a slash command in the acknowledgement itself (slash_commands envelope, accepts_response_payload)', async () => {
    const fixture = readFixture<{ envelope_id: string; payload: Record<string, unknown>; type: 'slash_commands'; accepts_response_payload: boolean }>('python-slack-sdk/socket-mode/slash_commands.envelope.json');
    const envelope = {
      ...fixture,
      payload: { ...fixture.payload, team_id: emulator.teamId, api_app_id: emulator.appId, user_id: 'U0JUNIOR1', user_name: 'jo', command: '/volunteer', text: 'help' },
    };

    const ack = await socketMode.deliver(envelope);

    expect(ack.envelope_id).toBe(fixture.envelope_id);
    const reply = ack.payload as { response_type?: string; text?: string; blocks?: unknown[] };
    expect({ response_type: reply.response_type, text: reply.text, blocks: reply.blocks }).toEqual({ response_type: 'ephemeral', ...helpReply(false) });
  });
  it('does not acknowledge an envelope whose event cannot be stored, and takes the redelivery', async () => {
    const channel = emulator.addChannel({ name: 'inc-socket-db-gone', creator: 'U0CREATOR' });
    const envelope = { ...channelCreatedEnvelope(emulator, channel), envelope_id: 'unstored-1' };
    (envelope.payload as { event_id: string }).event_id = 'Ev0SOCKET02';
    await app.deps.pool.query('ALTER TABLE slack_events RENAME TO slack_events_away');
    try {
      await expect(socketMode.deliver(envelope, 1_500)).rejects.toThrow('was not acknowledged');
    } finally {
      await app.deps.pool.query('ALTER TABLE slack_events_away RENAME TO slack_events');
    }
    expect(socketMode.acks.some((a) => a.envelope_id === 'unstored-1')).toBe(false);
    const ack = await socketMode.deliver({ ...envelope, envelope_id: 'unstored-1-retry', retry_attempt: 1, retry_reason: 'timeout' });
    expect(ack.envelope_id).toBe('unstored-1-retry');
    await waitUntil(async () => (await app.deps.db.incident.count({ where: { channelId: channel.id, selectedAt: { not: null } } })) === 1, 'the incident from the redelivered envelope');
  });
});
