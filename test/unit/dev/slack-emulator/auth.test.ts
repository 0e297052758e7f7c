import { ErrorCode, type WebClient } from '@slack/web-api';
import type { SlackEmulator } from '../../../../src/dev/slack-emulator';
import { rawPost, rejection, useStartedEmulator, webClient } from './support';

describe('SlackEmulator: auth', () => {
  let emu: SlackEmulator;
  let client: WebClient;
  useStartedEmulator((started) => ({ emu, client } = started));

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
