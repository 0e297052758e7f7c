import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, isValidSlackRequest } from '@slack/bolt';
import { ResponseUrlSink, SlackEmulator } from '../../../src/dev/slack-emulator';
import { SlackSender, signRequest } from '../../../src/dev/slack-sender';
import { quietLogger } from './slack-emulator/support';

const SECRET = 'test-signing-secret-0123456789abcdef';

// Slack's documented example (FACTS.md §4; python-slack-sdk/signing/slash_command_body.form.txt).
const OFFICIAL = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: 1531420618,
  body:
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

interface Captured {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A plain HTTP endpoint that records what the sender delivers. */
async function captureServer(): Promise<{ url: string; received: Captured[]; server: Server }> {
  const received: Captured[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'x-test': 'yes' }).end('captured');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/slack/events`, received, server };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function validSignature(c: Captured, secret = SECRET): boolean {
  return isValidSlackRequest({
    signingSecret: secret,
    body: c.body,
    headers: {
      'x-slack-signature': String(c.headers['x-slack-signature']),
      'x-slack-request-timestamp': Number(c.headers['x-slack-request-timestamp']),
    },
  });
}

describe('signRequest', () => {
  it("matches Slack's official test vector", () => {
    expect(signRequest(OFFICIAL.secret, OFFICIAL.body, OFFICIAL.timestamp)).toEqual({
      'x-slack-request-timestamp': '1531420618',
      'x-slack-signature': OFFICIAL.signature,
    });
  });

  it('defaults the timestamp to now and changes with the body', () => {
    const before = Math.floor(Date.now() / 1000);
    const a = signRequest(SECRET, 'a=1');
    const b = signRequest(SECRET, 'a=2', Number(a['x-slack-request-timestamp']));
    expect(Number(a['x-slack-request-timestamp'])).toBeGreaterThanOrEqual(before);
    expect(a['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(b['x-slack-signature']).not.toBe(a['x-slack-signature']);
  });
});

describe('SlackSender over HTTP (capture server)', () => {
  let capture: Awaited<ReturnType<typeof captureServer>>;
  let sender: SlackSender;

  beforeEach(async () => {
    capture = await captureServer();
    sender = new SlackSender({ appUrl: capture.url, signingSecret: SECRET, teamId: 'T0TEAM', apiAppId: 'A0APP' });
  });

  afterEach(async () => {
    await closeServer(capture.server);
  });

  it('event() delivers a signed event_callback envelope like the docs example', async () => {
    const result = await sender.event({ type: 'member_joined_channel', user: 'U0ALICE', channel: 'C0INC', channel_type: 'C' });
    expect(result).toMatchObject({ status: 200, body: 'captured', headers: expect.objectContaining({ 'x-test': 'yes' }) });
    expect(result.ms).toBeGreaterThanOrEqual(0);

    const [req] = capture.received;
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-slack-retry-num']).toBeUndefined();
    expect(validSignature(req)).toBe(true);
    const envelope = JSON.parse(req.body) as Record<string, unknown>;
    // keys of slack-docs-pages/member_joined_channel.envelope.json plus the modern is_ext_shared_channel/event_context
    expect(Object.keys(envelope).sort()).toEqual(
      ['api_app_id', 'authorizations', 'event', 'event_context', 'event_id', 'event_time', 'is_ext_shared_channel', 'team_id', 'token', 'type'].sort(),
    );
    expect(envelope).toMatchObject({
      team_id: 'T0TEAM',
      api_app_id: 'A0APP',
      type: 'event_callback',
      event: { type: 'member_joined_channel', user: 'U0ALICE', channel: 'C0INC', channel_type: 'C' },
      authorizations: [{ team_id: 'T0TEAM', user_id: 'U0SMOKEBOT', is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    });
    expect(envelope.event_id).toMatch(/^Ev[A-Z0-9]{10}$/);
    expect(Math.abs(Number(envelope.event_time) - Date.now() / 1000)).toBeLessThan(5);
    expect(String(envelope.event_context)).toMatch(/^4-/);
  });

  it('envelope() + deliver() send the same event_id twice, with retry headers on the retry', async () => {
    const envelope = sender.envelope({ type: 'app_home_opened', user: 'U0ALICE', tab: 'home' }, { eventId: 'Ev0FIXED0001', eventTime: 1700000000 });
    await sender.deliver(envelope);
    await sender.deliver(envelope, { retryNum: 1 });
    await sender.deliver(envelope, { retryNum: 2, retryReason: 'http_error' });
    const ids = capture.received.map((r) => (JSON.parse(r.body) as { event_id: string }).event_id);
    expect(ids).toEqual(['Ev0FIXED0001', 'Ev0FIXED0001', 'Ev0FIXED0001']);
    expect(capture.received.map((r) => [r.headers['x-slack-retry-num'], r.headers['x-slack-retry-reason']])).toEqual([
      [undefined, undefined],
      ['1', 'http_timeout'],
      ['2', 'http_error'],
    ]);
    expect((JSON.parse(capture.received[0].body) as { event_time: number }).event_time).toBe(1700000000);
  });

  it('honours timestampSec and a forged signature', async () => {
    await sender.event({ type: 'app_mention', user: 'U0ALICE', text: 'hi', channel: 'C0INC' }, { timestampSec: 1_000_000_000 });
    await sender.event({ type: 'app_mention', user: 'U0ALICE', text: 'hi', channel: 'C0INC' }, { signature: 'v0=forged' });
    expect(capture.received[0].headers['x-slack-request-timestamp']).toBe('1000000000');
    expect(validSignature(capture.received[0])).toBe(false); // stale
    expect(capture.received[1].headers['x-slack-signature']).toBe('v0=forged');
    expect(validSignature(capture.received[1])).toBe(false);
  });

  it('command() posts the slash command form fields in Slack order', async () => {
    await sender.command({ text: 'help', user_id: 'U0ALICE', channel_id: 'C0INC', channel_name: 'inc-1', response_url: 'http://127.0.0.1:1/r' });
    const [req] = capture.received;
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(validSignature(req)).toBe(true);
    const form = new URLSearchParams(req.body);
    expect([...form.keys()]).toEqual([
      'token', 'team_id', 'team_domain', 'channel_id', 'channel_name', 'user_id', 'user_name', 'command', 'text',
      'api_app_id', 'is_enterprise_install', 'response_url', 'trigger_id',
    ]);
    expect(Object.fromEntries(form)).toMatchObject({
      team_id: 'T0TEAM',
      channel_id: 'C0INC',
      channel_name: 'inc-1',
      user_id: 'U0ALICE',
      user_name: 'u0alice',
      command: '/volunteer',
      text: 'help',
      api_app_id: 'A0APP',
      is_enterprise_install: 'false',
      response_url: 'http://127.0.0.1:1/r',
    });
    expect(form.get('trigger_id')).toMatch(/^\d{12}\.\d{11}\.[0-9a-f]{32}$/);
  });

  it('interaction() sends payload=<json> with team and app filled in', async () => {
    await sender.interaction({ type: 'block_actions', user: { id: 'U0ALICE' }, actions: [{ action_id: 'go' }] });
    const [req] = capture.received;
    expect(req.body.startsWith('payload=')).toBe(true);
    expect(validSignature(req)).toBe(true);
    const payload = JSON.parse(new URLSearchParams(req.body).get('payload') ?? '{}') as Record<string, unknown>;
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0ALICE' },
      actions: [{ action_id: 'go' }],
      team: { id: 'T0TEAM' },
      api_app_id: 'A0APP',
    });
  });

  it('raw() sends the body and headers untouched', async () => {
    const result = await sender.raw('{"broken":', { 'content-type': 'application/json', 'x-custom': '1' });
    expect(result.status).toBe(200);
    expect(capture.received[0].body).toBe('{"broken":');
    expect(capture.received[0].headers['x-custom']).toBe('1');
    expect(capture.received[0].headers['x-slack-signature']).toBeUndefined();
  });
});

describe('SlackSender against a real Bolt app using the emulator', () => {
  let emu: SlackEmulator;
  let sink: ResponseUrlSink;
  let app: App;
  let sender: SlackSender;
  const seen: Array<{ type: string; retryNum?: number; retryReason?: string }> = [];

  beforeAll(async () => {
    emu = new SlackEmulator();
    await emu.start();
    emu.addUser({ id: 'U0ALICE', name: 'alice' });
    emu.addChannel({ id: 'C0INC', name: 'inc-1', creator: 'U0ALICE', members: [emu.botUserId] });
    sink = new ResponseUrlSink();
    await sink.start();

    app = new App({
      token: emu.botToken,
      signingSecret: SECRET,
      logger: quietLogger,
      clientOptions: { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 } },
    });
    app.event('app_mention', async ({ event, say, context }) => {
      seen.push({ type: event.type, retryNum: context.retryNum, retryReason: context.retryReason });
      await say(`On it, <@${event.user}>`);
    });
    app.command('/volunteer', async ({ ack, respond, command }) => {
      await ack();
      await respond({ text: `Thanks ${command.user_id}, you're on ${command.channel_name}` });
    });
    app.action('volunteer_button', async ({ ack, body, client }) => {
      await ack();
      await client.chat.postEphemeral({ channel: 'C0INC', user: body.user.id, text: 'Noted' });
    });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    const { port } = server.address() as AddressInfo;
    sender = new SlackSender({ appUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SECRET });
  });

  afterAll(async () => {
    await app.stop();
    await sink.stop();
    await emu.stop();
  });

  it('an app_mention reaches the listener and its say() lands in the emulator', async () => {
    const res = await sender.event({ type: 'app_mention', user: 'U0ALICE', text: `<@${emu.botUserId}> help`, channel: 'C0INC', ts: '1700000000.000100' });
    expect(res.status).toBe(200);
    await emu.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage'), 3000);
    expect(emu.messagesTo('C0INC').map((m) => m.text)).toContain('On it, <@U0ALICE>');
    expect(emu.callsTo('auth.test').length).toBeGreaterThanOrEqual(1);
  });

  it('Bolt sees X-Slack-Retry-Num / Reason as context.retryNum / retryReason', async () => {
    seen.length = 0;
    const before = emu.callsTo('chat.postMessage').length;
    await sender.event({ type: 'app_mention', user: 'U0ALICE', text: 'again', channel: 'C0INC', ts: '1700000000.000200' }, { retryNum: 2, retryReason: 'http_error' });
    // Bolt acks events before running listeners, so the listener may still be on its way.
    await emu.waitFor((calls) => calls.filter((c) => c.method === 'chat.postMessage').length > before, 3000);
    expect(seen).toEqual([{ type: 'app_mention', retryNum: 2, retryReason: 'http_error' }]);
  });

  it('Bolt rejects forged and stale signatures with 401', async () => {
    const forged = await sender.event({ type: 'app_mention', user: 'U0ALICE', text: 'x', channel: 'C0INC' }, { signature: 'v0=deadbeef' });
    const stale = await sender.event({ type: 'app_mention', user: 'U0ALICE', text: 'x', channel: 'C0INC' }, { timestampSec: Math.floor(Date.now() / 1000) - 301 });
    expect(forged.status).toBe(401);
    expect(stale.status).toBe(401);
  });

  it('a slash command is acked and respond() posts to the response_url sink', async () => {
    const res = await sender.command({ user_id: 'U0ALICE', channel_id: 'C0INC', channel_name: 'inc-1', response_url: sink.url('volunteer-1') });
    expect(res.status).toBe(200);
    await sink.waitFor(1, 3000);
    expect(sink.received[0]).toEqual({ path: '/response/volunteer-1', body: expect.objectContaining({ text: "Thanks U0ALICE, you're on inc-1" }) });
  });

  it('a block action is handled and the app calls the emulator', async () => {
    const res = await sender.interaction({
      type: 'block_actions',
      user: { id: 'U0ALICE', username: 'alice', team_id: emu.teamId },
      trigger_id: '123.456.abc',
      channel: { id: 'C0INC', name: 'inc-1' },
      container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0INC', is_ephemeral: false },
      actions: [{ type: 'button', action_id: 'volunteer_button', block_id: 'b1', value: 'yes', action_ts: '1700000001.000000' }],
    });
    expect(res.status).toBe(200);
    await emu.waitFor((calls) => calls.some((c) => c.method === 'chat.postEphemeral'), 3000);
    expect(emu.ephemeralsTo('U0ALICE').map((e) => e.text)).toEqual(['Noted']);
  });

  it('deliver() can carry a url_verification challenge', async () => {
    const res = await sender.deliver({ token: 'x', type: 'url_verification', challenge: 'chal-123' });
    expect(res.status).toBe(200);
    expect(res.body).toContain('chal-123');
  });
});
