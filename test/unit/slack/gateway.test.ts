import { ErrorCode, type WebClient } from '@slack/web-api';
import { createLogger } from '../../../src/log';
import { DELIVERY_METADATA_TYPE, SlackGateway } from '../../../src/slack/gateway';
import { errorCodeOf, isRetryable, mayHaveActed, RATE_LIMIT_RETRIES } from '../../../src/slack/slack-calls';

/**
 * The gateway's error classification and retry decisions, against a WebClient-shaped fake (no
 * network): each method is a jest function the test scripts. Integration tests use the emulator.
 */
const platformError = (error: string) => Object.assign(new Error(error), { code: ErrorCode.PlatformError, data: { ok: false, error } });
const httpError = (statusCode: number) => Object.assign(new Error(`HTTP ${statusCode}`), { code: ErrorCode.HTTPError, statusCode });
const rateLimited = (retryAfter: number) => Object.assign(new Error('rate limited'), { code: ErrorCode.RateLimitedError, retryAfter });
const requestError = (code: string) => Object.assign(new Error(code), { code });

function fakeClient() {
  const fake = {
    on: jest.fn(),
    chat: { postMessage: jest.fn(), postEphemeral: jest.fn() },
    conversations: { invite: jest.fn(), members: jest.fn(), history: jest.fn(), open: jest.fn(), join: jest.fn() },
    users: { info: jest.fn() },
  };
  return { fake, client: fake as unknown as WebClient };
}

function gateway() {
  const { fake, client } = fakeClient();
  return { fake, slack: new SlackGateway(client, createLogger('silent')) };
}

describe('Slack error classification', () => {
  it.each([
    [platformError('user_is_restricted'), 'user_is_restricted', false],
    [platformError('channel_not_found'), 'channel_not_found', false],
    [platformError('ratelimited'), 'ratelimited', true],
    [platformError('internal_error'), 'internal_error', true],
    [platformError('fatal_error'), 'fatal_error', true],
    [httpError(503), 'http_503', true],
    [httpError(500), 'http_500', true],
    [httpError(400), 'http_400', false],
    [requestError('ECONNRESET'), 'ECONNRESET', true],
    [requestError('ECONNREFUSED'), 'ECONNREFUSED', true],
    [requestError(ErrorCode.RequestError), ErrorCode.RequestError, true],
    [new Error('no code'), 'unknown_error', false],
  ])('%p is %s, retryable: %s', (error, code, retryable) => {
    expect(errorCodeOf(error)).toBe(code);
    expect(isRetryable(code)).toBe(retryable);
  });

  it('takes a 429 for an answer before any action, and any other retryable error as possibly after one', () => {
    expect(mayHaveActed({ ok: false, error: 'ratelimited', retryable: true })).toBe(false);
    expect(mayHaveActed({ ok: false, error: ErrorCode.RateLimitedError, retryable: true })).toBe(false);
    expect(mayHaveActed({ ok: false, error: 'http_503', retryable: true })).toBe(true);
    expect(mayHaveActed({ ok: false, error: 'ECONNRESET', retryable: true })).toBe(true);
  });
});

