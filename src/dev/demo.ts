/**
 * `npm run demo`: the whole product, offline, in well under a minute (SPEC.md section 1).
 *
 * An embedded PostgreSQL (PGlite; or a fresh database on the server at DATABASE_URL), the Slack
 * workspace emulator with a sample team, and the real app: `start()` from main.ts, the same Bolt
 * app, migrations and durable jobs as `npm start`. The story is driven only through what Slack
 * would send (signed events, a slash command, button clicks, a modal submission), and what the
 * app sends back is read from the emulator and printed as a transcript.
 *
 * The demo's clock is fixed (Wednesday 25 November 2026, 10:00 in Berlin) and moves only when the
 * story moves on, and every printed line comes from it or from the data, so two runs print the
 * same transcript. The app's logs go to stderr and are off unless LOG_LEVEL is set;
 * DEMO_TIMING=1 prints how long each step took, on stderr too.
 */
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import pino from 'pino';
import { Client } from 'pg';
import { loadConfig, type Config } from '../config';
import { loadCandidates } from '../db/engineers';
import { openIncident, resolveIncident } from '../db/incidents';
import { recordJoin, recordLeave } from '../db/participations';
import { setPreferences } from '../db/stats';
import { experienceScore, explainExperience, totalIncidents } from '../domain/experience';
import type { Candidate } from '../domain/selection';
import { isWorkingTime } from '../domain/working-time';
import { importRoster } from '../flows/roster-flow';
import { WEEKLY_DIGEST_JOB } from '../jobs/weekly-digest';
import { createLogger } from '../log';
import { start, type Running } from '../main';
import { ACTION, COMMAND, REFLECTION_BLOCK } from '../slack/ids';
import { describeWorkingTime } from '../slack/views/volunteer-replies';
import { startEmbeddedPostgres } from './embedded-postgres';
import { PAST_INCIDENTS, SAMPLE_TEAM, sampleEngineer, sampleRosterCsv, sampleUsers } from './sample-team';
import { ResponseUrlSink, SlackEmulator, type EmulatedMessage, type RecordedCall, type SlackView } from './slack-emulator';
import { SlackSender } from './slack-sender';

// ---------------------------------------------------------------------------------------------
// The script's fixed facts
// ---------------------------------------------------------------------------------------------

const HOME_ZONE = 'Europe/Berlin';
/** Wednesday 25 November 2026, 10:00 in Berlin. */
const DEMO_START = new Date('2026-11-25T09:00:00Z');
const PROMPT_SCHEDULE = '0s,2s,4s';
const INCIDENT_CHANNEL = 'inc-checkout-db-latency';
const RESOLVED_CHANNEL = 'resolved-checkout-db-latency';
const STEP_TIMEOUT_MS = 15_000;

const MARTA = 'U0MARTA01';
const JONAS = 'U0JONAS01';
const PRIYA = 'U0PRIYA01';

const at = (base: Date, minutes: number) => new Date(base.getTime() + minutes * 60_000);

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

const WIDTH = 100;
const T0 = Date.now();

class Transcript {
  constructor(private readonly write: (text: string) => void) {}

  line(text = ''): void {
    this.write(`${text}\n`);
  }

  /** Word-wrapped, every line indented. */
  para(text: string, indent = '  '): void {
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') {
        this.line('');
        continue;
      }
      const lead = /^\s*/.exec(raw)![0];
      let current = indent + lead;
      for (const word of raw.trim().split(/\s+/)) {
        if (current.trim() !== '' && current.length + word.length + 1 > WIDTH) {
          this.line(current.trimEnd());
          current = `${indent}${lead}  `;
        }
        current += (current.trim() === '' ? '' : ' ') + word;
      }
      this.line(current.trimEnd());
    }
  }

  step(time: Date, title: string): void {
    if (process.env.DEMO_TIMING) process.stderr.write(`[${((Date.now() - T0) / 1000).toFixed(1)}s] ${title}\n`);
    this.line('');
    const head = `── ${clockIn(time, HOME_ZONE)} · ${title} `;
    this.line(head + '─'.repeat(Math.max(3, WIDTH - head.length)));
  }
}

const out = new Transcript((text) => process.stdout.write(text));

