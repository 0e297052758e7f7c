import {
  ErrorCode,
  LogLevel,
  WebClient,
  type Logger,
  type WebAPIHTTPError,
  type WebAPIPlatformError,
  type WebAPIRateLimitedError,
  type WebClientOptions,
} from '@slack/web-api';
import { readFileSync } from 'node:fs';
import { ResponseUrlSink, SlackEmulator } from '../../../src/dev/slack-emulator';
import { fixturePath } from '../../helpers/fixtures';

// Field names of a member in docs.slack.dev/examples/users.list.success.json (first member).
const USERS_LIST_MEMBER_KEYS = [
  'id', 'team_id', 'name', 'deleted', 'color', 'real_name', 'tz', 'tz_label', 'tz_offset', 'profile',
  'is_admin', 'is_owner', 'is_primary_owner', 'is_restricted', 'is_ultra_restricted', 'is_bot', 'updated',
  'is_app_user', 'has_2fa',
];
// Field names of the channel in docs.slack.dev/examples/conversations.join.success.json.
const JOIN_CHANNEL_KEYS = [
  'id', 'name', 'is_channel', 'is_group', 'is_im', 'created', 'creator', 'is_archived', 'is_general', 'unlinked',
  'name_normalized', 'is_shared', 'is_ext_shared', 'is_org_shared', 'pending_shared', 'is_pending_ext_shared',
  'is_member', 'is_private', 'is_mpim', 'topic', 'purpose', 'previous_names',
];
// Field names of the view in docs.slack.dev/examples/views.publish.success.json.
const PUBLISH_VIEW_KEYS = [
  'id', 'team_id', 'type', 'close', 'submit', 'blocks', 'private_metadata', 'callback_id', 'state', 'hash',
  'clear_on_close', 'notify_on_close', 'root_view_id', 'previous_view_id', 'app_id', 'external_id', 'bot_id',
];

// The WebClient logs platform warnings/messages itself; the tests assert on them instead.
const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

function webClient(emulator: SlackEmulator, token = emulator.botToken, extra: WebClientOptions = {}): WebClient {
  return new WebClient(token, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger, ...extra });
}

async function rejection<E = WebAPIPlatformError>(p: Promise<unknown>): Promise<E> {
  try {
    await p;
  } catch (err) {
    return err as E;
  }
  throw new Error('expected the call to be rejected');
}

