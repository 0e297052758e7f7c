import { ErrorCode, type WebClient, type WebAPIHTTPError, type WebAPIRateLimitedError } from '@slack/web-api';
import { SlackEmulator } from '../../../../src/dev/slack-emulator';
import { rawPost, rejection, useStartedEmulator, webClient } from './support';

describe('SlackEmulator: faults', () => {
  let emu: SlackEmulator;
  let client: WebClient;
  useStartedEmulator((started) => ({ emu, client } = started));

  it('a 429 fault sets Retry-After and the ratelimited body; rejectRateLimitedCalls surfaces retryAfter', async () => {
    emu.addFault({ method: 'chat.postMessage', status: 429, retryAfterSeconds: 7 });
    const strict = webClient(emu, emu.botToken, { rejectRateLimitedCalls: true });
    const err = await rejection<WebAPIRateLimitedError>(strict.chat.postMessage({ channel: 'U0ALICE', text: 'x' }));
    expect(err.code).toBe(ErrorCode.RateLimitedError);
    expect(err.retryAfter).toBe(7);
    expect(emu.callsTo('chat.postMessage')[0]).toMatchObject({ status: 429, response: { ok: false, error: 'ratelimited' } });
    expect(emu.messagesTo('U0ALICE')).toEqual([]);

    // times defaults to 1: the next call goes through
    await expect(strict.chat.postMessage({ channel: 'U0ALICE', text: 'x' })).resolves.toMatchObject({ ok: true });
  });

  it('everyNthPage faults the first request for every Nth page of a listing; a retry with the same cursor, or a restart, is answered', async () => {
    for (let i = 0; i < 8; i++) emu.addUser({ id: `U0PAGE${i}`, name: `page${i}` });
    emu.addFault({ method: 'users.list', status: 429, retryAfterSeconds: 2, everyNthPage: 2, times: Infinity });
    const strict = webClient(emu, emu.botToken, { rejectRateLimitedCalls: true });
    const page1 = await strict.users.list({ limit: 4 });
    const cursor2 = page1.response_metadata!.next_cursor!;
    const refused = await rejection<WebAPIRateLimitedError>(strict.users.list({ limit: 4, cursor: cursor2 }));
    expect(refused.retryAfter).toBe(2);
    const page2 = await strict.users.list({ limit: 4, cursor: cursor2 });
    const cursor3 = page2.response_metadata!.next_cursor!;
    await expect(strict.users.list({ limit: 4, cursor: cursor3 })).resolves.toMatchObject({ ok: true });
    // starting over: page 2 was had before, so it is not refused again
    await expect(strict.users.list({ limit: 4 })).resolves.toMatchObject({ ok: true });
    await expect(strict.users.list({ limit: 4, cursor: cursor2 })).resolves.toMatchObject({ ok: true });
    expect(emu.callsTo('users.list').map((c) => c.status)).toEqual([200, 429, 200, 200, 200, 200]);
    expect(() => emu.addFault({ method: 'users.list', status: 429, everyNthPage: 0 })).toThrow('everyNthPage must be a whole number from 1');
  });

  it('a 429 over raw HTTP carries the Retry-After header', async () => {
    emu.addFault({ method: '*', status: 429 });
    const res = await rawPost(`${emu.apiUrl}auth.test`, '', { authorization: `Bearer ${emu.botToken}` });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.json).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('error faults honour when and times, and 5xx faults become HTTP errors', async () => {
    emu.addFault({ method: 'conversations.invite', error: 'user_is_restricted', when: (a) => a.users === 'U0BOB', times: Infinity });
    const ch = emu.addChannel({ name: 'inc', creator: 'U0ALICE', members: [emu.botUserId] });
    for (let i = 0; i < 3; i++) {
      const err = await rejection(client.conversations.invite({ channel: ch.id, users: 'U0BOB' }));
      expect(err.data.error).toBe('user_is_restricted');
    }
    emu.addUser({ id: 'U0CAROL', name: 'carol' });
    await expect(client.conversations.invite({ channel: ch.id, users: 'U0CAROL' })).resolves.toMatchObject({ ok: true });

    emu.clearFaults();
    await expect(client.conversations.invite({ channel: ch.id, users: 'U0BOB' })).resolves.toMatchObject({ ok: true });

    emu.addFault({ method: 'users.info', status: 503 });
    const http = await rejection<WebAPIHTTPError>(client.users.info({ user: 'U0BOB' }));
    expect(http.code).toBe(ErrorCode.HTTPError);
    expect(http.statusCode).toBe(503);
    expect(emu.callsTo('users.info')[0].status).toBe(503);
  });

  it('probabilistic faults are reproducible for a seed', async () => {
    async function outcomes(seed: number): Promise<boolean[]> {
      const e = new SlackEmulator({ seed });
      await e.start();
      try {
        const c = webClient(e);
        e.addFault({ method: 'auth.test', error: 'fatal_error', probability: 0.5, times: Infinity });
        const out: boolean[] = [];
        for (let i = 0; i < 20; i++) out.push(await c.auth.test().then(() => true, () => false));
        return out;
      } finally {
        await e.stop();
      }
    }
    const a = await outcomes(42);
    expect(await outcomes(42)).toEqual(a);
    expect(a).toContain(true);
    expect(a).toContain(false);
  });

  it('latencyMs delays every response', async () => {
    const slow = new SlackEmulator({ latencyMs: 150 });
    await slow.start();
    try {
      const c = webClient(slow);
      const started = Date.now();
      await c.auth.test();
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    } finally {
      await slow.stop();
    }
  });
});
