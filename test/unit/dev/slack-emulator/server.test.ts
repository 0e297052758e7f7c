import { WebClient } from '@slack/web-api';
import type { SlackEmulator } from '../../../../src/dev/slack-emulator';
import { rawPost, rejection, useStartedEmulator } from './support';

describe('SlackEmulator: server', () => {
  let emu: SlackEmulator;
  let client: WebClient;
  useStartedEmulator((started) => ({ emu, client } = started));

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
