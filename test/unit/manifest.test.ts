import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'dotenv';
import { loadConfig } from '../../src/config';
import { HANDLED_EVENT_TYPES, MESSAGE_SUBSCRIPTIONS } from '../../src/domain/slack-events';
import { ACTION, COMMAND, VIEW } from '../../src/slack/ids';
import { fixturePath, readFixture } from '../helpers/fixtures';

/**
 * manifest.json must ask for exactly what the code uses: every event the app subscribes to, the
 * slash command, interactivity, and the least bot scopes that cover each Web API method and event.
 * What the code uses is read from the code itself, so a new `app.event(...)` or `client.x.y(...)`
 * without a manifest change fails here.
 */
const ROOT = path.resolve(__dirname, '../..');

interface Manifest {
  features: { slash_commands?: Array<{ command: string; url?: string; should_escape?: boolean }>; bot_user?: unknown; app_home?: { home_tab_enabled?: boolean } };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions?: { request_url?: string; bot_events: string[] };
    interactivity?: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled?: boolean;
  };
}

const readManifest = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as Manifest;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'generated' ? [] : sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

const read = (file: string) => readFileSync(file, 'utf8');
const unique = (items: string[]) => [...new Set(items)].sort();

// The emulator and other dev tools name Slack methods as strings; only the app's own calls count.
const appSources = sourceFiles(path.join(ROOT, 'src')).filter((f) => !f.includes(`${path.sep}dev${path.sep}`));
const listenerSources = sourceFiles(path.join(ROOT, 'src/listeners'));

/** The SDK's helpers that call several Web API methods (`client.filesUploadV2(` and the like). */
const HELPER_METHODS: Record<string, string[]> = { filesUploadV2: ['files.getUploadURLExternal', 'files.completeUploadExternal'] };

