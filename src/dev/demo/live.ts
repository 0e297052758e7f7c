/** `npm run demo -- --keep-running`: the same world, left running, for trying things by hand. */
import { createInterface } from 'node:readline';
import { SAMPLE_TEAM } from '../sample-team';
import type { RecordedCall } from '../slack-emulator';
import { at, DEMO_START, HOME_ZONE, MARTA } from './script';
import { clockIn, out, readable } from './transcript';
import type { World } from './world';


const LIVE_HELP = [
  '  new NAME       create channel NAME as @Marta (an incident when it matches INCIDENT_CHANNEL_PATTERN)',
  '  resolve NAME   rename channel NAME to resolved-… (resolves the incident)',
  '  quit           stop everything (Ctrl-C works too)',
];

/** One line per Web API call the app makes, as it makes it. */
function describeCall(w: World, call: RecordedCall): string | null {
  const a = call.args as Record<string, unknown>;
  const ok = (call.response as { ok?: boolean; error?: string })?.ok ? '' : `  -> ${(call.response as { error?: string })?.error ?? `HTTP ${call.status}`}`;
  const who = (id: unknown) => (typeof id === 'string' ? `@${w.names.user(id)}` : '?');
  switch (call.method) {
    case 'conversations.invite':
      return `invite ${String(a.users ?? '').split(',').map(who).join(', ')} to #${w.names.channel(String(a.channel))}${ok}`;
    case 'conversations.join':
      return `join #${w.names.channel(String(a.channel))}${ok}`;
    case 'chat.postMessage': {
      const channel = String(a.channel);
      const dmOwner = SAMPLE_TEAM.find((p) => w.emulator.imOf(p.id) === channel);
      const where = dmOwner ? `DM to @${dmOwner.name}` : `#${w.names.channel(channel)}`;
      const text = readable(String(a.text ?? ''), w.names, dmOwner?.tz ?? HOME_ZONE);
      return `${where}: ${text.length > 110 ? `${text.slice(0, 107)}...` : text}${ok}`;
    }
    case 'views.open':
    case 'views.publish':
    case 'chat.postEphemeral':
      return `${call.method}${ok}`;
    default:
      return null;
  }
}

export async function keepRunning(w: World): Promise<void> {
  // A week after the story, so that its invites no longer count against the weekly cap; the clock ticks from here.
  w.tickFrom(at(DEMO_START, 7 * 24 * 60));
  const clock = w.now;
  out.step(clock(), 'Still running: try it yourself');
  out.para(`The app is at ${w.app.url} (Slack: /slack/events, GET /healthz), its metrics at ${w.app.metricsUrl}/metrics; the emulated Slack Web API at ${w.emulator.apiUrl}. Every Web API call the app makes is printed below as it happens. Commands:`);
  for (const line of LIVE_HELP) out.line(line);
  w.emulator.on('call', (call: RecordedCall) => {
    const text = describeCall(w, call);
    if (text) out.line(`  [${clockIn(clock(), HOME_ZONE, false)}] ${text}`);
  });
  const created = new Map<string, string>();
  const input = createInterface({ input: process.stdin });
  for await (const raw of input) {
    const [command, name] = raw.trim().split(/\s+/);
    if (!command) continue;
    if (command === 'quit' || command === 'exit') break;
    const seconds = Math.floor(clock().getTime() / 1000);
    if (command === 'new' && name) {
      if (created.has(name)) {
        out.line(`  > #${name} exists already`);
        continue;
      }
      const channel = w.emulator.addChannel({ name, creator: MARTA, created: seconds });
      created.set(name, channel.id);
      const res = await w.sender.event({ type: 'channel_created', channel: { id: channel.id, name, created: seconds, creator: MARTA } }, { eventTime: seconds });
      out.line(`  > #${name} created (channel_created answered HTTP ${res.status})`);
    } else if (command === 'resolve' && name) {
      const channel = created.get(name);
      if (!channel) {
        out.line(`  > no channel #${name}`);
        continue;
      }
      const resolved = `resolved-${name.replace(/^(inc|incident)[-_]/i, '')}`;
      w.emulator.renameChannel(channel, resolved);
      created.delete(name);
      const res = await w.sender.event({ type: 'channel_rename', channel: { id: channel, name: resolved, created: seconds } }, { eventTime: seconds });
      out.line(`  > #${name} renamed to #${resolved} (channel_rename answered HTTP ${res.status})`);
    } else {
      out.line(`  > unknown command "${raw.trim()}"; one of:`);
      for (const line of LIVE_HELP) out.line(line);
    }
  }
  input.close();
}


