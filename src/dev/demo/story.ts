/**
 * The story the demo tells, step by step: the team, an incident with its invites, DMs and prompts,
 * a volunteer, the resolution, a reflection, the weekly digest and the operator's view. Each step
 * acts only through what Slack would send, and prints what the app sent back.
 */
import type { Config } from '../../config';
import { openIncident, resolveIncident } from '../../db/incidents';
import { recordJoin, recordLeave } from '../../db/participations';
import { setPreferences } from '../../db/stats';
import { experienceScore, explainExperience, totalIncidents } from '../../domain/experience';
import type { Candidate } from '../../domain/selection';
import { isWorkingTime } from '../../domain/working-time';
import { importRoster } from '../../flows/roster-flow';
import { WEEKLY_DIGEST_JOB } from '../../jobs/weekly-digest';
import { ACTION, COMMAND, REFLECTION_BLOCK } from '../../slack/ids';
import { describeWorkingTime } from '../../slack/views/volunteer-replies';
import { PAST_INCIDENTS, SAMPLE_TEAM, sampleEngineer, sampleRosterCsv } from '../sample-team';
import type { SlackView } from '../slack-emulator';
import { at, CHEN, DEMO_START, HOME_ZONE, INCIDENT_CHANNEL, JONAS, MARTA, PRIYA, PROMPT_SCHEDULE, RESOLVED_CHANNEL, STEP_TIMEOUT_MS } from './script';
import { blockLines, clockIn, messageText, out, readable, type AnyBlock } from './transcript';
import { dmsTo, interactionUser, slackSaysJoined, triggerId, waitUntil, type World } from './world';