function clockIn(time: Date, timeZone: string, withDay = true): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(time);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return withDay ? `${get('weekday')} ${get('hour')}:${get('minute')}` : `${get('hour')}:${get('minute')}`;
}

function longDate(time: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(time);
}

// ---------------------------------------------------------------------------------------------
// Block Kit and mrkdwn, as a person reads them
// ---------------------------------------------------------------------------------------------

interface Names {
  user(id: string): string;
  channel(id: string): string;
}

/** `<@U…>` -> @Name, `<#C…>` -> #channel, `<!date^…>` in the reader's zone, links -> their label. */
function readable(text: string, names: Names, readerTz: string): string {
  return text
    .replace(/<@([A-Z0-9]+)(?:\|[^>]*)?>/g, (_m, id: string) => `@${names.user(id)}`)
    .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, label?: string) => `#${label || names.channel(id)}`)
    .replace(/<!date\^(\d+)\^[^|>]*\|[^>]*>/g, (_m, seconds: string) => {
      const date = new Date(Number(seconds) * 1000);
      const day = new Intl.DateTimeFormat('en-GB', { timeZone: readerTz, weekday: 'short', day: 'numeric', month: 'short' }).format(date);
      return `${day} at ${clockIn(date, readerTz, false)}`;
    })
    .replace(/<!(here|channel|everyone)>/g, '@$1')
    .replace(/<([a-z]+:[^|>]+)\|([^>]+)>/g, '$2')
    .replace(/<([a-z]+:[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

type AnyBlock = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function textOf(object: AnyBlock | undefined): string {
  return typeof object?.text === 'string' ? object.text : '';
}

function buttonLabel(element: AnyBlock): string {
  return `[ ${textOf(element.text)} ]`;
}

/** One block as lines of text; buttons show as [ Label ]. */
function blockLines(block: AnyBlock): string[] {
  switch (block.type) {
    case 'header':
      return [textOf(block.text).toUpperCase()];
    case 'section': {
      const lines = [textOf(block.text), ...((block.fields as AnyBlock[] | undefined) ?? []).map(textOf)].filter(Boolean);
      if (block.accessory?.type === 'button') lines[lines.length - 1] = `${lines[lines.length - 1] ?? ''}   ${buttonLabel(block.accessory)}`;
      return lines;
    }
    case 'context':
      return [((block.elements as AnyBlock[] | undefined) ?? []).map(textOf).filter(Boolean).join(' · ')];
    case 'actions':
      return [((block.elements as AnyBlock[] | undefined) ?? []).map(buttonLabel).join('  ')];
    case 'divider':
      return ['───'];
    case 'input':
      return [`${textOf(block.label)}: [${' '.repeat(30)}]`];
    default:
      return [];
  }
}

function messageText(message: { text?: string; blocks?: unknown }, names: Names, readerTz: string, full: boolean): string {
  const blocks = Array.isArray(message.blocks) ? (message.blocks as AnyBlock[]) : [];
  const raw = full && blocks.length > 0 ? blocks.flatMap(blockLines).join('\n') : (message.text ?? '');
  return readable(raw, names, readerTz);
}

// ---------------------------------------------------------------------------------------------
// The database: embedded, or a fresh one on the server at DATABASE_URL
// ---------------------------------------------------------------------------------------------

interface DemoDatabase {
  url: string;
  description: string;
  stop(): Promise<void>;
}

async function provideDatabase(): Promise<DemoDatabase> {
  const serverUrl = process.env.DATABASE_URL?.trim();
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres();
    return { url: embedded.url, description: 'an embedded PostgreSQL (PGlite), fresh for this run', stop: () => embedded.stop() };
  }
  // Never the database DATABASE_URL names: the demo's sample team would end up among real people.
  const name = `smokejumper_demo_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    description: 'a fresh database on the PostgreSQL server at DATABASE_URL, dropped at the end',
    async stop() {
      const c = new Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The world: database, emulator, app, and the demo's clock
// ---------------------------------------------------------------------------------------------

interface World {
  app: Running;
  config: Readonly<Config>;
  emulator: SlackEmulator;
  sender: SlackSender;
  responses: ResponseUrlSink;
  names: Names;
  /** moves the demo's clock to `time`; it stays there until the next step */
  setTime(time: Date): void;
  /** sets the clock to `time` and lets it tick on in real time from there */
  tickFrom(time: Date): void;
  now(): Date;
  /** the demo's clock in Unix seconds, for event_time and created */
  seconds(): number;
}

async function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs = STEP_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const dmsTo = (w: World, user: string): EmulatedMessage[] => (w.emulator.imOf(user) ? w.emulator.messagesTo(user) : []);

function userName(emulator: SlackEmulator) {
  return (id: string) => {
    if (id === emulator.botUserId) return 'smokejumper';
    return SAMPLE_TEAM.find((p) => p.id === id)?.name ?? emulator.user(id)?.real_name ?? id;
  };
}

/** Slack confirms an invite with member_joined_channel; the demo sends it as Slack would. */
async function slackSaysJoined(w: World, user: string, channel: string): Promise<void> {
  await w.sender.event({ type: 'member_joined_channel', user, channel, channel_type: 'C', team: w.emulator.teamId, inviter: w.emulator.botUserId }, { eventTime: w.seconds() });
}

function interactionUser(w: World, id: string) {
  return { id, username: w.names.user(id).toLowerCase(), name: w.names.user(id).toLowerCase(), team_id: w.emulator.teamId };
}

const triggerId = (n: number) => `398738663015.47445629121.${n.toString(16).padStart(32, '0')}`;

// ---------------------------------------------------------------------------------------------
// Setting the scene: the roster, the history, the opt-out
// ---------------------------------------------------------------------------------------------

async function seedTeam(w: World): Promise<void> {
  const db = w.app.deps.db;
  // The people come from users.list (the roster sync at start); seniority and mentors from the CSV.
  await waitUntil(async () => (await db.engineer.count({ where: { active: true } })) === SAMPLE_TEAM.length, 'the roster sync at start');
  const imported = await importRoster(db, sampleRosterCsv(), w.now());
  if (imported.problems.length > 0) throw new Error(`sample roster: ${imported.problems.map((p) => `line ${p.line}: ${p.message}`).join('; ')}`);
  // The app was installed at 09:00 this morning; the team's past fires are older than that.
  await db.engineer.updateMany({ data: { createdAt: at(DEMO_START, -60) } });
  const ids = new Map((await db.engineer.findMany({ select: { id: true, slackId: true } })).map((e) => [e.slackId, e.id]));
  let channel = 0;
  for (const [key, past] of Object.entries(PAST_INCIDENTS)) {
    const openedAt = at(DEMO_START, -past.daysAgo * 24 * 60);
    const incident = await openIncident(db, { channelId: `C0PAST${String(++channel).padStart(4, '0')}`, name: past.name, isPrivate: false, createdBy: MARTA, openedAt });
    for (const person of SAMPLE_TEAM) {
      const fire = person.pastFires.find((f) => f.incident === key);
      if (!fire) continue;
      await recordJoin(db, ids.get(person.id)!, incident.id, at(openedAt, 5), { role: fire.role, source: 'self_joined' });
      await recordLeave(db, ids.get(person.id)!, incident.id, at(openedAt, past.hours * 60));
    }
    await resolveIncident(db, incident.id, at(openedAt, past.hours * 60));
  }
  for (const person of SAMPLE_TEAM.filter((p) => p.optedOut)) await setPreferences(db, ids.get(person.id)!, { optedOut: true });
}

function showTeam(w: World, candidates: Candidate[]): void {
  out.step(w.now(), `The team: ${SAMPLE_TEAM.length} engineers in ${new Set(SAMPLE_TEAM.map((p) => p.tz)).size} time zones`);
  out.line(`  ${'name'.padEnd(7)}${'level'.padEnd(8)}${'time zone'.padEnd(21)}${'local'.padEnd(11)}${'fires'.padEnd(7)}${'exp.'.padEnd(6)}notes`);
  for (const person of SAMPLE_TEAM) {
    const c = candidates.find((x) => x.slackId === person.id)!;
    const notes = [person.mentor ? 'mentor' : '', person.optedOut ? 'opted out' : '', isWorkingTime(w.now(), person.tz, w.config.workingTime) ? '' : 'outside working hours'].filter(Boolean).join(', ');
    out.line(`  ${person.name.padEnd(7)}${person.level.padEnd(8)}${person.tz.padEnd(21)}${clockIn(w.now(), person.tz).padEnd(11)}${String(totalIncidents(c.history)).padEnd(7)}${String(experienceScore(c, w.now())).padEnd(6)}${notes}`.trimEnd());
  }
  out.para(`Experience ("exp.") is the score the app ranks by: level, time at the company and past fires, recent and active ones weighing more. Lower goes first. Working hours: ${describeWorkingTime(w.config.workingTime)}, in each person's own time zone.`);
}

// ---------------------------------------------------------------------------------------------
// The story
// ---------------------------------------------------------------------------------------------

/** Prints, in full, the DMs `user` got from the `fromIndex`th on. */
function showDms(w: World, user: string, fromIndex: number): void {
  const tz = sampleEngineer(user).tz;
  for (const m of dmsTo(w, user).slice(fromIndex)) {
    out.line(`  DM to @${w.names.user(user)}:`);
    out.para(messageText(m, w.names, tz, true), '    │ ');
  }
}

async function incidentOpens(w: World, before: Candidate[]): Promise<{ channelId: string; incidentId: number; learners: string[] }> {
  const channel = w.emulator.addChannel({ name: INCIDENT_CHANNEL, creator: MARTA, created: w.seconds() });
  out.step(w.now(), `@Marta creates #${INCIDENT_CHANNEL}`);
  out.para('Slack sends the app a signed channel_created event. The channel name matches INCIDENT_CHANNEL_PATTERN, so it is an incident: the app stores the event, acknowledges it, and a durable job does the rest.');
  await w.sender.event({ type: 'channel_created', channel: { id: channel.id, name: channel.name, created: w.seconds(), creator: MARTA } }, { eventTime: w.seconds() });
  await waitUntil(() => w.emulator.messagesTo(channel.id).length >= 1, 'the intro message in the incident channel');

  const db = w.app.deps.db;
  const incident = await db.incident.findUniqueOrThrow({ where: { channelId: channel.id } });
  const invited = await db.participation.findMany({ where: { incidentId: incident.id, source: 'auto_invite' }, include: { engineer: true }, orderBy: { id: 'asc' } });
  const learners = invited.map((p) => p.engineer.slackId);

  out.line('');
  out.line(`  The app joins the channel and invites ${invited.length} learners (INVITES_PER_INCIDENT=${w.config.invitesPerIncident}):`);
  for (const p of invited) {
    const c = before.find((x) => x.slackId === p.engineer.slackId)!;
    out.line(`  • @${p.engineer.name}, ${c.level}, ${clockIn(w.now(), c.timeZone, false)} in ${c.timeZone}: ${p.reason}`);
    for (const line of explainExperience(c, w.now())) out.para(line, '      ');
  }
  const juniorsLeft = before.filter((c) => c.level === 'junior' && !learners.includes(c.slackId));
  out.line('  Not invited:');
  for (const c of juniorsLeft) {
    const why = c.optedOut
      ? 'opted out of automatic invites'
      : !isWorkingTime(w.now(), c.timeZone, w.config.workingTime)
        ? `it is ${clockIn(w.now(), c.timeZone)} in ${c.timeZone}, outside working hours`
        : `experience ${experienceScore(c, w.now())}: more experienced than those invited`;
    out.line(`  • @${c.name}: ${why}`);
  }
  out.line(`  • everyone above junior level: more experienced`);
  const mentorReason = incident.mentorSlackId === MARTA ? 'flagged as a mentor in the roster and already in the channel' : 'in the channel';
  out.line(`  Mentor: @${w.names.user(incident.mentorSlackId ?? MARTA)} (${mentorReason}).`);

  out.line('');
  out.line(`  #${INCIDENT_CHANNEL}, from smokejumper:`);
  out.para(messageText(w.emulator.messagesTo(channel.id)[0]!, w.names, HOME_ZONE, true), '    │ ');

  // Slack then tells the app that each invitee joined; prompts run from that moment.
  for (const learner of learners) await slackSaysJoined(w, learner, channel.id);
  const total = w.config.promptScheduleMs.length;
  for (const learner of learners) await waitUntil(() => dmsTo(w, learner).length >= 1 + total, `the welcome DM and ${total} prompts to ${w.names.user(learner)}`);
  await waitUntil(() => dmsTo(w, MARTA).length >= learners.length, 'the mentor pairing DMs to Marta');

  out.step(w.now(), 'Direct messages: why you, what to do, and guided prompts');
  out.para(`Each learner gets a DM saying why they were invited, then the prompts of PROMPT_SCHEDULE (${PROMPT_SCHEDULE} in this demo; 0s,10m,30m by default), measured from when they joined. The channel name mentions "db", so the database playbook is used. @Jonas's messages in full:`);
  showDms(w, JONAS, 0);
  for (const learner of learners.filter((l) => l !== JONAS)) {
    out.line(`  @${w.names.user(learner)} gets the same ${1 + total} DMs, in short:`);
    for (const m of dmsTo(w, learner)) out.para(`· ${messageText(m, w.names, sampleEngineer(learner).tz, false)}`, '    ');
  }
  out.line('  And the mentor, one DM per learner:');
  const pairing = dmsTo(w, MARTA).find((m) => (m.text ?? '').includes(`<@${JONAS}>`)) ?? dmsTo(w, MARTA)[0]!;
  out.line(`  DM to @Marta:`);
  out.para(messageText(pairing, w.names, sampleEngineer(MARTA).tz, true), '    │ ');
  return { channelId: channel.id, incidentId: incident.id, learners };
}

async function someoneVolunteers(w: World, channelId: string, incidentId: number): Promise<void> {
  w.setTime(at(DEMO_START, 5));
  out.step(w.now(), `@Priya types \`${COMMAND.volunteer}\``);
  out.para(`Priya, in Bangalore, was not picked: two learners with less experience came first. She volunteers. Slack sends the app a signed slash command; the reply comes back through its response_url, visible only to her.`);
  const before = w.responses.received.length;
  const res = await w.sender.command({ command: COMMAND.volunteer, text: '', user_id: PRIYA, user_name: 'priya', response_url: w.responses.url('volunteer-priya'), trigger_id: triggerId(1) });
  if (res.status !== 200) throw new Error(`/volunteer answered HTTP ${res.status}`);
  await w.responses.waitFor(before + 1, STEP_TIMEOUT_MS);
  const reply = w.responses.received[before]!.body as { text?: string; blocks?: unknown };
  out.line('  Only @Priya sees:');
  out.para(messageText(reply, w.names, sampleEngineer(PRIYA).tz, true), '    │ ');

  out.line('');
  out.line('  She clicks [ Join ] (a block_actions request with the incident in the button value):');
  const joined = w.responses.received.length;
  const click = await w.sender.interaction({
    type: 'block_actions',
    user: interactionUser(w, PRIYA),
    trigger_id: triggerId(2),
    container: { type: 'message', message_ts: '0000000000.000100', channel_id: 'D0SLASHDM1', is_ephemeral: true },
    channel: { id: 'D0SLASHDM1', name: 'directmessage' },
    state: { values: {} },
    response_url: w.responses.url('join-priya'),
    actions: [{ type: 'button', action_id: ACTION.joinIncident, block_id: `join_${incidentId}`, value: String(incidentId), text: { type: 'plain_text', text: 'Join', emoji: true }, action_ts: `${w.seconds()}.000200` }],
  });
  if (click.status !== 200) throw new Error(`the Join button answered HTTP ${click.status}`);
  await w.responses.waitFor(joined + 1, STEP_TIMEOUT_MS);
  out.para(messageText(w.responses.received[joined]!.body as { text?: string; blocks?: unknown }, w.names, sampleEngineer(PRIYA).tz, true), '    │ ');

  await waitUntil(() => w.emulator.channel(channelId)!.members.has(PRIYA), 'Priya to be invited');
  await slackSaysJoined(w, PRIYA, channelId);
  const total = w.config.promptScheduleMs.length;
  await waitUntil(() => dmsTo(w, PRIYA).length >= total, `${total} prompts to Priya`);
  await waitUntil(() => dmsTo(w, MARTA).length >= 3, 'the mentor pairing DM about Priya');
  const volunteer = await w.app.deps.db.participation.findFirstOrThrow({ where: { incidentId, engineer: { slackId: PRIYA } } });
  out.para(`She is in the channel as a ${volunteer.role} and gets the same guided prompts:`);
  for (const m of dmsTo(w, PRIYA)) out.para(`· ${messageText(m, w.names, sampleEngineer(PRIYA).tz, false)}`, '    ');
}

async function incidentResolves(w: World, channelId: string, learners: string[]): Promise<void> {
  w.setTime(at(DEMO_START, 90));
  out.step(w.now(), `@Marta renames the channel to #${RESOLVED_CHANNEL}`);
  out.para('The new name matches RESOLVED_CHANNEL_PATTERN: the incident is resolved. Prompts not sent yet are cancelled, and every learner still in the channel is asked for a short reflection.');
  const counts = new Map(learners.map((l) => [l, dmsTo(w, l).length]));
  w.emulator.renameChannel(channelId, RESOLVED_CHANNEL);
  await w.sender.event({ type: 'channel_rename', channel: { id: channelId, name: RESOLVED_CHANNEL, created: Math.floor(DEMO_START.getTime() / 1000) } }, { eventTime: w.seconds() });
  for (const l of learners) await waitUntil(() => dmsTo(w, l).length > counts.get(l)!, `the reflection DM to ${w.names.user(l)}`);
  showDms(w, JONAS, counts.get(JONAS)!);
  out.line(`  (${learners.filter((l) => l !== JONAS).map((l) => `@${w.names.user(l)}`).join(' and ')} get the same.)`);
}

async function reflection(w: World, incidentId: number): Promise<void> {
  w.setTime(at(DEMO_START, 100));
  out.step(w.now(), '@Jonas clicks [ Write my reflection ]');
  const opened = w.emulator.openedViews.length;
  const reflectionDm = dmsTo(w, JONAS).at(-1)!;
  const click = await w.sender.interaction({
    type: 'block_actions',
    user: interactionUser(w, JONAS),
    trigger_id: triggerId(3),
    container: { type: 'message', message_ts: reflectionDm.ts, channel_id: reflectionDm.channel, is_ephemeral: false },
    channel: { id: reflectionDm.channel, name: 'directmessage' },
    message: { type: 'message', ts: reflectionDm.ts, text: reflectionDm.text, blocks: reflectionDm.blocks },
    response_url: w.responses.url('reflection-button'),
    state: { values: {} },
    actions: [{ type: 'button', action_id: ACTION.openReflection, block_id: ACTION.openReflection, value: String(incidentId), text: { type: 'plain_text', text: 'Write my reflection' }, action_ts: `${w.seconds()}.000300` }],
  });
  if (click.status !== 200) throw new Error(`the reflection button answered HTTP ${click.status}`);
  await waitUntil(() => w.emulator.openedViews.length > opened, 'the reflection form (views.open)');
  const view = w.emulator.openedViews.at(-1)! as SlackView & { title?: { text?: string }; blocks?: AnyBlock[] };
  out.line(`  A form opens (views.open), "${view.title?.text ?? ''}":`);
  out.para((view.blocks ?? []).flatMap(blockLines).map((l) => readable(l, w.names, sampleEngineer(JONAS).tz)).join('\n'), '    │ ');

  const answers = {
    whatHappened: 'A deploy added a query without an index on orders.created_at; checkout latency tripled until it was rolled back.',
    checkFirst: 'The slow query log and the p99 latency panel, before the application logs.',
    learned: 'EXPLAIN on the new query would have shown the sequential scan before the deploy.',
  };
  const values = Object.fromEntries(
    (Object.keys(REFLECTION_BLOCK) as Array<keyof typeof REFLECTION_BLOCK>).map((field) => [REFLECTION_BLOCK[field], { [REFLECTION_BLOCK[field]]: { type: 'plain_text_input', value: answers[field] } }]),
  );
  const submitted = await w.sender.interaction({
    type: 'view_submission',
    user: interactionUser(w, JONAS),
    trigger_id: triggerId(4),
    view: { ...view, state: { values } },
    response_urls: [],
  });
  if (submitted.status !== 200) throw new Error(`the reflection form answered HTTP ${submitted.status}`);
  if (submitted.body.trim() !== '') throw new Error(`the reflection form was refused: ${submitted.body}`);
  const learning = await w.app.deps.db.learning.findFirstOrThrow({ where: { incidentId, engineer: { slackId: JONAS } } });
  out.line('  He submits it (view_submission); the app checks the answers and stores them as a learning:');
  out.para(`What happened: ${learning.whatHappened}\nCheck first next time: ${learning.checkFirst}\nLearned: ${learning.learned}`, '    │ ');
}

async function weeklyDigest(w: World): Promise<void> {
  // Monday 30 November, 09:00 in Berlin: DIGEST_SCHEDULE in Jonas's own time zone.
  w.setTime(new Date('2026-11-30T08:00:00Z'));
  out.step(w.now(), 'The weekly digest');
  out.para(`It is Monday, DIGEST_SCHEDULE (${describeSchedule(w.config)}) in Berlin. The digest job runs every minute and sends each person their week when it is that time where they are; the demo runs it now rather than wait for the next minute.`);
  const before = dmsTo(w, JONAS).length;
  await w.app.deps.jobs.send(WEEKLY_DIGEST_JOB, {});
  await waitUntil(() => dmsTo(w, JONAS).length > before, 'the weekly digest to Jonas');
  // Everyone else whose Monday 09:00 has come gets theirs in the same run; let it finish.
  await waitUntil(async () => {
    const { rows } = await w.app.deps.pool.query<{ busy: string }>(`SELECT count(*) AS busy FROM pgboss.job WHERE name = $1 AND (state = 'active' OR (state IN ('created', 'retry') AND start_after <= now()))`, [WEEKLY_DIGEST_JOB]);
    return Number(rows[0]!.busy) === 0;
  }, 'the digest run to finish');
  showDms(w, JONAS, before);
  const sent = await w.app.deps.db.digest.findMany({ where: { status: 'sent' }, include: { engineer: true } });
  const names = sent.map((d) => `@${d.engineer.name}`).sort();
  out.para(`Digests sent so far: ${names.join(', ')}: everyone for whom it is Monday 09:00 or later (Berlin, Bangalore, Sydney). London, New York and Los Angeles get theirs when it is 09:00 there.`);
}

function describeSchedule(config: Readonly<Config>): string {
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][config.digestSchedule.weekday];
  const m = config.digestSchedule.minute;
  return `${day} ${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

async function showMetrics(w: World): Promise<void> {
  const body = await (await fetch(`${w.app.metricsUrl}/metrics`)).text();
  const value = (pattern: RegExp) => [...body.matchAll(pattern)].reduce((sum, m) => sum + Number(m[1]), 0);
  out.step(w.now(), 'What an operator sees');
  out.para(`GET /healthz answers ${(await fetch(`${w.app.url}/healthz`)).status}. From GET /metrics (Prometheus):`);
  out.line(`    smokejumper_invites_total{outcome="invited"}            ${value(/^smokejumper_invites_total\{outcome="invited"\} (\d+)/gm)}`);
  out.line(`    smokejumper_invites_total{outcome="volunteer_invited"}  ${value(/^smokejumper_invites_total\{outcome="volunteer_invited"\} (\d+)/gm)}`);
  out.line(`    smokejumper_prompts_total{outcome="sent"}               ${value(/^smokejumper_prompts_total\{outcome="sent"\} (\d+)/gm)}`);
  out.line(`    smokejumper_digests_total{outcome="sent"}               ${value(/^smokejumper_digests_total\{outcome="sent"\} (\d+)/gm)}`);
  out.line(`    smokejumper_slack_api_errors_total                      ${value(/^smokejumper_slack_api_errors_total\{[^}]*\} (\d+)/gm)}`);
}


// ---------------------------------------------------------------------------------------------
// --keep-running: the same world, left running, for trying things by hand
// ---------------------------------------------------------------------------------------------

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

async function keepRunning(w: World): Promise<void> {
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


// ---------------------------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------------------------

const USAGE = [
  'usage: npm run demo [-- --keep-running]',
  '  --keep-running  after the story, keep the app, the emulator and the database running, print',
  '                  every Slack call the app makes, and create incidents from the keyboard',
].join('\n');

async function run(argv: readonly string[]): Promise<void> {
  const unknown = argv.filter((a) => !['--keep-running', '--help', '-h'].includes(a));
  if (unknown.length > 0 || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${unknown.length > 0 ? `demo: unknown argument "${unknown[0]}"\n` : ''}${USAGE}\n`);
    if (unknown.length > 0) process.exitCode = 2;
    return;
  }
  const started = Date.now();
  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch((err: unknown) => process.stderr.write(`demo: cleanup: ${(err as Error).message}\n`));
    cleanups.length = 0;
  };
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    process.stderr.write('demo: interrupted, cleaning up\n');
    void cleanup().then(() => process.exit(130));
  });

  try {
    const database = await provideDatabase();
    cleanups.push(() => database.stop());
    const emulator = new SlackEmulator({ seed: 1 });
    await emulator.start();
    cleanups.push(() => emulator.stop());
    for (const user of sampleUsers()) emulator.addUser(user);
    const responses = new ResponseUrlSink();
    await responses.start();
    cleanups.push(() => responses.stop());

    // The demo's clock stands still between steps, so that every time and duration it prints is
    // exact; delays such as the prompt schedule still pass, as the job queue runs on real time.
    let current = DEMO_START;
    let ticking: number | null = null;
    const clock = () => new Date(ticking === null ? current.getTime() : Date.now() + ticking);
    const signingSecret = randomBytes(16).toString('hex');
    const config = loadConfig(
      {
        DATABASE_URL: database.url,
        // PGlite serves one query at a time; a few connections are plenty and keep waits short.
        DATABASE_POOL_MAX: '4',
        SLACK_BOT_TOKEN: emulator.botToken,
        SLACK_SIGNING_SECRET: signingSecret,
        SLACK_API_URL: emulator.apiUrl,
        PORT: '0',
        METRICS_PORT: '0',
        METRICS_HOST: '127.0.0.1',
        PROMPT_SCHEDULE,
      },
      'start',
    );
    const log = createLogger(process.env.LOG_LEVEL?.trim() || 'silent', pino.destination(2));
    const app = await start(config, log, { clock });
    cleanups.push(() => app.stop());

    const names: Names = { user: userName(emulator), channel: (id) => emulator.channel(id)?.name ?? id };
    const w: World = {
      app,
      config,
      emulator,
      sender: new SlackSender({ appUrl: `${app.url}/slack/events`, signingSecret, teamId: emulator.teamId, botUserId: emulator.botUserId }),
      responses,
      names,
      setTime(time) {
        current = time;
        ticking = null;
      },
      tickFrom(time) {
        ticking = time.getTime() - Date.now();
      },
      now: clock,
      seconds: () => Math.floor(clock().getTime() / 1000),
    };

    out.line('Smokejumper demo');
    out.line('════════════════');
    out.para(`The real app (the same Bolt app, migrations and durable jobs as \`npm start\`) runs against ${database.description}, and a Slack workspace emulator. Everything below happens through what Slack would send: signed events, a slash command, button clicks and a form. The clock is the demo's own: ${longDate(DEMO_START, HOME_ZONE)} in Berlin.`, '');

    await seedTeam(w);
    const candidates = await loadCandidates(app.deps.db, w.now());
    showTeam(w, candidates);
    const { channelId, incidentId, learners } = await incidentOpens(w, candidates);
    await someoneVolunteers(w, channelId, incidentId);
    await incidentResolves(w, channelId, [...learners, PRIYA]);
    await reflection(w, incidentId);
    await weeklyDigest(w);
    await showMetrics(w);
    if (argv.includes('--keep-running')) {
      await keepRunning(w);
    } else {
      out.line('');
      out.line('Done. `npm run demo -- --keep-running` leaves it all running to try by hand; `npm start` runs the');
      out.line('same app against a real workspace (README.md).');
    }
  } finally {
    if (!interrupted) await cleanup();
    process.stderr.write(`demo: finished in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
}

run(process.argv.slice(2)).then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    process.stderr.write(`demo failed: ${(error as Error).stack ?? String(error)}\nRun with LOG_LEVEL=info to see the app's own logs (on stderr).\n`);
    process.exit(1);
  },
);
