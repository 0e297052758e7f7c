import type { WebClient } from '@slack/web-api';
import type { SlackEmulator } from '../../../../src/dev/slack-emulator';
import { rejection, USERS_LIST_MEMBER_KEYS, useStartedEmulator } from './support';

describe('SlackEmulator: users', () => {
  let emu: SlackEmulator;
  let client: WebClient;
  useStartedEmulator((started) => ({ emu, client } = started));

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
  it('users.list carries a custom status as profile.status_text, status_emoji and status_expiration', async () => {
    emu.addUser({ id: 'U0AWAY', name: 'away', tz: 'UTC', status_text: 'On vacation 🌴', status_emoji: ':palm_tree:', status_expiration: 1_800_000_000 });
    const res = await client.users.info({ user: 'U0AWAY' });
    expect(res.user?.profile).toMatchObject({ status_text: 'On vacation 🌴', status_emoji: ':palm_tree:', status_expiration: 1_800_000_000 });
  });
});