async function rawPost(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(url, { method: 'POST', body, headers });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

describe('SlackEmulator', () => {
  let emu: SlackEmulator;
  let client: WebClient;

  beforeEach(async () => {
    emu = new SlackEmulator();
    await emu.start();
    client = webClient(emu);
    emu.addUser({ id: 'U0ALICE', name: 'alice', real_name: 'Alice A', email: 'alice@example.com', tz: 'America/Los_Angeles' });
    emu.addUser({ id: 'U0BOB', name: 'bob', email: 'Bob@Example.com' });
    emu.addUser({ id: 'U0GUEST', name: 'guest', is_restricted: true });
  });

  afterEach(async () => {
    await emu.stop();
  });

  describe('auth', () => {
    it('auth.test returns the bot identity', async () => {
      const res = await client.auth.test();
      expect(res).toMatchObject({
        ok: true,
        user_id: emu.botUserId,
        bot_id: 'B0SMOKEBOT',
        team_id: emu.teamId,
        team: 'Smokejumper Test',
        url: 'https://smokejumper-test.slack.com/',
        user: 'smokejumper',
      });
      expect(emu.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    });

    it('rejects a wrong token with invalid_auth and a missing one with not_authed', async () => {
      const wrong = webClient(emu, 'xoxb-wrong');
      const err = await rejection(wrong.auth.test());
      expect(err.code).toBe(ErrorCode.PlatformError);
      expect(err.data.error).toBe('invalid_auth');

      const missing = await rawPost(`${emu.apiUrl}auth.test`, '', { 'content-type': 'application/x-www-form-urlencoded' });
      expect(missing.json).toEqual({ ok: false, error: 'not_authed' });
    });

    it('accepts the token as a form argument too', async () => {
      const res = await rawPost(`${emu.apiUrl}auth.test`, `token=${emu.botToken}`, { 'content-type': 'application/x-www-form-urlencoded' });
      expect(res.json).toMatchObject({ ok: true, user_id: emu.botUserId });
    });
  });

  describe('recording', () => {
    it('records calls with their args but never the token', async () => {
      await client.chat.postMessage({ channel: 'U0ALICE', text: 'hi' });
      await rawPost(`${emu.apiUrl}users.info`, `token=${emu.botToken}&user=U0BOB`, { 'content-type': 'application/x-www-form-urlencoded' });
      const calls = emu.calls;
      expect(calls.map((c) => c.method)).toEqual(['chat.postMessage', 'users.info']);
      expect(calls[0]).toMatchObject({ seq: 1, status: 200, args: { channel: 'U0ALICE', text: 'hi' } });
      expect(calls[1].args).toEqual({ user: 'U0BOB' });
      expect(JSON.stringify(calls)).not.toContain(emu.botToken);
      expect(emu.callsTo('users.info')).toHaveLength(1);
      expect((calls[1].response as { user: { id: string } }).user.id).toBe('U0BOB');
      emu.clearCalls();
      expect(emu.calls).toEqual([]);
    });

    it('parses JSON-encoded blocks sent by the WebClient form encoding', async () => {
      const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*hello*' } }];
      await client.chat.postMessage({ channel: 'U0ALICE', text: 'fallback', blocks });
      expect(emu.callsTo('chat.postMessage')[0].args.blocks).toEqual(blocks);
    });

    it('answers unknown methods and malformed bodies like Slack', async () => {
      const unknown = await rawPost(`${emu.apiUrl}conversations.frobnicate`, `token=${emu.botToken}`, {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(unknown.status).toBe(200);
      expect(unknown.json).toEqual({ ok: false, error: 'unknown_method' });

      const badJson = await rawPost(`${emu.apiUrl}chat.postMessage`, '{"channel":', {
        'content-type': 'application/json',
        authorization: `Bearer ${emu.botToken}`,
      });
      expect(badJson.json).toEqual({ ok: false, error: 'invalid_json' });

      const badType = await rawPost(`${emu.apiUrl}chat.postMessage`, 'channel=x', {
        'content-type': 'text/plain',
        authorization: `Bearer ${emu.botToken}`,
      });
      expect(badType.json).toEqual({ ok: false, error: 'invalid_form_data' });

      const badBlocks = await rawPost(`${emu.apiUrl}chat.postMessage`, 'channel=U0ALICE&blocks=%5Bnot-json', {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Bearer ${emu.botToken}`,
      });
      expect(badBlocks.json).toEqual({ ok: false, error: 'invalid_blocks_format' });
      expect(emu.calls.map((c) => c.method)).toEqual(['conversations.frobnicate', 'chat.postMessage', 'chat.postMessage', 'chat.postMessage']);
    });

    it('accepts application/json bodies with a bearer token', async () => {
      const res = await rawPost(`${emu.apiUrl}chat.postMessage`, JSON.stringify({ channel: 'U0BOB', text: 'json body' }), {
        'content-type': 'application/json; charset=utf-8',
        authorization: `Bearer ${emu.botToken}`,
      });
      expect(res.json).toMatchObject({ ok: true });
      expect(emu.messagesTo('U0BOB').map((m) => m.text)).toEqual(['json body']);
    });
  });

  describe('users', () => {
    it('users.list paginates with limit and ends with an empty next_cursor', async () => {
      const pages: Array<{ ids: string[]; cursor: string }> = [];
      let cursor: string | undefined;
      do {
        const res = await client.users.list({ limit: 2, cursor });
        cursor = res.response_metadata?.next_cursor ?? '';
        pages.push({ ids: (res.members ?? []).map((m) => m.id ?? ''), cursor });
      } while (cursor !== '');
      // USLACKBOT + the app's bot user + 3 added users
      expect(pages.map((p) => p.ids.length)).toEqual([2, 2, 1]);
      expect(pages.flatMap((p) => p.ids)).toEqual(['USLACKBOT', emu.botUserId, 'U0ALICE', 'U0BOB', 'U0GUEST']);
      expect(pages[0].cursor).not.toBe('');
      expect(pages[2].cursor).toBe('');
    });

    it('users.list members have the fixture shape, with the bot and Slackbot included', async () => {
      const res = await client.users.list({});
      const members = res.members ?? [];
      expect(res.response_metadata?.next_cursor).toBe('');
      expect(typeof res.cache_ts).toBe('number');
      for (const m of members) expect(Object.keys(m)).toEqual(expect.arrayContaining(USERS_LIST_MEMBER_KEYS));
      const bot = members.find((m) => m.id === emu.botUserId);
      expect(bot).toMatchObject({ is_bot: true, deleted: false, profile: { bot_id: 'B0SMOKEBOT', api_app_id: 'A0SMOKEAPP' } });
      expect(members.find((m) => m.id === 'USLACKBOT')).toMatchObject({ name: 'slackbot', is_bot: false });
      const alice = members.find((m) => m.id === 'U0ALICE');
      expect(alice).toMatchObject({
        team_id: emu.teamId,
        real_name: 'Alice A',
        tz: 'America/Los_Angeles',
        profile: { email: 'alice@example.com', real_name: 'Alice A', display_name: 'alice' },
      });
      expect([-25200, -28800]).toContain(alice?.tz_offset);
      expect(members.find((m) => m.id === 'U0GUEST')).toMatchObject({ is_restricted: true, tz: 'UTC', tz_offset: 0 });
    });

    it('users.list rejects a bogus cursor with invalid_cursor', async () => {
      const err = await rejection(client.users.list({ cursor: 'bm9wZQ==' }));
      expect(err.data.error).toBe('invalid_cursor');
    });

    it('users.list leaves out external Slack Connect users, users.info still knows them', async () => {
      emu.addUser({ id: 'U0EXT', name: 'partner', team_id: 'T0OTHER' });
      const list = await client.users.list({});
      expect((list.members ?? []).map((m) => m.id)).not.toContain('U0EXT');
      const info = await client.users.info({ user: 'U0EXT' });
      expect(info.user).toMatchObject({ id: 'U0EXT', team_id: 'T0OTHER' });
    });

    it('users.info reflects updateUser and reports user_not_found', async () => {
      emu.updateUser('U0BOB', { deleted: true, tz: 'Europe/Berlin' });
      const info = await client.users.info({ user: 'U0BOB' });
      expect(info.user).toMatchObject({ id: 'U0BOB', deleted: true, tz: 'Europe/Berlin' });
      const err = await rejection(client.users.info({ user: 'U0NOPE' }));
      expect(err.data).toMatchObject({ ok: false, error: 'user_not_found' });
    });

    it('users.lookupByEmail matches case-insensitively and reports users_not_found', async () => {
      const res = await client.users.lookupByEmail({ email: 'bob@example.com' });
      expect(res.user?.id).toBe('U0BOB');
      const err = await rejection(client.users.lookupByEmail({ email: 'nobody@example.com' }));
      expect(err.data.error).toBe('users_not_found');
    });

    it('addUser rejects duplicates and invalid time zones', () => {
      expect(() => emu.addUser({ id: 'U0BOB', name: 'again' })).toThrow(/already exists/);
      expect(() => emu.addUser({ id: 'U0TZ', name: 'tz', tz: 'Mars/Olympus' })).toThrow(/time zone/);
    });
  });

  describe('conversations', () => {
    it('conversations.info returns the channel like the fixture, with num_members on request', async () => {
      const ch = emu.addChannel({ name: 'Incident-42', creator: 'U0ALICE', members: ['U0BOB'] });
      expect(ch.id).toMatch(/^C/);
      emu.renameChannel(ch.id, 'incident-42-db');
      const res = await client.conversations.info({ channel: ch.id, include_num_members: true });
      expect(res.channel).toMatchObject({
        id: ch.id,
        name: 'incident-42-db',
        name_normalized: 'incident-42-db',
        is_channel: true,
        is_private: false,
        is_archived: false,
        is_member: false,
        creator: 'U0ALICE',
        created: ch.created,
        num_members: 2,
        previous_names: ['Incident-42'],
      });
      const without = await client.conversations.info({ channel: ch.id });
      expect(without.channel).not.toHaveProperty('num_members');
    });

    it('a channel made private keeps the bot in it, says so in a system message and returns the message event', async () => {
      const ch = emu.addChannel({ name: 'inc-leaky', creator: 'U0ALICE', members: [emu.botUserId] });
      const event = emu.convertToPrivate(ch.id, 'U0ALICE');
      expect(event).toMatchObject({ type: 'message', subtype: 'channel_convert_to_private', channel: ch.id, user: 'U0ALICE' });
      expect((await client.conversations.info({ channel: ch.id })).channel).toMatchObject({ is_private: true, is_member: true });
      const history = await client.conversations.history({ channel: ch.id });
      expect(history.messages?.[0]).toMatchObject({ type: 'message', subtype: 'channel_convert_to_private', user: 'U0ALICE', ts: event.ts });
      expect(history.messages?.[0]).not.toHaveProperty('bot_id');
    });

    it('a deleted channel answers channel_not_found to every call, and the delete event is channel_deleted or group_deleted', async () => {
      const pub = emu.addChannel({ name: 'inc-gone', creator: 'U0ALICE', members: [emu.botUserId] });
      const priv = emu.addChannel({ name: 'inc-gone-too', creator: 'U0ALICE', is_private: true, members: [emu.botUserId] });
      expect(emu.deleteChannel(pub.id)).toEqual({ type: 'channel_deleted', channel: pub.id });
      expect(emu.deleteChannel(priv.id)).toEqual({ type: 'group_deleted', channel: priv.id });
      for (const call of [client.conversations.info({ channel: pub.id }), client.conversations.invite({ channel: pub.id, users: 'U0BOB' }), client.conversations.members({ channel: priv.id }), client.chat.postMessage({ channel: priv.id, text: 'x' })]) {
        expect((await rejection(call)).data.error).toBe('channel_not_found');
      }
    });

    it('an unarchived channel takes invites again, and the event is channel_unarchive or group_unarchive', async () => {
      const ch = emu.addChannel({ name: 'inc-back', creator: 'U0ALICE', members: [emu.botUserId] });
      const priv = emu.addChannel({ name: 'inc-back-private', creator: 'U0ALICE', is_private: true, members: [emu.botUserId] });
      emu.archiveChannel(ch.id);
      expect((await rejection(client.conversations.invite({ channel: ch.id, users: 'U0BOB' }))).data.error).toBe('is_archived');
      expect(emu.unarchiveChannel(ch.id, 'U0ALICE')).toEqual({ type: 'channel_unarchive', channel: ch.id, user: 'U0ALICE' });
      expect(emu.unarchiveChannel(priv.id)).toEqual({ type: 'group_unarchive', channel: priv.id });
      expect((await client.conversations.invite({ channel: ch.id, users: 'U0BOB' })).ok).toBe(true);
    });

    it('a channel shared with another organisation is is_ext_shared, with both team ids', async () => {
      const ch = emu.addChannel({ name: 'inc-with-vendor', creator: 'U0ALICE', shared_with_team: 'T0VENDOR1' });
      const res = await client.conversations.info({ channel: ch.id });
      expect(res.channel).toMatchObject({ is_ext_shared: true, is_shared: true, shared_team_ids: [emu.teamId, 'T0VENDOR1'] });
      const plain = emu.addChannel({ name: 'inc-inside', creator: 'U0ALICE' });
      expect((await client.conversations.info({ channel: plain.id })).channel).toMatchObject({ is_ext_shared: false });
    });

    it('conversations.list pages through public and private channels the bot may see, with the fixture fields', async () => {
      const fixture = JSON.parse(readFileSync(fixturePath('docs.slack.dev/examples/conversations.list.success.json'), 'utf8')) as { channels: Array<Record<string, unknown>> };
      for (let i = 0; i < 5; i++) emu.addChannel({ name: `inc-${i}`, creator: 'U0ALICE' });
      const hidden = emu.addChannel({ name: 'inc-hidden', creator: 'U0ALICE', is_private: true });
      const seen = emu.addChannel({ name: 'inc-seen', creator: 'U0ALICE', is_private: true, members: [emu.botUserId] });
      const publicOnly = await client.conversations.list({ limit: 999 });
      expect(publicOnly.channels?.map((c) => c.name)).toEqual(['inc-0', 'inc-1', 'inc-2', 'inc-3', 'inc-4']);
      expect(Object.keys(publicOnly.channels![0]!)).toEqual(expect.arrayContaining(Object.keys(fixture.channels[0]!).filter((k) => k !== 'updated')));
      const names: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await client.conversations.list({ types: 'public_channel,private_channel', limit: 2, cursor });
        names.push(...(page.channels ?? []).map((c) => c.name!));
        cursor = page.response_metadata?.next_cursor || undefined;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(names).toContain(seen.name);
      expect(names).not.toContain(hidden.name);
      expect((await rejection(client.conversations.list({ limit: 1000 }))).data.error).toBe('invalid_limit');
      expect((await rejection(client.conversations.list({ types: 'everything' }))).data.error).toBe('invalid_types');
    });

    it('usergroups.list and usergroups.users.list describe user groups like the fixtures', async () => {
      const fixture = JSON.parse(readFileSync(fixturePath('docs.slack.dev/examples/usergroups.list.success.json'), 'utf8')) as { usergroups: Array<Record<string, unknown>> };
      const oncall = emu.addUserGroup({ handle: 'oncall', name: 'On call', users: ['U0ALICE', 'U0BOB'] });
      emu.addUserGroup({ handle: 'old-team', users: ['U0BOB'], disabled: true });
      const listed = await client.usergroups.list();
      expect(listed.usergroups?.map((g) => g.handle)).toEqual(['oncall']);
      expect(Object.keys(listed.usergroups![0]!).sort()).toEqual(Object.keys(fixture.usergroups[0]!).sort());
      expect(listed.usergroups![0]).toMatchObject({ id: oncall.id, user_count: '2' });
      expect((await client.usergroups.list({ include_users: true, include_disabled: true })).usergroups?.map((g) => [g.handle, g.users])).toEqual([['oncall', ['U0ALICE', 'U0BOB']], ['old-team', ['U0BOB']]]);
      expect((await client.usergroups.users.list({ usergroup: oncall.id })).users).toEqual(['U0ALICE', 'U0BOB']);
      expect((await rejection(client.usergroups.users.list({ usergroup: 'S0NOPE' }))).data.error).toBe('no_such_subteam');
    });

    it('private channels are invisible to the bot until it is a member', async () => {
      const secret = emu.addChannel({ name: 'secret', is_private: true, creator: 'U0ALICE' });
      expect(secret.id).toMatch(/^G/);
      const err = await rejection(client.conversations.info({ channel: secret.id }));
      expect(err.data.error).toBe('channel_not_found');
      emu.addMember(secret.id, emu.botUserId);
      const res = await client.conversations.info({ channel: secret.id });
      expect(res.channel).toMatchObject({ is_private: true, is_member: true });
    });

    it('conversations.members paginates and reports channel_not_found', async () => {
      const ch = emu.addChannel({ name: 'big', creator: 'U0ALICE', members: ['U0BOB', 'U0GUEST'] });
      const first = await client.conversations.members({ channel: ch.id, limit: 2 });
      expect(first.members).toEqual(['U0ALICE', 'U0BOB']);
      const next = first.response_metadata?.next_cursor;
      expect(next).toBeTruthy();
      const second = await client.conversations.members({ channel: ch.id, limit: 2, cursor: next });
      expect(second.members).toEqual(['U0GUEST']);
      expect(second.response_metadata?.next_cursor).toBe('');
      const err = await rejection(client.conversations.members({ channel: 'C0MISSING' }));
      expect(err.data.error).toBe('channel_not_found');
    });

    it('conversations.join joins, then warns already_in_channel like the fixture', async () => {
      const ch = emu.addChannel({ name: 'general', creator: 'U0ALICE' });
      const first = await client.conversations.join({ channel: ch.id });
      expect(first.channel?.is_member).toBe(true);
      expect(first).not.toHaveProperty('warning');
      expect(Object.keys(first.channel ?? {})).toEqual(expect.arrayContaining(JOIN_CHANNEL_KEYS));
      expect(emu.channel(ch.id)?.members.has(emu.botUserId)).toBe(true);

      const again = await client.conversations.join({ channel: ch.id });
      expect(again.ok).toBe(true);
      expect(again.warning).toBe('already_in_channel');
      expect(again.response_metadata?.warnings).toEqual(['already_in_channel']);
    });

    it('conversations.join refuses private and archived channels', async () => {
      const priv = emu.addChannel({ name: 'priv', is_private: true, creator: 'U0ALICE', members: [emu.botUserId] });
      const archived = emu.addChannel({ name: 'old', creator: 'U0ALICE' });
      emu.archiveChannel(archived.id);
      expect((await rejection(client.conversations.join({ channel: priv.id }))).data.error).toBe('method_not_supported_for_channel_type');
      expect((await rejection(client.conversations.join({ channel: archived.id }))).data.error).toBe('is_archived');
      expect((await rejection(client.conversations.join({ channel: 'C0NOPE' }))).data.error).toBe('channel_not_found');
    });

    it('conversations.invite with a guest among three users returns the per-user errors shape and adds nobody', async () => {
      emu.addUser({ id: 'U0CAROL', name: 'carol' });
      const ch = emu.addChannel({ name: 'inc', creator: 'U0ALICE', members: [emu.botUserId] });
      const err = await rejection(client.conversations.invite({ channel: ch.id, users: 'U0BOB,U0GUEST,U0CAROL' }));
      expect(err.data).toEqual({
        ok: false,
        error: 'user_is_restricted',
        errors: [{ user: 'U0GUEST', ok: false, error: 'user_is_restricted' }],
        response_metadata: {},
      });
      const raw = emu.callsTo('conversations.invite')[0].response;
      expect(raw).toEqual({ ok: false, error: 'user_is_restricted', errors: [{ user: 'U0GUEST', ok: false, error: 'user_is_restricted' }] });
      expect([...(emu.channel(ch.id)?.members ?? [])]).toEqual(['U0ALICE', emu.botUserId]);
    });

    it('conversations.invite with force=true still adds the valid users', async () => {
      emu.addUser({ id: 'U0CAROL', name: 'carol' });
      const ch = emu.addChannel({ name: 'inc', creator: 'U0ALICE', members: [emu.botUserId] });
      const res = await client.conversations.invite({ channel: ch.id, users: 'U0BOB,U0GUEST,U0CAROL', force: true });
      expect(res.ok).toBe(true);
      expect(res.channel?.id).toBe(ch.id);
      expect(emu.channel(ch.id)?.members.has('U0BOB')).toBe(true);
      expect(emu.channel(ch.id)?.members.has('U0CAROL')).toBe(true);
      expect(emu.channel(ch.id)?.members.has('U0GUEST')).toBe(false);
    });

    it('conversations.invite lists every per-user error, first one on top', async () => {
      const ch = emu.addChannel({ name: 'inc', creator: 'U0ALICE', members: [emu.botUserId] });
      const err = await rejection(client.conversations.invite({ channel: ch.id, users: `U0NOPE,${emu.botUserId},U0ALICE` }));
      expect(err.data.error).toBe('user_not_found');
      expect((err.data as { errors?: unknown }).errors).toEqual([
        { user: 'U0NOPE', ok: false, error: 'user_not_found' },
        { user: emu.botUserId, ok: false, error: 'cant_invite_self' },
        { user: 'U0ALICE', ok: false, error: 'already_in_channel' },
      ]);
    });

    it('conversations.invite checks the channel and the caller first', async () => {
      const notMine = emu.addChannel({ name: 'not-mine', creator: 'U0ALICE' });
      const archived = emu.addChannel({ name: 'old', creator: 'U0ALICE', members: [emu.botUserId] });
      emu.archiveChannel(archived.id);
      expect((await rejection(client.conversations.invite({ channel: notMine.id, users: 'U0BOB' }))).data.error).toBe('not_in_channel');
      expect((await rejection(client.conversations.invite({ channel: archived.id, users: 'U0BOB' }))).data.error).toBe('is_archived');
      expect((await rejection(client.conversations.invite({ channel: 'C0NOPE', users: 'U0BOB' }))).data.error).toBe('channel_not_found');

      expect(emu.channel(notMine.id)?.members.has('U0BOB')).toBe(false);
    });

    it('conversations.invite success returns the channel and adds the users', async () => {
      const ch = emu.addChannel({ name: 'inc', creator: 'U0ALICE', members: [emu.botUserId] });
      const res = await client.conversations.invite({ channel: ch.id, users: 'U0BOB' });
      expect(res).toMatchObject({ ok: true, channel: { id: ch.id, is_member: true } });
      expect(res).not.toHaveProperty('errors');
      expect(emu.channel(ch.id)?.members.has('U0BOB')).toBe(true);
    });

    it('conversations.invite skips deactivated users silently, as the docs describe', async () => {
      emu.addUser({ id: 'U0GONE', name: 'gone', deleted: true });
      const ch = emu.addChannel({ name: 'inc', creator: 'U0ALICE', members: [emu.botUserId] });
      const res = await client.conversations.invite({ channel: ch.id, users: 'U0BOB,U0GONE' });
      expect(res.ok).toBe(true);
      expect(res).not.toHaveProperty('errors');
      expect([...(emu.channel(ch.id)?.members ?? [])]).toEqual(['U0ALICE', emu.botUserId, 'U0BOB']);
    });

    it('conversations.open creates one IM per user and reuses it', async () => {
      const first = await client.conversations.open({ users: 'U0ALICE' });
      const id = first.channel?.id ?? '';
      expect(id).toMatch(/^D/);
      expect(first).not.toHaveProperty('already_open');
      const second = await client.conversations.open({ users: 'U0ALICE', return_im: true });
      expect(second).toMatchObject({ no_op: true, already_open: true, channel: { id, is_im: true, user: 'U0ALICE' } });
      expect(emu.imOf('U0ALICE')).toBe(id);
      expect((await rejection(client.conversations.open({ users: 'U0NOPE' }))).data.error).toBe('user_not_found');
    });
  });

  describe('chat', () => {
    it('postMessage to a user id lands in their IM', async () => {
      const res = await client.chat.postMessage({ channel: 'U0ALICE', text: 'You are on call' });
      const im = emu.imOf('U0ALICE');
      expect(im).toMatch(/^D/);
      expect(res).toMatchObject({
        ok: true,
        channel: im,
        ts: expect.stringMatching(/^\d{10}\.\d{6}$/),
        message: { type: 'message', text: 'You are on call', user: emu.botUserId, bot_id: 'B0SMOKEBOT', ts: res.ts },
      });
      expect(emu.messagesTo('U0ALICE')).toEqual([{ channel: im, text: 'You are on call', ts: res.ts, user: emu.botUserId }]);
      expect(emu.messagesTo(im ?? '')).toHaveLength(1);
      expect(emu.messagesTo('U0BOB')).toEqual([]);

      const opened = await client.conversations.open({ users: 'U0ALICE' });
      expect(opened.channel?.id).toBe(im);
    });

    it('postMessage timestamps are unique and increasing', async () => {
      const ch = emu.addChannel({ name: 'inc', creator: 'U0ALICE', members: [emu.botUserId] });
      const results = await Promise.all([1, 2, 3, 4, 5].map((i) => client.chat.postMessage({ channel: ch.id, text: `m${i}` })));
      const ts = emu.messagesTo(ch.id).map((m) => m.ts);
      expect(new Set(ts).size).toBe(5);
      expect([...ts].sort()).toEqual(ts);
      expect(results.map((r) => r.ts).sort()).toEqual(ts);
    });

    it('postMessage reports no_text, channel_not_found, not_in_channel and is_archived', async () => {
      const notMine = emu.addChannel({ name: 'not-mine', creator: 'U0ALICE' });
      const archived = emu.addChannel({ name: 'old', creator: 'U0ALICE', members: [emu.botUserId] });
      emu.archiveChannel(archived.id);
      expect((await rejection(client.chat.postMessage({ channel: 'U0ALICE', text: '' }))).data.error).toBe('no_text');
      expect((await rejection(client.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).data.error).toBe('channel_not_found');
      expect((await rejection(client.chat.postMessage({ channel: notMine.id, text: 'x' }))).data.error).toBe('not_in_channel');
      expect((await rejection(client.chat.postMessage({ channel: archived.id, text: 'x' }))).data.error).toBe('is_archived');
      expect(emu.messagesTo(notMine.id)).toEqual([]);
    });

    it('postMessage accepts blocks without text and keeps them', async () => {
      const ch = emu.addChannel({ name: 'inc', creator: 'U0ALICE', members: [emu.botUserId] });
      const blocks = [{ type: 'divider' }];
      const res = await client.chat.postMessage({ channel: ch.id, blocks });
      expect(res.message?.blocks).toEqual(blocks);
      expect(emu.messagesTo(ch.id)[0].blocks).toEqual(blocks);
    });

    it('chat.update rewrites a posted message and reports message_not_found', async () => {
      const posted = await client.chat.postMessage({ channel: 'U0ALICE', text: 'v1' });
      const updated = await client.chat.update({ channel: posted.channel ?? '', ts: posted.ts ?? '', text: 'v2' });
      expect(updated).toMatchObject({ ok: true, channel: posted.channel, ts: posted.ts, text: 'v2' });
      expect(emu.messagesTo('U0ALICE').map((m) => m.text)).toEqual(['v2']);
      const err = await rejection(client.chat.update({ channel: posted.channel ?? '', ts: '1.000001', text: 'x' }));
      expect(err.data.error).toBe('message_not_found');
    });

    it('postEphemeral needs the user in the channel and returns message_ts', async () => {
      const ch = emu.addChannel({ name: 'inc', creator: 'U0ALICE', members: [emu.botUserId] });
      const res = await client.chat.postEphemeral({ channel: ch.id, user: 'U0ALICE', text: 'only you' });
      expect(res.message_ts).toMatch(/^\d{10}\.\d{6}$/);
      expect(emu.ephemeralsTo('U0ALICE')).toEqual([{ channel: ch.id, user: 'U0ALICE', text: 'only you', message_ts: res.message_ts }]);
      const err = await rejection(client.chat.postEphemeral({ channel: ch.id, user: 'U0BOB', text: 'x' }));
      expect(err.data).toMatchObject({ ok: false, error: 'user_not_in_channel' });
    });
  });

  describe('views', () => {
    const home = { type: 'home' as const, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Welcome' } }] };

    it('views.publish stores the latest home view per user, shaped like the fixture', async () => {
      const first = await client.views.publish({ user_id: 'U0ALICE', view: home });
      expect(Object.keys(first.view ?? {})).toEqual(expect.arrayContaining(PUBLISH_VIEW_KEYS));
      expect(first.view).toMatchObject({ type: 'home', app_id: 'A0SMOKEAPP', bot_id: 'B0SMOKEBOT', team_id: emu.teamId, blocks: home.blocks });
      const second = await client.views.publish({ user_id: 'U0ALICE', view: { type: 'home', blocks: [] } });
      expect(second.view?.id).toBe(first.view?.id);
      expect(emu.homeViewOf('U0ALICE')?.blocks).toEqual([]);
      expect(emu.homeViewOf('U0BOB')).toBeUndefined();
    });

    it('views.publish answers invalid_arguments like the fixture for unknown users or wrong view types', async () => {
      const err = await rejection(client.views.publish({ user_id: 'U0NOPE', view: home }));
      expect(err.data).toMatchObject({ ok: false, error: 'invalid_arguments', response_metadata: { messages: ['invalid `user_id`'] } });
      const wrongType = await rejection(client.views.publish({ user_id: 'U0ALICE', view: { ...home, type: 'modal' } as never }));
      expect(wrongType.data.error).toBe('invalid_arguments');
    });

    it('views.open requires a trigger_id and records opened modals', async () => {
      const modal = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Volunteer' }, blocks: [], callback_id: 'volunteer' };
      const err = await rejection(client.views.open({ trigger_id: '', view: modal }));
      expect(err.data.error).toBe('invalid_trigger_id');
      expect((await rejection(client.views.open({ trigger_id: '123.456.abc', view: modal }))).data.error).toBe('invalid_trigger_id');
      const res = await client.views.open({ trigger_id: emu.issueTrigger(), view: { ...modal, external_id: 'vol-1' } });
      expect(res.view).toMatchObject({ type: 'modal', callback_id: 'volunteer', title: modal.title, external_id: 'vol-1' });
      expect(emu.openedViews.map((v) => v.id)).toEqual([res.view?.id]);

      const byExternal = await client.views.update({ external_id: 'vol-1', view: { ...modal, blocks: [{ type: 'divider' }] } });
      expect(byExternal.view?.id).toBe(res.view?.id);
      const byId = await client.views.update({ view_id: res.view?.id ?? '', view: modal, hash: byExternal.view?.hash });
      expect(byId.view?.blocks).toEqual([]);
      const stale = await rejection(client.views.update({ view_id: res.view?.id ?? '', view: modal, hash: byExternal.view?.hash }));
      expect(stale.data.error).toBe('hash_conflict');
      expect((await rejection(client.views.update({ view_id: 'V0NOPE', view: modal }))).data.error).toBe('not_found');
    });
    it('views.open answers expired_trigger_id for a trigger older than 3 seconds', async () => {
      const modal = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Reflection' }, blocks: [] };
      const stale = emu.issueTrigger(Date.now() - 3_001);
      expect((await rejection(client.views.open({ trigger_id: stale, view: modal }))).data.error).toBe('expired_trigger_id');
      const fresh = emu.issueTrigger(Date.now() - 2_500);
      await expect(client.views.open({ trigger_id: fresh, view: modal })).resolves.toMatchObject({ ok: true });
      expect(emu.openedViews).toHaveLength(1);
    });
  });

  describe('files', () => {
    it('files.uploadV2 of @slack/web-api: upload URL, the bytes, then completion shares the file in the DM', async () => {
      const im = ((await client.conversations.open({ users: 'U0ALICE' })).channel as { id: string }).id;
      const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x0d, 0x0a]);
      const res = await client.filesUploadV2({ channel_id: im, file: bytes, filename: 'chart.png', title: 'Exposure', initial_comment: 'Here it is' });
      const shared = emu.filesSharedIn('U0ALICE');
      expect(shared).toHaveLength(1);
      expect(shared[0]).toMatchObject({ filename: 'chart.png', title: 'Exposure', channel: im, initialComment: 'Here it is', length: 8 });
      expect(shared[0]!.bytes!.equals(bytes)).toBe(true);
      expect((res as unknown as { files: Array<{ files: unknown[] }> }).files[0]!.files).toEqual([{ id: shared[0]!.id, title: 'Exposure' }]);
      expect(emu.callsTo('files.getUploadURLExternal')[0]!.args).toMatchObject({ filename: 'chart.png', length: '8' });
    });

    it('refuses to complete a file never uploaded, or into an unknown channel', async () => {
      const url = await client.files.getUploadURLExternal({ filename: 'x.csv', length: 3 });
      expect(url.upload_url).toMatch(/\/upload\/v1\/F/);
      expect((await rejection(client.files.completeUploadExternal({ files: [{ id: url.file_id! }] }))).data.error).toBe('file_not_found');
      await fetch(url.upload_url!, { method: 'POST', body: 'a,b' });
      expect((await rejection(client.files.completeUploadExternal({ files: [{ id: url.file_id! }], channel_id: 'C0NOPE' }))).data.error).toBe('channel_not_found');
      expect((await rejection(client.files.getUploadURLExternal({ filename: 'x.csv' } as never))).data.error).toBe('invalid_arguments');
    });
  });

  describe('usergroups', () => {
    it('usergroups.list names each group with its handle; usergroups.users.list gives its members', async () => {
      const id = emu.addUserGroup({ handle: 'sre-leads', name: 'SRE leads', users: ['U0ALICE', 'U0BOB'] }).id;
      const list = await client.usergroups.list({});
      expect(list.usergroups?.map((g) => [g.id, g.handle, g.name, g.user_count])).toEqual([[id, 'sre-leads', 'SRE leads', '2']]);
      expect((await client.usergroups.users.list({ usergroup: id })).users).toEqual(['U0ALICE', 'U0BOB']);
      expect((await rejection(client.usergroups.users.list({ usergroup: 'S0NOPE' }))).data.error).toBe('no_such_subteam');
    });
  });

  describe('faults', () => {
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

  describe('waitFor', () => {
    it('resolves as soon as a matching call arrives', async () => {
      const waiting = emu.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage'), 2000);
      setTimeout(() => void client.chat.postMessage({ channel: 'U0BOB', text: 'late' }), 50);
      await expect(waiting).resolves.toBeUndefined();
      expect(emu.callsTo('chat.postMessage')).toHaveLength(1);
    });

    it('resolves immediately when already true', async () => {
      await client.auth.test();
      await expect(emu.waitFor((calls) => calls.length === 1, 10)).resolves.toBeUndefined();
    });

    it('times out with a message listing the recorded calls', async () => {
      await client.auth.test();
      await rejection(client.users.info({ user: 'U0NOPE' }));
      const err = await rejection<Error>(emu.waitFor((calls) => calls.some((c) => c.method === 'views.publish'), 100));
      expect(err.message).toContain('timed out after 100ms');
      expect(err.message).toContain('#1 auth.test -> ok');
      expect(err.message).toContain('#2 users.info -> user_not_found');
    });
  });
});

describe('ResponseUrlSink', () => {
  it('records JSON posts per named url and waits for them', async () => {
    const sink = new ResponseUrlSink();
    await sink.start();
    try {
      const url = sink.url('cmd-1');
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/response\/cmd-1$/);
      const waiting = sink.waitFor(1, 2000);
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'thanks' }) });
      expect(res.status).toBe(200);
      await waiting;
      expect(sink.received).toEqual([{ path: '/response/cmd-1', body: { text: 'thanks' } }]);
      await expect(sink.waitFor(2, 50)).rejects.toThrow(/expected 2 POSTs within 50ms, got 1/);
    } finally {
      await sink.stop();
    }
  });
});