describe('SlackGateway retries and results', () => {
  afterEach(() => jest.useRealTimers());

  it('waits out a 429 handed back with Retry-After, then tries the same call again', async () => {
    jest.useFakeTimers();
    const { fake, slack } = gateway();
    fake.chat.postMessage.mockRejectedValueOnce(rateLimited(2)).mockResolvedValueOnce({ ok: true, ts: '1.1', channel: 'C1' });
    const result = slack.post('C1', { text: 'hello' });
    await jest.advanceTimersByTimeAsync(1_999);
    expect(fake.chat.postMessage).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toEqual({ ok: true, value: { ts: '1.1', channel: 'C1' }, found: false });
    expect(fake.chat.postMessage).toHaveBeenCalledTimes(2);
  });

  it('reads a paged list one page per call: a 429 asks that page again with the same cursor, never the list from its start', async () => {
    const { fake, slack } = gateway();
    const page = (members: string[], next: string) => ({ ok: true, members, response_metadata: { next_cursor: next } });
    fake.conversations.members
      .mockResolvedValueOnce(page(['U1', 'U2'], 'c2'))
      .mockRejectedValueOnce(rateLimited(0))
      .mockResolvedValueOnce(page(['U3'], 'c3'))
      .mockRejectedValueOnce(rateLimited(0))
      .mockResolvedValueOnce(page(['U4'], ''));
    await expect(slack.channelMembers('C1')).resolves.toEqual({ ok: true, value: ['U1', 'U2', 'U3', 'U4'] });
    expect(fake.conversations.members.mock.calls.map(([args]) => (args as { cursor?: string }).cursor)).toEqual([undefined, 'c2', 'c2', 'c3', 'c3']);
  });

  it('hands each history page over as it arrives and stops at the first failure that is not a 429', async () => {
    const { fake, slack } = gateway();
    fake.conversations.history
      .mockResolvedValueOnce({ ok: true, messages: [{ user: 'U1', ts: '2.0' }], has_more: true, response_metadata: { next_cursor: 'h2' } })
      .mockRejectedValueOnce(platformError('not_in_channel'));
    const pages: unknown[] = [];
    await expect(slack.eachHistoryPage('C1', (p) => void pages.push(p))).resolves.toEqual({ ok: false, error: 'not_in_channel', retryable: false });
    expect(pages).toEqual([[{ user: 'U1', ts: '2.0', subtype: null, botId: null }]]);
  });

  it('gives up after RATE_LIMIT_RETRIES retries of a 429 with a retryable result, not a throw', async () => {
    const { fake, slack } = gateway();
    fake.chat.postMessage.mockRejectedValue(rateLimited(0));
    await expect(slack.post('C1', { text: 'hello' })).resolves.toEqual({ ok: false, error: ErrorCode.RateLimitedError, retryable: true });
    expect(fake.chat.postMessage).toHaveBeenCalledTimes(RATE_LIMIT_RETRIES + 1);
  });

  it('does not repeat an effect after a 5xx itself: the result is retryable and the ledger decides', async () => {
    const { fake, slack } = gateway();
    fake.chat.postMessage.mockRejectedValue(httpError(503));
    const result = await slack.post('C1', { text: 'hello' }, {}, { key: 'intro:C1' });
    expect(result).toEqual({ ok: false, error: 'http_503', retryable: true });
    expect(fake.chat.postMessage).toHaveBeenCalledTimes(1);
    expect(!result.ok && mayHaveActed(result)).toBe(true);
  });

  it('returns a per-person error instead of throwing, and counts already_in_channel as done', async () => {
    const { fake, slack } = gateway();
    fake.conversations.invite.mockImplementation(async ({ users }: { users: string }) => {
      if (users === 'U0GUEST') throw platformError('user_is_restricted');
      if (users === 'U0THERE') throw platformError('already_in_channel');
      return { ok: true };
    });
    const results = await Promise.all(['U0GUEST', 'U0THERE', 'U0NEW'].map((u) => slack.invite('C1', u)));
    expect(results).toEqual([
      { ok: false, error: 'user_is_restricted', retryable: false },
      { ok: true, value: 'already_in_channel', found: false },
      { ok: true, value: 'invited', found: false },
    ]);
  });

  it('tags a message sent for a ledger key with the key, and looks for it first when an earlier holder may have sent it', async () => {
    const { fake, slack } = gateway();
    const metadata = { event_type: DELIVERY_METADATA_TYPE, event_payload: { key: 'intro:C1' } };
    fake.chat.postMessage.mockResolvedValue({ ok: true, ts: '2.2', channel: 'C1' });
    fake.conversations.history.mockResolvedValueOnce({ ok: true, messages: [{ ts: '1.1', metadata }], has_more: false });
    const lookSince = new Date('2026-11-23T08:00:00Z');

    const found = await slack.post('C1', { text: 'intro' }, {}, { key: 'intro:C1', lookSince });
    expect(found).toEqual({ ok: true, value: { ts: '1.1', channel: 'C1' }, found: true });
    expect(fake.chat.postMessage).not.toHaveBeenCalled();
    expect(fake.conversations.history.mock.calls[0]![0]).toMatchObject({ channel: 'C1', include_all_metadata: true, oldest: String(lookSince.getTime() / 1000) + '.000000' });

    fake.conversations.history.mockResolvedValueOnce({ ok: true, messages: [], has_more: false });
    const sent = await slack.post('C1', { text: 'intro' }, {}, { key: 'intro:C1', lookSince });
    expect(sent).toEqual({ ok: true, value: { ts: '2.2', channel: 'C1' }, found: false });
    expect(fake.chat.postMessage.mock.calls[0]![0]).toMatchObject({ channel: 'C1', metadata });
  });

  it('does not send when the look itself fails for now, and sends when the look cannot tell', async () => {
    const { fake, slack } = gateway();
    const delivery = { key: 'intro:C1', lookSince: new Date() };
    fake.chat.postMessage.mockResolvedValue({ ok: true, ts: '3.3', channel: 'C1' });
    fake.conversations.history.mockRejectedValueOnce(platformError('internal_error'));
    expect(await slack.post('C1', { text: 'intro' }, {}, delivery)).toEqual({ ok: false, error: 'internal_error', retryable: true });
    expect(fake.chat.postMessage).not.toHaveBeenCalled();
    fake.conversations.history.mockRejectedValueOnce(platformError('missing_scope'));
    expect(await slack.post('C1', { text: 'intro' }, {}, delivery)).toMatchObject({ ok: true, found: false });
    expect(fake.chat.postMessage).toHaveBeenCalledTimes(1);
  });

  it('finds an invite made by an earlier holder as membership, and does not invite again', async () => {
    const { fake, slack } = gateway();
    fake.conversations.members.mockResolvedValue({ ok: true, members: ['U0BOT', 'U0LEARNER'] });
    const result = await slack.invite('C1', 'U0LEARNER', { key: 'invite:C1:U0LEARNER', lookSince: new Date() });
    expect(result).toEqual({ ok: true, value: 'already_in_channel', found: true });
    expect(fake.conversations.invite).not.toHaveBeenCalled();
    // Without an earlier holder, no look.
    fake.conversations.invite.mockResolvedValue({ ok: true });
    expect(await slack.invite('C1', 'U0OTHER', { key: 'invite:C1:U0OTHER' })).toEqual({ ok: true, value: 'invited', found: false });
    expect(fake.conversations.members).toHaveBeenCalledTimes(1);
  });
});