export async function seedTeam(w: World): Promise<void> {
  const db = w.app.deps.db;
  // The people come from users.list (the roster sync at start); seniority and mentors from the CSV.
  await waitUntil(async () => (await db.engineer.count({ where: { active: true } })) === SAMPLE_TEAM.length, 'the roster sync at start');
  const imported = await importRoster(db, sampleRosterCsv(), w.now());
  if (imported.problems.length > 0) throw new Error(`sample roster: ${imported.problems.map((p) => `line ${p.line}: ${p.message}`).join('; ')}`);
  // The app has known the team since the summer (its reports count people from when it first saw
  // them); the past fires below are what it recorded since, and one older fire from before.
  await db.engineer.updateMany({ data: { createdAt: at(DEMO_START, -120 * 24 * 60) } });
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

export function showTeam(w: World, candidates: Candidate[]): void {
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

/** What @Marta writes in the incident channel, in turn: before prompt 2 and 3 of the learners, then of Priya. */
const RESPONDERS_WRITE = [
  'Checkout p99 is at 4 s: <https://grafana.example.com/d/checkout-db/checkout-database?orgId=1|checkout database>',
  'Looks like the connection pool is exhausted since the 09:40 deploy. Rolling back.',
  'Runbook for this: <https://wiki.example.com/runbooks/checkout-db-pool|checkout DB pool>',
  'Rolled back to v2.41; connections are draining, watching the graph.',
] as const;

/** @Marta writes in the channel, then the demo waits until each of `learners` has `dms` DMs (the prompt it let through). */
async function respondersWrite(w: World, channelId: string, learners: string[], text: string, dms: number): Promise<void> {
  w.emulator.say(channelId, MARTA, text);
  for (const learner of learners) await waitUntil(() => dmsTo(w, learner).length >= dms, `${dms} DMs to ${w.names.user(learner)}`);
}

export async function incidentOpens(w: World, before: Candidate[]): Promise<{ channelId: string; incidentId: number; learners: string[] }> {
  const channel = w.emulator.addChannel({ name: INCIDENT_CHANNEL, creator: MARTA, members: [CHEN], created: w.seconds() });
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
  out.line(`  Lead: @${w.names.user(incident.leadSlackId ?? MARTA)} (she opened the channel, so she leads and is not asked to mentor).`);
  out.line(
    incident.mentorSlackId
      ? `  Mentor: @${w.names.user(incident.mentorSlackId)} (flagged as a mentor in the roster and already in the channel).`
      : '  Mentor: nobody yet (one who joins within MENTOR_WAIT mentors, else mentors outside the channel are asked).',
  );

  out.line('');
  out.line(`  #${INCIDENT_CHANNEL}, from smokejumper:`);
  out.para(messageText(w.emulator.messagesTo(channel.id)[0]!, w.names, HOME_ZONE, true), '    │ ');

  // Slack then tells the app that each invitee joined; prompts run from that moment.
  for (const learner of learners) await slackSaysJoined(w, learner, channel.id);
  const total = w.config.promptScheduleMs.length;
  // The responders write in the channel, and each prompt after the first quotes what they shared
  // (the first entry of the schedule is the one welcome DM; a prompt is skipped when nobody wrote since the previous one). The clock ticks meanwhile, as
  // Slack's does: messages are read against it.
  w.tickFrom(w.now());
  await respondersWrite(w, channel.id, learners, RESPONDERS_WRITE[0]!, 2);
  await respondersWrite(w, channel.id, learners, RESPONDERS_WRITE[1]!, total);
  const mentorNames = (who: string[]) => () => dmsTo(w, CHEN).length === 1 && who.every((l) => (dmsTo(w, CHEN)[0]!.text ?? '').includes(`<@${l}>`));
  await waitUntil(mentorNames(learners), 'the mentor DM to Chen naming every learner');

  out.step(w.now(), 'Direct messages: why you, what to do, and guided prompts');
  out.para(`Each learner gets one welcome DM (why them, who leads, who mentors, where to talk, what to watch first, how to step out), then the prompts of PROMPT_SCHEDULE (${PROMPT_SCHEDULE} in this demo; 0s,10m,30m by default; the welcome takes the first entry), measured from when they joined. The channel name mentions "db", so the database playbook is used. @Jonas's messages in full:`);
  showDms(w, JONAS, 0);
  for (const learner of learners.filter((l) => l !== JONAS)) {
    out.line(`  @${w.names.user(learner)} gets the same ${total} DMs, in short:`);
    for (const m of dmsTo(w, learner)) out.para(`· ${messageText(m, w.names, sampleEngineer(learner).tz, false)}`, '    ');
  }
  out.line('  And the mentor, one DM naming every learner (updated with chat.update as more join):');
  out.line(`  DM to @Chen:`);
  out.para(messageText(dmsTo(w, CHEN)[0]!, w.names, sampleEngineer(CHEN).tz, true), '    │ ');
  return { channelId: channel.id, incidentId: incident.id, learners };
}

export async function someoneVolunteers(w: World, channelId: string, incidentId: number): Promise<void> {
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
  w.tickFrom(w.now());
  await respondersWrite(w, channelId, [PRIYA], RESPONDERS_WRITE[2]!, 2);
  await respondersWrite(w, channelId, [PRIYA], RESPONDERS_WRITE[3]!, total);
  await waitUntil(() => dmsTo(w, CHEN).length === 1 && (dmsTo(w, CHEN)[0]!.text ?? '').includes(`<@${PRIYA}>`), "the mentor's DM updated to name Priya");
  const volunteer = await w.app.deps.db.participation.findFirstOrThrow({ where: { incidentId, engineer: { slackId: PRIYA } } });
  out.para(`She is in the channel as a ${volunteer.role} and gets the same guided prompts:`);
  for (const m of dmsTo(w, PRIYA)) out.para(`· ${messageText(m, w.names, sampleEngineer(PRIYA).tz, false)}`, '    ');
}

export async function incidentResolves(w: World, channelId: string, learners: string[]): Promise<void> {
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

export async function reflection(w: World, incidentId: number): Promise<void> {
  w.setTime(at(DEMO_START, 100));
  out.step(w.now(), '@Jonas clicks [ Write my reflection ]');
  const updates = w.emulator.callsTo('views.update').length;
  const reflectionDm = dmsTo(w, JONAS).at(-1)!;
  const click = await w.sender.interaction({
    type: 'block_actions',
    user: interactionUser(w, JONAS),
    trigger_id: w.emulator.issueTrigger(),
    container: { type: 'message', message_ts: reflectionDm.ts, channel_id: reflectionDm.channel, is_ephemeral: false },
    channel: { id: reflectionDm.channel, name: 'directmessage' },
    message: { type: 'message', ts: reflectionDm.ts, text: reflectionDm.text, blocks: reflectionDm.blocks },
    response_url: w.responses.url('reflection-button'),
    state: { values: {} },
    actions: [{ type: 'button', action_id: ACTION.openReflection, block_id: ACTION.openReflection, value: String(incidentId), text: { type: 'plain_text', text: 'Write my reflection' }, action_ts: `${w.seconds()}.000300` }],
  });
  if (click.status !== 200) throw new Error(`the reflection button answered HTTP ${click.status}`);
  await waitUntil(() => w.emulator.callsTo('views.update').length > updates, 'the reflection form (views.open, then views.update)');
  const view = w.emulator.view(w.emulator.openedViews.at(-1)!.id)! as SlackView & { title?: { text?: string }; blocks?: AnyBlock[] };
  out.line(`  A form opens at once (views.open) and is filled (views.update), "${view.title?.text ?? ''}":`);
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

export async function weeklyDigest(w: World): Promise<void> {
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

export async function showMetrics(w: World): Promise<void> {
  // Each process counts what it did: the web its acknowledgements, the worker the invites and DMs.
  const body = (await Promise.all([w.app, w.worker].map(async (r) => (await fetch(`${r.metricsUrl}/metrics`)).text()))).join('\n');
  const value = (pattern: RegExp) => [...body.matchAll(pattern)].reduce((sum, m) => sum + Number(m[1]), 0);
  out.step(w.now(), 'What an operator sees');
  out.para(`GET /healthz answers ${(await fetch(`${w.app.url}/healthz`)).status} on the web and ${(await fetch(`${w.worker.metricsUrl}/healthz`)).status} on the worker (which has no Slack-facing port). From GET /metrics on each (Prometheus, METRICS_PORT), added up:`);
  out.line(`    smokejumper_invites_total{outcome="invited"}            ${value(/^smokejumper_invites_total\{outcome="invited"\} (\d+)/gm)}`);
  out.line(`    smokejumper_invites_total{outcome="volunteer_invited"}  ${value(/^smokejumper_invites_total\{outcome="volunteer_invited"\} (\d+)/gm)}`);
  out.line(`    smokejumper_prompts_total{outcome="sent"}               ${value(/^smokejumper_prompts_total\{outcome="sent"\} (\d+)/gm)}`);
  out.line(`    smokejumper_digests_total{outcome="sent"}               ${value(/^smokejumper_digests_total\{outcome="sent"\} (\d+)/gm)}`);
  out.line(`    smokejumper_slack_api_errors_total                      ${value(/^smokejumper_slack_api_errors_total\{[^}]*\} (\d+)/gm)}`);
}



/** The last scene: what an admin (Marta, in ADMIN_USER_IDS) sees in the report section of her Home tab. */
export async function adminView(w: World): Promise<void> {
  out.step(w.now(), "@Marta opens the app's Home tab: the admin's report");
  out.para('Marta is an admin (ADMIN_USER_IDS), so her Home tab ends with the report section: whether exposure is fair and people grow, computed from the real participations by the same code as `npm run simulate`. A manager (the roster\'s manager column) sees the same for their reports only; everyone else sees just their own switches and stats. "Chart" and "Export CSV" send a PNG and a CSV to her DM; `npm run report` prints the same figures.');
  const before = w.emulator.callsTo('views.publish').length;
  await w.sender.event({ type: 'app_home_opened', user: MARTA, channel: 'D0MARTAHOME', tab: 'home' }, { eventTime: w.seconds() });
  await waitUntil(() => w.emulator.callsTo('views.publish').length > before && w.emulator.homeViewOf(MARTA) !== undefined, "Marta's Home tab (views.publish)");
  const view = w.emulator.homeViewOf(MARTA)! as SlackView & { blocks?: AnyBlock[] };
  const lines = (view.blocks ?? []).flatMap(blockLines).map((l) => readable(l, w.names, sampleEngineer(MARTA).tz));
  // Her own switches and stats come first, as for everyone; the report section is the part only admins and managers see.
  const start = lines.findIndex((l) => l.includes('EXPOSURE ACROSS'));
  out.para(lines.slice(Math.max(0, start)).join('\n'), '    │ ');
}
