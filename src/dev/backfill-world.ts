/**
 * A year of past incident channels in the Slack emulator, for the backfill's tests and benchmark
 * (SPEC.md section 3): public and private channels, archived ones, channels whose history the app
 * cannot read (it is not a member), people who wrote and people who only watched, a few channels
 * that are not incidents, one shared with another company and one older than the period.
 */
import { seededRandom } from '../domain/random';
import type { SlackEmulator } from './slack-emulator';

export interface YearOptions {
  /** incident channels in the period */
  channels: number;
  archived: number;
  /** private incident channels; the app is a member of `privateWithApp` of them */
  private: number;
  privateWithApp: number;
  /** public incident channels the app is not in: their history cannot be read */
  unreadable: number;
  /** the newest channel is created this long before `end` */
  end: Date;
  /** days the channels spread over, before `end` */
  days?: number;
  /** people who respond to most incidents (and post) */
  responders?: number;
  /** people who turn up in some channels and never write */
  watchers?: number;
  /** people in the workspace who never were in an incident channel */
  newcomers?: number;
  seed?: number;
  /** time zone of everyone */
  tz?: string;
}

export interface EmulatedYear {
  responders: string[];
  watchers: string[];
  newcomers: string[];
  /** the first incident channel's creation (the oldest in the period), ms */
  earliest: number;
}

const HOUR = 3_600_000;
const ts = (ms: number, n: number) => `${Math.floor(ms / 1000)}.${String(100 + n).padStart(6, '0')}`;

export function emulateYear(emulator: SlackEmulator, options: YearOptions): EmulatedYear {
  const random = seededRandom(options.seed ?? 14);
  const days = options.days ?? 360;
  const tz = options.tz ?? 'Europe/Berlin';
  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `U0${prefix}${String(i).padStart(4, '0')}`);
  const responders = ids('RSP', options.responders ?? 10);
  const watchers = ids('WCH', options.watchers ?? 30);
  const newcomers = ids('NEW', options.newcomers ?? 5);
  const person = (id: string, name: string) => ({ id, name: name.toLowerCase(), real_name: name, email: `${name.toLowerCase()}@example.com`, tz });
  responders.forEach((id, i) => emulator.addUser(person(id, `Responder${i}`)));
  watchers.forEach((id, i) => emulator.addUser(person(id, `Watcher${i}`)));
  newcomers.forEach((id, i) => emulator.addUser(person(id, `Newcomer${i}`)));
  // Someone who has left (still a member of old channels), and another app's bot that sits in some.
  emulator.addUser({ ...person('U0LEFTBF', 'Leaver'), deleted: true });
  emulator.addUser({ id: 'U0OTHERBOT', name: 'pagerbot', is_bot: true, bot_id: 'B0OTHERBOT' });

  const end = options.end.getTime();
  const span = days * 24 * HOUR;
  const earliest = end - span;
  const bot = emulator.botUserId;
  for (let i = 0; i < options.channels; i++) {
    const created = Math.floor((earliest + (span * i) / Math.max(1, options.channels - 1)) / 1000) * 1000;
    const isPrivate = i < options.private;
    const appIn = isPrivate ? i < options.privateWithApp : !(i >= options.private && i < options.private + options.unreadable);
    const crew = random.sample(responders, random.integer(2, 4));
    const watching = random.sample(watchers, random.integer(1, 3));
    const members = [...crew, ...watching, ...(random.chance(0.1) ? ['U0LEFTBF'] : []), ...(random.chance(0.2) ? ['U0OTHERBOT'] : []), ...(appIn ? [bot] : [])];
    const channel = emulator.addChannel({ name: `inc-${String(i).padStart(4, '0')}-${random.pick(['db', 'api', 'cdn', 'auth', 'queue'])}`, is_private: isPrivate, creator: crew[0]!, members, created: created / 1000 });
    // Slack's own join messages for everyone, then the crew writing; the last message some hours in.
    let n = 0;
    for (const member of members) emulator.addMessage({ channel: channel.id, user: member, subtype: 'channel_join', ts: ts(created + 60_000, n++) });
    const hours = random.integer(1, 6);
    for (const writer of crew) emulator.addMessage({ channel: channel.id, user: writer, text: 'looking', ts: ts(created + random.integer(5, hours * 60) * 60_000, n++) });
    if (members.includes('U0OTHERBOT')) emulator.addMessage({ channel: channel.id, user: 'U0OTHERBOT', subtype: 'bot_message', text: 'alert fired', ts: ts(created + 2 * 60_000, n++) });
    if (random.chance(0.05)) emulator.removeMember(channel.id, crew[crew.length - 1]!); // wrote, then left
    if (i >= options.channels - options.archived) emulator.archiveChannel(channel.id, created / 1000 + (hours + 1) * 3600);
  }
  // Not incidents, shared with another company, or older than the period: none of them is recorded.
  emulator.addChannel({ name: 'general', creator: responders[0]!, members: [...responders, bot], created: earliest / 1000 });
  emulator.addChannel({ name: 'random-chatter', creator: responders[0]!, members: [bot], created: earliest / 1000 + 3600 });
  emulator.addChannel({ name: 'inc-shared-vendor-outage', creator: responders[0]!, members: [bot], created: earliest / 1000 + 7200, shared_with_team: 'T0VENDOR01' });
  emulator.addChannel({ name: 'inc-ancient', creator: responders[0]!, members: [bot, responders[1]!], created: (earliest - 400 * 24 * HOUR) / 1000 });
  return { responders, watchers, newcomers, earliest };
}