describe('firstMessages', () => {
  it('reads a new channel oldest first, marks bots and apps (bot_id, bot_message), reads attachments, skips joins', async () => {
    const { fake, slack } = gateway();
    fake.conversations.history.mockResolvedValue({
      ok: true,
      // conversations.history answers newest first
      messages: [
        { type: 'message', user: 'U0SAM', text: 'looking at it' },
        { type: 'message', subtype: 'channel_join', user: 'U0KIM', text: '<@U0KIM> has joined the channel' },
        { type: 'message', subtype: 'bot_message', bot_id: 'B0HOOK', username: 'pager', text: '', attachments: [{ fallback: 'Commander: <@U0LOU>' }] },
        { type: 'message', user: 'U0TOOL', bot_id: 'B0TOOL', text: 'Severity: SEV1 · Incident lead: <@U0LOU>' },
      ],
    });
    const read = await slack.firstMessages('C0INC');
    expect(fake.conversations.history).toHaveBeenCalledWith({ channel: 'C0INC', limit: 50 });
    expect(read).toEqual({
      ok: true,
      value: [
        { user: 'U0TOOL', text: 'Severity: SEV1 · Incident lead: <@U0LOU>', fromBot: true },
        { user: null, text: 'Commander: <@U0LOU>', fromBot: true },
        { user: 'U0SAM', text: 'looking at it', fromBot: false },
      ],
    });
  });
});
