import type { WebClient } from '@slack/web-api';
import { SlackEmulator } from '../../../../src/dev/slack-emulator';
import { readFixture } from '../../../helpers/fixtures';
import { rejection, useStartedEmulator, webClient } from './support';

const keysOf = (o: object) => Object.keys(o).sort();

describe('SlackEmulator: pins.list and bookmarks.list', () => {
  let emu: SlackEmulator;
  let client: WebClient;
  useStartedEmulator((started) => ({ emu, client } = started));

  it('pins.list lists the pinned messages with the fields of Slack\'s example, newest pin first', async () => {
    const ch = emu.addChannel({ name: 'inc-pins', creator: 'U0ALICE', members: [emu.botUserId] });
    const first = emu.say(ch.id, 'U0ALICE', 'dashboard: <https://grafana.example.com/d/abc|latency>').message;
    const second = emu.say(ch.id, 'U0BOB', 'Post-mortem: <https://docs.example.com/pm/42>').message;
    emu.pin(ch.id, first.ts, 'U0ALICE');
    emu.pin(ch.id, second.ts, 'U0BOB');
    const res = await client.pins.list({ channel: ch.id });
    const example = readFixture<{ items: Array<{ message: object } & object> }>('docs.slack.dev/examples/pins.list.success.json').items[0]!;
    expect(res.items).toHaveLength(2);
    expect(keysOf(res.items![0]!)).toEqual(keysOf(example));
    expect(res.items![0]!.message).toEqual(expect.objectContaining({ type: 'message', user: 'U0BOB', ts: second.ts, text: second.text, pinned_to: [ch.id] }));
    // A member's message carries no bot_id: it is theirs, not the app's.
    expect(res.items![0]!.message).not.toHaveProperty('bot_id');
    for (const key of keysOf(example.message)) expect(res.items![0]!.message).toHaveProperty(key);
  });

  it('bookmarks.list lists the channel\'s link bookmarks with the fields of Slack\'s example', async () => {
    const ch = emu.addChannel({ name: 'inc-bookmarks', creator: 'U0ALICE' });
    emu.addBookmark({ channel: ch.id, title: 'Incident review', link: 'https://docs.example.com/review/42', by: 'U0ALICE' });
    const res = await client.bookmarks.list({ channel_id: ch.id });
    const example = readFixture<{ bookmarks: object[] }>('docs.slack.dev/examples/bookmarks.list.success.json').bookmarks[0]!;
    expect(res.bookmarks).toHaveLength(1);
    expect(keysOf(res.bookmarks![0]!)).toEqual(keysOf(example));
    expect(res.bookmarks![0]).toMatchObject({ channel_id: ch.id, title: 'Incident review', link: 'https://docs.example.com/review/42', type: 'link', last_updated_by_user_id: 'U0ALICE' });
  });

  it('a private channel the bot is not in is channel_not_found to both', async () => {
    const ch = emu.addChannel({ name: 'inc-secret', creator: 'U0ALICE', is_private: true });
    expect((await rejection(client.pins.list({ channel: ch.id }))).data.error).toBe('channel_not_found');
    expect((await rejection(client.bookmarks.list({ channel_id: ch.id }))).data.error).toBe('channel_not_found');
  });

  it('conversations.history of a channel the bot left is not_in_channel', async () => {
    const ch = emu.addChannel({ name: 'inc-left', creator: 'U0ALICE' });
    expect((await rejection(client.conversations.history({ channel: ch.id }))).data.error).toBe('not_in_channel');
  });
});

describe('SlackEmulator: granted scopes', () => {
  let emu: SlackEmulator;
  afterEach(async () => emu?.stop());

  it('answers missing_scope, with needed and provided, to a method whose scope was not granted', async () => {
    emu = new SlackEmulator({ scopes: ['channels:history', 'chat:write'] });
    await emu.start();
    emu.addUser({ id: 'U0ALICE', name: 'alice' });
    const ch = emu.addChannel({ name: 'inc-scopes', creator: 'U0ALICE', members: [emu.botUserId] });
    const client = webClient(emu);
    const pins = await rejection<{ data: { error: string; needed: string; provided: string } }>(client.pins.list({ channel: ch.id }));
    expect(pins.data).toMatchObject({ error: 'missing_scope', needed: 'pins:read', provided: 'channels:history,chat:write' });
    expect((await rejection<{ data: { error: string; needed: string } }>(client.bookmarks.list({ channel_id: ch.id }))).data).toMatchObject({ error: 'missing_scope', needed: 'bookmarks:read' });
    expect((await client.conversations.history({ channel: ch.id })).ok).toBe(true);
  });
});
