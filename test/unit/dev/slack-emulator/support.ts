/** What the emulator's unit tests share: a started emulator with three people, a quiet WebClient, fixture field lists. */
import { LogLevel, WebClient, type Logger, type WebAPIPlatformError, type WebClientOptions } from '@slack/web-api';
import { SlackEmulator } from '../../../../src/dev/slack-emulator';

// Field names of a member in docs.slack.dev/examples/users.list.success.json (first member).
export const USERS_LIST_MEMBER_KEYS = [
  'id', 'team_id', 'name', 'deleted', 'color', 'real_name', 'tz', 'tz_label', 'tz_offset', 'profile',
  'is_admin', 'is_owner', 'is_primary_owner', 'is_restricted', 'is_ultra_restricted', 'is_bot', 'updated',
  'is_app_user', 'has_2fa',
];
// Field names of the channel in docs.slack.dev/examples/conversations.join.success.json.
export const JOIN_CHANNEL_KEYS = [
  'id', 'name', 'is_channel', 'is_group', 'is_im', 'created', 'creator', 'is_archived', 'is_general', 'unlinked',
  'name_normalized', 'is_shared', 'is_ext_shared', 'is_org_shared', 'pending_shared', 'is_pending_ext_shared',
  'is_member', 'is_private', 'is_mpim', 'topic', 'purpose', 'previous_names',
];
// Field names of the view in docs.slack.dev/examples/views.publish.success.json.
export const PUBLISH_VIEW_KEYS = [
  'id', 'team_id', 'type', 'close', 'submit', 'blocks', 'private_metadata', 'callback_id', 'state', 'hash',
  'clear_on_close', 'notify_on_close', 'root_view_id', 'previous_view_id', 'app_id', 'external_id', 'bot_id',
];

// The WebClient logs platform warnings/messages itself; the tests assert on them instead.
export const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

export function webClient(emulator: SlackEmulator, token = emulator.botToken, extra: WebClientOptions = {}): WebClient {
  return new WebClient(token, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger, ...extra });
}

export async function rejection<E = WebAPIPlatformError>(p: Promise<unknown>): Promise<E> {
  try {
    await p;
  } catch (err) {
    return err as E;
  }
  throw new Error('expected the call to be rejected');
}

export async function rawPost(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(url, { method: 'POST', body, headers });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
}
/** Before each test: a started emulator with Alice, Bob and a guest, and a WebClient for its bot token, handed to `use`; stopped after. */
export function useStartedEmulator(use: (started: { emu: SlackEmulator; client: WebClient }) => void): void {
  let emu: SlackEmulator | undefined;
  beforeEach(async () => {
    emu = new SlackEmulator();
    await emu.start();
    emu.addUser({ id: 'U0ALICE', name: 'alice', real_name: 'Alice A', email: 'alice@example.com', tz: 'America/Los_Angeles' });
    emu.addUser({ id: 'U0BOB', name: 'bob', email: 'Bob@Example.com' });
    emu.addUser({ id: 'U0GUEST', name: 'guest', is_restricted: true });
    use({ emu, client: webClient(emu) });
  });
  afterEach(async () => {
    await emu?.stop();
  });
}