/** Web API methods the app calls: `client.<namespace>.<method>(` (gateway.ts holds nearly all of them). */
const methodsUsed = unique(
  appSources.flatMap((f) => [
    ...[...read(f).matchAll(/\bclient\.((?:[a-z]+\.)+[a-zA-Z]+)\(/g)].map((m) => m[1]!),
    ...[...read(f).matchAll(/\bclient\.([a-zA-Z0-9]+)\(/g)].flatMap((m) => HELPER_METHODS[m[1]!] ?? []),
  ]),
);

/** Events: the ones stored and processed (src/domain/slack-events.ts) plus any `app.event('name', …)` in a listener. */
const eventsUsed = unique([
  // `message` events come through the message.* subscriptions.
  ...HANDLED_EVENT_TYPES.flatMap((t): string[] => (t === 'message' ? [...MESSAGE_SUBSCRIPTIONS] : [t])),
  ...listenerSources.flatMap((f) => [...read(f).matchAll(/\bapp\.event\(\s*['"]([a-z_.]+)['"]/g)].map((m) => m[1]!)),
]);

const commandsUsed = unique([
  ...Object.values(COMMAND),
  ...listenerSources.flatMap((f) => [...read(f).matchAll(/\bapp\.command\(\s*['"](\/[a-z0-9_-]+)['"]/g)].map((m) => m[1]!)),
]);

const interactiveListeners = listenerSources.filter((f) => /\bapp\.(action|view|shortcut|options)\(/.test(read(f)));

/**
 * Scopes for methods and events whose docs.slack.dev reference is not among the fixtures,
 * from their pages on docs.slack.dev/reference. Extend it when the code starts to use another.
 */
const SCOPES_NOT_IN_FIXTURES: Record<string, string[]> = {
  'method views.open': [], // "no scope required", like views.publish
  'method views.update': [],
  'method views.push': [],
  'method chat.update': ['chat:write'],
  'method conversations.history': ['channels:history', 'groups:history', 'im:history', 'mpim:history'],
  'method chat.delete': ['chat:write'],
  // docs.slack.dev/reference/methods/bookmarks.list (Tier 3)
  'method bookmarks.list': ['bookmarks:read'],
  // docs.slack.dev/reference/methods/usergroups.list, usergroups.users.list, conversations.list
  'method usergroups.list': ['usergroups:read'],
  'method usergroups.users.list': ['usergroups:read'],
  'method conversations.list': ['channels:read', 'groups:read', 'im:read', 'mpim:read'],
  'method files.getUploadURLExternal': ['files:write'],
  'method files.completeUploadExternal': ['files:write'],
  'event channel_archive': ['channels:read'],
  'event group_archive': ['groups:read'],
  'event channel_unarchive': ['channels:read'],
  'event group_unarchive': ['groups:read'],
};

function methodScopes(method: string): string[] {
  const supplement = SCOPES_NOT_IN_FIXTURES[`method ${method}`];
  if (supplement) return supplement;
  const file = `docs.slack.dev/methods/${method}.json`;
  try {
    return readFixture<{ scope: { bot?: string[] } }>(file).scope.bot ?? [];
  } catch {
    throw new Error(`the code calls ${method}, whose bot scopes are neither in ${fixturePath(file)} nor in SCOPES_NOT_IN_FIXTURES`);
  }
}

const eventCatalogue = new Map(readFixture<Array<{ name: string; scopes: string[] }>>('docs.slack.dev/events/events.json').map((e) => [e.name, e.scopes]));

function eventScopes(event: string): string[] {
  const scopes = SCOPES_NOT_IN_FIXTURES[`event ${event}`] ?? eventCatalogue.get(event);
  if (!scopes) throw new Error(`the code handles ${event}, whose scopes are neither in docs.slack.dev/events/events.json nor in SCOPES_NOT_IN_FIXTURES`);
  return scopes;
}

/** What needs a scope, and the scopes any one of which covers it (Slack lists alternatives per conversation type). */
const needs: Array<{ what: string; anyOf: string[] }> = [
  ...methodsUsed.map((m) => ({ what: `method ${m}`, anyOf: methodScopes(m) })),
  ...eventsUsed.map((e) => ({ what: `event ${e}`, anyOf: eventScopes(e) })),
  ...commandsUsed.map((c) => ({ what: `command ${c}`, anyOf: ['commands'] })),
].filter((n) => n.anyOf.length > 0);

/** manifest.json serves Slack over HTTP; manifest.socket.json is the same app over Socket Mode (no request URLs). */
describe.each([
  { file: 'manifest.json', socketMode: false },
  { file: 'manifest.socket.json', socketMode: true },
])('$file', ({ file, socketMode }) => {
  const manifest = readManifest(file);
  const granted = new Set(manifest.oauth_config.scopes.bot);

  it('finds what the code uses (a sanity check on the scan itself)', () => {
    expect(methodsUsed).toEqual(expect.arrayContaining(['auth.test', 'conversations.invite', 'chat.postMessage', 'users.list']));
    expect(eventsUsed).toEqual(expect.arrayContaining(['channel_created', 'member_joined_channel']));
    expect(commandsUsed).toContain('/volunteer');
  });

  it('subscribes to exactly the events the code handles', () => {
    expect(unique(manifest.settings.event_subscriptions?.bot_events ?? [])).toEqual(eventsUsed);
  });

  it('declares exactly the slash commands the code registers, with mentions escaped to user IDs', () => {
    const commands = manifest.features.slash_commands ?? [];
    expect(unique(commands.map((c) => c.command))).toEqual(commandsUsed);
    // `/volunteer admin level @person` needs <@U…> in the text, which only should_escape gives.
    for (const c of commands) expect(c.should_escape).toBe(true);
  });

  it('enables interactivity, since the app sends buttons and modals', () => {
    const interactive = Object.keys(ACTION).length > 0 || Object.keys(VIEW).length > 0 || interactiveListeners.length > 0;
    expect(manifest.settings.interactivity?.is_enabled ?? false).toBe(interactive);
  });

  it('grants a scope for every method, event and command the code uses', () => {
    const missing = needs.filter((n) => !n.anyOf.some((s) => granted.has(s))).map((n) => `${n.what} needs one of ${n.anyOf.join(', ')}`);
    expect(missing).toEqual([]);
  });

  it('asks for no scope that nothing uses', () => {
    const used = new Set(needs.flatMap((n) => n.anyOf));
    expect([...granted].filter((s) => !used.has(s))).toEqual([]);
  });

  it('covers private incident channels as well as public ones (SPEC.md section 4)', () => {
    for (const method of methodsUsed.filter((m) => ['conversations.info', 'conversations.members', 'conversations.invite', 'conversations.history'].includes(m))) {
      const scopes = methodScopes(method).filter((s) => granted.has(s));
      expect({ method, publicChannels: scopes.some((s) => s.startsWith('channels:')), privateChannels: scopes.some((s) => s.startsWith('groups:')) })
        .toEqual({ method, publicChannels: true, privateChannels: true });
    }
  });

  it(socketMode ? 'turns Socket Mode on and has no request URL' : "points every request URL at Bolt's endpoint", () => {
    const urls = [manifest.settings.event_subscriptions?.request_url, manifest.settings.interactivity?.request_url, ...(manifest.features.slash_commands ?? []).map((c) => c.url)];
    for (const url of urls) {
      if (socketMode) expect(url).toBeUndefined();
      else expect(url).toMatch(/^https:\/\/[^/]+\/slack\/events$/);
    }
    expect(manifest.features.bot_user).toBeDefined();
    expect(manifest.settings.socket_mode_enabled).toBe(socketMode);
  });

  it('is manifest.json but for request URLs and Socket Mode, so the two cannot drift apart', () => {
    const strip = (m: Manifest) => {
      const copy = JSON.parse(JSON.stringify(m)) as Manifest;
      delete copy.settings.socket_mode_enabled;
      delete copy.settings.event_subscriptions?.request_url;
      delete copy.settings.interactivity?.request_url;
      for (const c of copy.features.slash_commands ?? []) delete c.url;
      return copy;
    };
    expect(strip(manifest)).toEqual(strip(readManifest('manifest.json')));
  });

  it('has the Home tab on, since the app publishes one', () => {
    expect(manifest.features.app_home?.home_tab_enabled ?? false).toBe(methodsUsed.includes('views.publish'));
  });
});

// The other file an operator starts from: every variable the configuration reads, and only those.
describe('.env.example', () => {
  const example = parse(readFileSync(path.join(ROOT, '.env.example'), 'utf8'));
  const configSource = read(path.join(ROOT, 'src/config.ts'));
  const variablesRead = unique([...configSource.matchAll(/'([A-Z][A-Z0-9_]{2,})'/g)].map((m) => m[1]!));

  it('lists every variable src/config.ts reads, and no other', () => {
    expect(variablesRead).toEqual(expect.arrayContaining(['DATABASE_URL', 'SLACK_BOT_TOKEN', 'PROMPT_SCHEDULE']));
    expect(unique(Object.keys(example))).toEqual(variablesRead);
  });

  it('is a valid configuration as it stands, so a typo in it is caught here rather than at start-up', () => {
    expect(() => loadConfig(example, 'start')).not.toThrow();
  });
});
