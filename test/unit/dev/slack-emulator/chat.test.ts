import type { WebClient } from '@slack/web-api';
import type { SlackEmulator } from '../../../../src/dev/slack-emulator';
import { rejection, useStartedEmulator } from './support';

describe('SlackEmulator: chat', () => {
  let emu: SlackEmulator;
  let client: WebClient;
  useStartedEmulator((started) => ({ emu, client } = started));

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

  it('chat.update changes a DM sent to a user id, found by its IM id and ts', async () => {
    const sent = await client.chat.postMessage({ channel: 'U0ALICE', text: 'one learner' });
    const updated = await client.chat.update({ channel: sent.channel!, ts: sent.ts!, text: 'two learners' });
    expect(updated).toMatchObject({ ok: true, channel: emu.imOf('U0ALICE'), ts: sent.ts, text: 'two learners' });
    expect(emu.messagesTo('U0ALICE').map((m) => m.text)).toEqual(['two learners']);
    expect((await rejection(client.chat.update({ channel: sent.channel!, ts: '1.000001', text: 'x' }))).data.error).toBe('message_not_found');
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
