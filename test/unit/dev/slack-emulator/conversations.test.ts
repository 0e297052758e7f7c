import type { WebClient } from '@slack/web-api';
import { readFileSync } from 'node:fs';
import type { SlackEmulator } from '../../../../src/dev/slack-emulator';
import { fixturePath } from '../../../helpers/fixtures';
import { JOIN_CHANNEL_KEYS, rejection, useStartedEmulator } from './support';

describe('SlackEmulator: conversations', () => {
  let emu: SlackEmulator;
  let client: WebClient;
  useStartedEmulator((started) => ({ emu, client } = started));

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

  it('shows the topic and purpose set on a channel, and what people and other apps post in it, with the app\'s own messages told apart', async () => {
    const ch = emu.addChannel({ name: 'inc-checkout', creator: 'U0ALICE', members: [emu.botUserId], topic: 'SEV2: checkout' });
    expect((await client.conversations.info({ channel: ch.id })).channel).toMatchObject({ topic: { value: 'SEV2: checkout', creator: 'U0ALICE' }, purpose: { value: '' } });
    emu.setChannelTopic(ch.id, { purpose: 'Managed by Incident Tool' });
    expect((await client.conversations.info({ channel: ch.id })).channel?.purpose?.value).toBe('Managed by Incident Tool');
    emu.addUser({ id: 'U0TOOL', name: 'incident-tool', is_bot: true, bot_id: 'B0TOOL' });
    const fromTool = emu.postAs({ channel: ch.id, user: 'U0TOOL', bot_id: 'B0TOOL', text: 'Severity: SEV1 · Incident lead: <@U0ALICE>' });
    expect(fromTool).toMatchObject({ type: 'message', channel: ch.id, user: 'U0TOOL', bot_id: 'B0TOOL' });
    expect(fromTool).not.toHaveProperty('subtype');
    emu.postAs({ channel: ch.id, user: 'U0ALICE', text: 'looking at the dashboards' });
    await client.chat.postMessage({ channel: ch.id, text: 'from the app' });
    const messages = (await client.conversations.history({ channel: ch.id })).messages ?? [];
    expect(messages.map((m) => [m.user, m.bot_id ?? null, m.text])).toEqual([
      [emu.botUserId, 'B0SMOKEBOT', 'from the app'],
      ['U0ALICE', null, 'looking at the dashboards'],
      ['U0TOOL', 'B0TOOL', 'Severity: SEV1 · Incident lead: <@U0ALICE>'],
    ]);
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

  it('conversations.history shows who posted: a person (no bot_id), another app (bot_id beside its user), an integration (bot_message), and this app', async () => {
    emu.addUser({ id: 'U0INCBOT', name: 'incident', is_bot: true, bot_id: 'B0INCIDENT' });
    const ch = emu.addChannel({ name: 'inc-from-a-tool', creator: 'U0INCBOT', members: [emu.botUserId, 'U0ALICE'] });
    const tool = emu.postAs({ channel: ch.id, user: 'U0INCBOT', bot_id: 'B0INCIDENT', text: 'Severity: SEV1 · Incident lead: <@U0ALICE>' });
    expect(tool).toMatchObject({ type: 'message', channel: ch.id, user: 'U0INCBOT', bot_id: 'B0INCIDENT' });
    const hook = emu.postAs({ channel: ch.id, bot_id: 'B0WEBHOOK', username: 'pager', text: 'Paged the on-call' });
    expect(hook).toMatchObject({ subtype: 'bot_message', bot_id: 'B0WEBHOOK', username: 'pager' });
    emu.postAs({ channel: ch.id, user: 'U0ALICE', text: 'looking' });
    await client.chat.postMessage({ channel: ch.id, text: 'from this app' });
    const messages = (await client.conversations.history({ channel: ch.id })).messages ?? [];
    expect(messages.map((m) => [m.text, m.user, m.bot_id, m.subtype])).toEqual([
      ['from this app', emu.botUserId, 'B0SMOKEBOT', undefined],
      ['looking', 'U0ALICE', undefined, undefined],
      ['Paged the on-call', undefined, 'B0WEBHOOK', 'bot_message'],
      ['Severity: SEV1 · Incident lead: <@U0ALICE>', 'U0INCBOT', 'B0INCIDENT', undefined],
    ]);
    expect(messages[2]).toMatchObject({ username: 'pager' });
  });

  it("lists members' and integrations' posts as Slack does: a person's without bot_id, an integration's as bot_message", async () => {
    const ch = emu.addChannel({ name: 'inc-story', creator: 'U0ALICE', members: [emu.botUserId] });
    const t0 = new Date('2026-10-01T10:00:00Z');
    const alert = emu.postAt(ch.id, { botId: 'B0PAGER01', username: 'pager' }, 'Alert: p99 > 2s', t0);
    const reply = emu.postAt(ch.id, { user: 'U0ALICE' }, 'on it', t0);
    // Two posts in the same millisecond still get distinct, increasing timestamps.
    expect([alert.ts, reply.ts]).toEqual(['1790848800.000000', '1790848800.000001']);
    const history = await client.conversations.history({ channel: ch.id });
    expect(history.messages).toEqual([
      expect.objectContaining({ type: 'message', user: 'U0ALICE', text: 'on it', ts: reply.ts }),
      expect.objectContaining({ type: 'message', subtype: 'bot_message', bot_id: 'B0PAGER01', username: 'pager', text: 'Alert: p99 > 2s', ts: alert.ts }),
    ]);
    expect(history.messages?.[0]).not.toHaveProperty('bot_id');
    expect(history.messages?.[1]).not.toHaveProperty('user');
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

  it('conversations.info reports the topic a member set, and bookmarks.list the channel\'s bookmarks', async () => {
    const ch = emu.addChannel({ name: 'inc-topic', creator: 'U0ALICE' });
    expect((await client.conversations.info({ channel: ch.id })).channel?.topic?.value).toBe('');
    emu.setChannelTopic(ch.id, { topic: 'SEV2 · call https://acme.zoom.us/j/1' });
    expect((await client.conversations.info({ channel: ch.id })).channel?.topic?.value).toBe('SEV2 · call https://acme.zoom.us/j/1');
    expect((await client.bookmarks.list({ channel_id: ch.id })).bookmarks).toEqual([]);
    emu.addBookmark({ channel: ch.id, title: 'Bridge', link: 'https://meet.google.com/abc-defg-hij', by: 'U0ALICE' });
    const listed = await client.bookmarks.list({ channel_id: ch.id });
    expect(listed.bookmarks).toHaveLength(1);
    expect(listed.bookmarks![0]).toMatchObject({ channel_id: ch.id, title: 'Bridge', link: 'https://meet.google.com/abc-defg-hij', type: 'link' });
    expect((await rejection(client.bookmarks.list({ channel_id: 'C0NOPE' }))).data.error).toBe('channel_not_found');
  });
});
