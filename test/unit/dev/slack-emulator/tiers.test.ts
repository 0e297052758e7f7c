import { LogLevel, WebClient, type WebAPIRateLimitedError } from '@slack/web-api';
import { SlackEmulator } from '../../../../src/dev/slack-emulator';
import { TierLimiter, windowsFor } from '../../../../src/dev/slack-emulator/tiers';

describe('TierLimiter', () => {
  it('lets Tier 2, 3 and 4 methods through 20, 50 and 100 times a minute, then asks for the wait', () => {
    let now = 1_000_000;
    const limiter = new TierLimiter(1, () => now);
    for (const [method, limit] of [['users.list', 20], ['conversations.open', 50], ['views.publish', 100]] as const) {
      for (let i = 0; i < limit; i++) expect(limiter.take(method, undefined)).toBeNull();
      expect(limiter.take(method, undefined)).toBe(60);
    }
    now += 30_000;
    expect(limiter.take('users.list', undefined)).toBe(30);
    now += 30_000;
    expect(limiter.take('users.list', undefined)).toBeNull();
  });

  it('limits chat.postMessage to one a second per channel and 300 a minute across the workspace', () => {
    let now = 0;
    const limiter = new TierLimiter(1, () => now);
    expect(limiter.take('chat.postMessage', 'D1')).toBeNull();
    expect(limiter.take('chat.postMessage', 'D1')).toBe(1);
    for (let i = 2; i <= 300; i++) expect(limiter.take('chat.postMessage', `D${i}`)).toBeNull();
    expect(limiter.take('chat.postMessage', 'D301')).toBe(60);
    expect(windowsFor('unknown.method', undefined)).toEqual([]);
  });

  it('shortens every window by the time scale, with Retry-After at least a second', () => {
    let now = 0;
    const limiter = new TierLimiter(60, () => now);
    for (let i = 0; i < 50; i++) expect(limiter.take('conversations.invite', undefined)).toBeNull();
    expect(limiter.take('conversations.invite', undefined)).toBe(1);
    now += 1_000;
    expect(limiter.take('conversations.invite', undefined)).toBeNull();
  });
});

describe('SlackEmulator with rateLimits: tiers', () => {
  let emu: SlackEmulator;
  const client = () =>
    new WebClient(emu.botToken, { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logLevel: LogLevel.ERROR });

  afterEach(async () => emu?.stop());

  it('answers HTTP 429 with Retry-After past a method tier, and does nothing for that call', async () => {
    emu = new SlackEmulator({ rateLimits: 'tiers' });
    await emu.start();
    emu.addUser({ id: 'U0ALICE', name: 'alice' });
    const c = client();
    for (let i = 0; i < 20; i++) await c.users.list({});
    const err = (await c.users.list({}).catch((e: unknown) => e)) as WebAPIRateLimitedError;
    expect(err.retryAfter).toBeGreaterThanOrEqual(59);
    expect(emu.callsTo('users.list').at(-1)).toMatchObject({ status: 429, response: { ok: false, error: 'ratelimited' } });

    await c.chat.postMessage({ channel: 'U0ALICE', text: 'one' });
    const second = (await c.chat.postMessage({ channel: emu.imOf('U0ALICE')!, text: 'two' }).catch((e: unknown) => e)) as WebAPIRateLimitedError;
    expect(second.retryAfter).toBe(1);
    expect(emu.messagesTo('U0ALICE').map((m) => m.text)).toEqual(['one']);
  });

  it('limits nothing by default', async () => {
    emu = new SlackEmulator();
    await emu.start();
    const c = client();
    for (let i = 0; i < 25; i++) await c.users.list({});
    expect(emu.callsTo('users.list').every((call) => call.status === 200)).toBe(true);
  });
});
