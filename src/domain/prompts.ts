/**
 * The guided prompts (SPEC.md section 5): every word a learner or their mentor reads while an
 * incident runs, and how the playbook is laid over PROMPT_SCHEDULE. Pure: no Slack, no database.
 *
 * A playbook is an orientation followed by investigation questions. Prompt 1 is always the
 * orientation; prompts 2..n share the questions in playbook order, split as evenly as the
 * schedule allows (earlier prompts take the extra question). So with the default schedule
 * (0s,10m,30m) and four questions, prompt 2 asks about impact and the dashboard, prompt 3 about
 * hypotheses and recent changes. A schedule with more entries than the playbook has steps
 * (1 + its questions) sends one question per prompt and ignores the extra entries: a learner
 * is never pinged with nothing new to say. A schedule of one entry sends the orientation only.
 *
 * Step 1 goes out as the learner's one welcome DM (welcomeDm in src/slack/views/incident-messages.ts,
 * planned by src/flows/prompt-flow.ts): it carries the orientation (ORIENTATION_COPY.read and
 * .watching, the playbook's tip) with who leads and mentors, so no separate orientation prompt is sent.
 *
 * Mentions and channel links are filled in by the Block Kit builders; the copy here takes them
 * as already formatted strings.
 */
import dayjs from 'dayjs';
import type { ChannelContext, LinkKind } from './channel-context';
import { experienceScore, RECENT_DAYS, ROLES, totalIncidents, type ExperienceInput, type Role } from './experience';
import { safeZone } from './working-time';
import type { MentorDecision, Progress, Stage } from './progression';

export type QuestionTopic = 'impact' | 'dashboard' | 'hypotheses' | 'changes';

export interface InvestigationQuestion {
  topic: QuestionTopic;
  /** the question the learner tries to answer */
  ask: string;
  /** where to look, concretely */
  hint: string;
}

export interface Playbook {
  id: string;
  /** incident channels whose name matches get this playbook; null for the default */
  match: RegExp | null;
  /** one line about this kind of incident, added to the orientation */
  orientationTip: string;
  /** in the order they are asked */
  questions: InvestigationQuestion[];
  /** two or three concrete ways a mentor can involve the learner */
  mentorIdeas: string[];
}

const DEFAULT_PLAYBOOK: Playbook = {
  id: 'default',
  match: null,
  orientationTip: 'Every incident has someone leading it; find out who from the first messages, and follow what they ask for.',
  questions: [
    {
      topic: 'impact',
      ask: 'Who is affected, and how badly?',
      hint: 'Find the first report and any numbers (error rate, failed requests, customers who wrote in). Try one sentence: who cannot do what, since when.',
    },
    {
      topic: 'dashboard',
      ask: 'Which dashboard shows it?',
      hint: 'Look for the graph the responders keep sharing, or ask for the link. Note what normal looks like and when the line moved.',
    },
    {
      topic: 'hypotheses',
      ask: 'Which hypotheses are being tested?',
      hint: 'Responders usually try one idea at a time. List the ones you have seen, which were ruled out, and why.',
    },
    {
      topic: 'changes',
      ask: 'What changed recently?',
      hint: 'Deploys, feature flags, configuration, infrastructure, traffic. Compare their times with when the graph moved.',
    },
  ],
  mentorIdeas: [
    'Share the dashboard you are watching and say what normal looks like.',
    'Ask them to keep the timeline in a thread: what happened when, and who did what.',
    'Give them one small question to answer, such as which deploy went out just before the graph moved, and check in on it.',
  ],
};

const DATABASE_PLAYBOOK: Playbook = {
  id: 'database',
  match: /(^|[-_])(db|database|postgres|pg|mysql|sql|redis|mongo)([-_]|$)/i,
  orientationTip: 'Database incidents often turn on a few numbers (connections, locks, replication lag); nobody minds if you ask what one of them means.',
  questions: [
    {
      topic: 'impact',
      ask: 'Which services and queries are hurt?',
      hint: 'Slow or failing queries, timeouts, connection errors: which services see them, and what do their users notice?',
    },
    {
      topic: 'dashboard',
      ask: 'Where are the database\u2019s vital signs?',
      hint: 'Find the database dashboard: connections, CPU, replication lag, lock waits, slow queries. Which of them moved first?',
    },
    {
      topic: 'hypotheses',
      ask: 'What is the current theory?',
      hint: 'Common ones: a long transaction holding a lock, a query without an index, a full disk, replica lag, an exhausted connection pool. Which ones are being checked?',
    },
    {
      topic: 'changes',
      ask: 'What changed in or around the database?',
      hint: 'Migrations, new queries in a deploy, a batch job or backfill, a configuration or version change.',
    },
  ],
  mentorIdeas: [
    'Show them the query you use to find blocking locks or slow queries, and what its output means.',
    'Ask them to read out the database dashboard in a thread: connections, replication lag, lock waits.',
    'Have them line up recent migrations and deploys against the moment the graphs moved.',
  ],
};

const SECURITY_PLAYBOOK: Playbook = {
  id: 'security',
  match: /(^|[-_])(sec|security|vuln|breach)([-_]|$)/i,
  orientationTip: 'Security incidents need discretion: keep what you read inside this channel, and ask before sharing anything elsewhere.',
  questions: [
    {
      topic: 'impact',
      ask: 'What might be exposed, and to whom?',
      hint: 'Which systems, data or accounts are involved? Separate what is known from what is only suspected.',
    },
    {
      topic: 'dashboard',
      ask: 'Where is the evidence?',
      hint: 'Audit logs, access logs, alerts from detection tools: find where the responders are looking and which time range matters.',
    },
    {
      topic: 'hypotheses',
      ask: 'What do the responders think happened?',
      hint: 'A leaked credential, a vulnerable dependency, a misconfiguration? Note what is being ruled in or out.',
    },
    {
      topic: 'changes',
      ask: 'What changed recently?',
      hint: 'New access grants, keys rotated or not, deploys, new integrations or newly exposed endpoints.',
    },
  ],
  mentorIdeas: [
    'Walk them through the audit log query you are running and what you are looking for in it.',
    'Ask them to keep a timeline of confirmed facts, apart from suspicions, in a thread.',
    'Explain, once the pressure allows, why each containment step comes in the order it does.',
  ],
};

/** Tailored playbooks first (the first match wins), the default last. */
export const PLAYBOOKS: readonly Playbook[] = [DATABASE_PLAYBOOK, SECURITY_PLAYBOOK, DEFAULT_PLAYBOOK];

/** The playbook for an incident channel, by its name (e.g. `inc-db-replica-lag` gets the database one). */
export function playbookFor(channelName: string): Playbook {
  return PLAYBOOKS.find((p) => p.match?.test(channelName)) ?? DEFAULT_PLAYBOOK;
}

export function playbookById(id: string): Playbook | undefined {
  return PLAYBOOKS.find((p) => p.id === id);
}

export type PromptStep =
  | { kind: 'orientation'; number: 1; total: number; tip: string }
  | { kind: 'investigation'; number: number; total: number; questions: InvestigationQuestion[] };

export interface PlannedPrompt {
  /** 1-based, as in "prompt 2 of 3" */
  number: number;
  /** after the learner joined */
  delayMs: number;
}

/** How many prompts a playbook yields on a schedule: at most one per entry, at most 1 + its questions. */
export function promptCount(playbook: Playbook, scheduleMs: readonly number[]): number {
  return Math.min(scheduleMs.length, 1 + playbook.questions.length);
}

/** The prompts a learner gets, with when; entries beyond the playbook are dropped (see the top of this file). */
export function planPrompts(playbook: Playbook, scheduleMs: readonly number[]): PlannedPrompt[] {
  return scheduleMs.slice(0, promptCount(playbook, scheduleMs)).map((delayMs, i) => ({ number: i + 1, delayMs }));
}

/** Splits items into `groups` consecutive runs whose sizes differ by at most one, larger runs first. */
function splitEvenly<T>(items: readonly T[], groups: number): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (let g = 0; g < groups; g++) {
    const size = Math.floor(items.length / groups) + (g < items.length % groups ? 1 : 0);
    out.push(items.slice(start, start + size));
    start += size;
  }
  return out;
}

/** What prompt `number` of `total` says; null when there is no such prompt. */
export function promptStep(playbook: Playbook, number: number, total: number): PromptStep | null {
  const clampedTotal = Math.min(total, 1 + playbook.questions.length);
  if (!Number.isInteger(number) || number < 1 || number > clampedTotal) return null;
  if (number === 1) return { kind: 'orientation', number: 1, total: clampedTotal, tip: playbook.orientationTip };
  const groups = splitEvenly(playbook.questions, clampedTotal - 1);
  return { kind: 'investigation', number, total: clampedTotal, questions: groups[number - 2]! };
}

// ------------------------------------------------------------------------------------------------
// Copy
// ------------------------------------------------------------------------------------------------

export const ORIENTATION_COPY = {
  heading: 'Start here',
  /** the notification text: short, the blocks say the rest */
  summary: (mentor: string | null): string => `start by reading the channel from the top. Watching is fine.${mentor ? ` Your mentor is ${mentor}.` : ''}`,
  read: 'Read the channel from the top first: the opening messages, anything pinned and any incident document linked there say what is broken and who is leading.',
  watching: 'Watching is fine. Nobody expects you to fix anything; following closely is how everyone learns this.',
  mentor: (mentor: string | null): string =>
    mentor
      ? `${mentor} is your mentor for this one. Ask them anything, in a thread under the message you are curious about or by DM; a short question is never a bother.`
      : 'There is no named mentor this time: ask the people responding, in a thread under the message you are curious about.',
};

export const INVESTIGATION_COPY = {
  heading: 'Something to look into',
  intro: 'While you follow along, try to answer this for yourself. Write your answers down, even privately: they become your reflection at the end.',
  askMentor: (mentor: string | null): string => (mentor ? `Stuck? Ask ${mentor}.` : 'Stuck? Ask in a thread in the channel.'),
};

/**
 * Learners of a sev0 or sev1 incident watch silently (SPEC.md section 5): these lines replace the
 * ones above that point at the channel, so that no prompt suggests posting there.
 */
export const SILENT_COPY = {
  summary: (mentor: string | null): string => `start by reading the channel from the top, and only watch: this one is severe.${mentor ? ` Your mentor is ${mentor}.` : ''}`,
  watching: 'This is a severe incident, so please only watch: do not post in the channel, not even in a thread. Keep your questions for a DM, or for after the incident.',
  mentor: (mentor: string | null): string =>
    mentor
      ? `${mentor} is your mentor for this one. Ask them anything by DM; they may answer once things calm down.`
      : 'There is no named mentor this time: write your questions down, and ask one of the responders by DM after the incident.',
  askMentor: (mentor: string | null): string => (mentor ? `Stuck? Ask ${mentor} by DM.` : 'Stuck? Write the question down for after the incident.'),
};

export const promptProgress = (number: number, total: number): string => `Smokejumper prompt ${number} of ${total}`;

export const MENTOR_COPY = {
  ideasHeading: 'Ways to involve them',
  footer: 'They get short prompts from Smokejumper along the way (what to read, the impact, the dashboard, hypotheses, recent changes), so they may come to you with questions.',
};

const ROLE_WORDS: Record<Role, string> = { learner: 'as learner', volunteer: 'as volunteer', responder: 'as responder', mentor: 'as mentor' };

/**
 * The learner's experience, as their mentor should read it: level, earlier fires and the score
 * the selection used (the same experienceScore that `/volunteer stats` explains to the learner).
 */
export function mentorExperienceLines(input: ExperienceInput, now: Date): string[] {
  const total = totalIncidents(input.history);
  const lines = [`Level: ${input.level}`];
  if (total === 0) {
    lines.push('This is their first fire.');
  } else {
    const byRole = ROLES.map((role) => {
      const n = input.history[role].recent + input.history[role].year + input.history[role].older;
      return n > 0 ? `${n} ${ROLE_WORDS[role]}` : null;
    }).filter((s): s is string => s !== null);
    const recent = ROLES.reduce((sum, role) => sum + input.history[role].recent, 0);
    lines.push(`Fires before this one: ${total} (${byRole.join(', ')}), ${recent} in the last ${RECENT_DAYS} days`);
  }
  lines.push(`Experience score: ${experienceScore(input, now)} (lower means less experienced)`);
  return lines;
}

export const REFLECTION_COPY = {
  prompt: (channel: string): string =>
    `${channel} is resolved. Thank you for joining it. Two minutes to write down what you saw? It turns a fire into something you keep, and it shows up in your weekly digest.`,
  button: 'Write my reflection',
  modalTitle: 'Reflection',
  submit: 'Save',
  close: 'Later',
  modalIntro: (channel: string): string => `A few lines about ${channel}. Plain words are best; nobody grades this.`,
  saved: 'Saved: thank you.',
  shareLabel: 'Your mentor',
  share: 'Share with my mentor',
  loading: 'Opening your reflection…',
  incidentGone: 'I cannot find that incident any more, so there is nothing to reflect on here.',
  notOpened: (error: string): string =>
    `I could not open the reflection form (Slack said \`${error}\`). Please press *Write my reflection* again.`,
};

/** The reflection form's fields, in order. Slack allows at most 3000 characters in a plain_text_input. */
export const REFLECTION_MAX_CHARS = 2000;

export type ReflectionField = 'whatHappened' | 'checkFirst' | 'learned';

export const REFLECTION_FIELDS: ReadonlyArray<{ field: ReflectionField; label: string; placeholder: string; empty: string }> = [
  {
    field: 'whatHappened',
    label: 'What happened?',
    placeholder: 'In your own words: what broke, who noticed, how it was fixed',
    empty: 'Please write a sentence or two about what happened.',
  },
  {
    field: 'checkFirst',
    label: 'What would you check first next time?',
    placeholder: 'A dashboard, a log, a question to ask',
    empty: 'Please name one thing you would check first next time.',
  },
  {
    field: 'learned',
    label: 'One thing you learned',
    placeholder: 'A tool, a habit, how a system behaves under stress',
    empty: 'Please write down one thing you learned.',
  },
];

export type ReflectionAnswers = Record<ReflectionField, string>;

export type ReflectionCheck = { ok: true; answers: ReflectionAnswers } | { ok: false; errors: Partial<Record<ReflectionField, string>> };

/** Trims the answers and refuses empty or oversized ones, with a message per field. */
export function validateReflection(raw: Partial<Record<ReflectionField, string | null | undefined>>): ReflectionCheck {
  const errors: Partial<Record<ReflectionField, string>> = {};
  const answers = {} as ReflectionAnswers;
  for (const { field, empty } of REFLECTION_FIELDS) {
    const value = (raw[field] ?? '').trim();
    if (value === '') errors[field] = empty;
    else if (value.length > REFLECTION_MAX_CHARS) errors[field] = `Please keep this under ${REFLECTION_MAX_CHARS} characters (it has ${value.length}).`;
    answers[field] = value;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, answers };
}

// ------------------------------------------------------------------------------------------------
// Prompts that follow the channel (SPEC.md section 5)
// ------------------------------------------------------------------------------------------------

/** What a prompt quotes from the channel, in the order it says it; built from readChannelContext. */
export type ChannelQuote =
  | { kind: 'link'; linkKind: LinkKind; site: string; url: string; user: string | null; time: string }
  | { kind: 'statement'; user: string | null; text: string; time: string }
  | { kind: 'most-active'; user: string; messages: number };

/** Names of the tools a link may point at, by host; the first that matches wins. */
const SITES: ReadonlyArray<[RegExp, string]> = [
  [/grafana/i, 'Grafana'], [/datadog/i, 'Datadog'], [/kibana/i, 'Kibana'], [/newrelic/i, 'New Relic'], [/honeycomb/i, 'Honeycomb'],
  [/splunk/i, 'Splunk'], [/sentry/i, 'Sentry'], [/loki/i, 'Loki'], [/prometheus/i, 'Prometheus'], [/cloudwatch|console\.aws/i, 'CloudWatch'],
  [/confluence|atlassian\.net\/wiki/i, 'Confluence'], [/notion\.so/i, 'Notion'],
];

/** "Grafana" for a Grafana URL; else what the link is ("dashboard", "logs", "runbook", "link"). */
export function linkSite(url: string, kind: LinkKind): string {
  let host = url;
  try {
    host = new URL(url).host + new URL(url).pathname;
  } catch {
    // a URL Slack accepted but URL() does not: match on the text as it is
  }
  return SITES.find(([pattern]) => pattern.test(host))?.[1] ?? kind;
}

/** A quoted statement is cut to this many characters: enough to recognise it, short enough for a DM. */
export const QUOTE_MAX_CHARS = 200;

/** Slack's `<url|label>`, `<@U…>` and `<#C…|name>` stay as they are; only the length is cut. */
const shorten = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= QUOTE_MAX_CHARS ? flat : `${flat.slice(0, QUOTE_MAX_CHARS - 1).trimEnd()}…`;
};

/**
 * What the next prompt quotes: the latest dashboard, logs and runbook links (the latest other
 * link only when there is none of those), the latest statement of a hypothesis or a change, and
 * who has posted most. Times in the learner's zone. Empty when the channel gave nothing.
 */
export function channelQuotes(context: ChannelContext, timeZone: string): ChannelQuote[] {
  const zone = safeZone(timeZone);
  const time = (at: Date) => dayjs(at).tz(zone).format('HH:mm');
  const latest = (kind: LinkKind) => context.links.filter((l) => l.kind === kind).at(-1);
  const named = (['dashboard', 'logs', 'runbook'] as const).flatMap((k) => latest(k) ?? []);
  const links = named.length > 0 ? named : context.links.slice(-1);
  const quotes: ChannelQuote[] = links
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((l) => ({ kind: 'link', linkKind: l.kind, site: linkSite(l.url, l.kind), url: l.url, user: l.user, time: time(l.at) }));
  if (context.lastStatement) quotes.push({ kind: 'statement', user: context.lastStatement.user, text: shorten(context.lastStatement.text), time: time(context.lastStatement.at) });
  if (context.mostActive && context.mostActive.messages > 1) quotes.push({ kind: 'most-active', user: context.mostActive.user, messages: context.mostActive.messages });
  return quotes;
}

/** The words of each quote; `who` and `link` come formatted by the Block Kit builder. */
export const CHANNEL_COPY = {
  heading: 'From the channel',
  someone: 'Someone',
  link: (who: string, kind: LinkKind, site: string, link: string, time: string): string => {
    switch (kind) {
      case 'dashboard':
        return `${who} shared a ${site === 'dashboard' ? 'dashboard' : site} link at ${time} (${link}): what is its y-axis, and when did the line move?`;
      case 'logs':
        return `${who} shared ${site === 'logs' ? 'logs' : `${site} logs`} at ${time} (${link}): which error shows up most, and since when?`;
      case 'runbook':
        return `${who} linked a runbook at ${time} (${link}): which step are the responders on?`;
      default:
        return `${who} shared a link at ${time} (${link}): what does it show, and why does it matter here?`;
    }
  },
  statement: (who: string, text: string, time: string): string => `At ${time} ${who} wrote: “${text}” What would confirm or rule that out?`,
  mostActive: (who: string, messages: number): string => `${who} has posted most since you joined (${messages} messages): likely the person to follow.`,
};

// ------------------------------------------------------------------------------------------------
// Stages of the growth path (SPEC.md section "Growth", progression.ts): what each stage means in a
// fire, for the learner (welcome DM, prompts) and for their mentor (suggestions).
// ------------------------------------------------------------------------------------------------

export interface StageCopy {
  /** as a person reads it: "lead shadow" */
  label: string;
  /** one line: what this role asks of them in a fire */
  meaning: string;
  /** the welcome DM's paragraph: "your role this time", and how to do it */
  welcome: string;
  /** added to the orientation (prompt 1) */
  orientationTask: string;
  /** added to every later prompt: the question through this stage's eyes */
  promptTip: string;
  /** ways the mentor can give them this role */
  mentorIdeas: string[];
}

export const STAGE_COPY: Readonly<Record<Stage, StageCopy>> = {
  observer: {
    label: 'observer',
    meaning: 'you watch how the fire is fought: who leads, what they look at, what they try.',
    welcome: 'Nothing is expected of you but attention. Notice who leads, which dashboards and logs people share, and what they try first; your questions can wait for a quiet moment or your mentor.',
    orientationTask: 'As an observer, your only task is to follow along: find who is leading and what they are looking at.',
    promptTip: 'As an observer: just note what you see; you do not need to post anything.',
    mentorIdeas: ['Say out loud, now and then, what you are looking at and why.', 'After the fire, ask them what surprised them.'],
  },
  scribe: {
    label: 'scribe',
    meaning: 'you keep the timeline in a thread: what was tried, when, and by whom.',
    welcome: 'Start a thread in the channel called "Timeline" and add a line whenever something happens: an alert, a hypothesis, a change rolled out or back, with the time and who did it. Leads rely on a good timeline when they write the postmortem.',
    orientationTask: 'As the scribe, start the timeline thread now: the first alert or report, with its time.',
    promptTip: 'As the scribe: is the latest step in your timeline thread, with its time and who did it?',
    mentorIdeas: ['Point them to anything the timeline is missing, such as a deploy or a rollback.', 'Use their timeline when you summarise the incident, and say so.'],
  },
  investigator: {
    label: 'investigator',
    meaning: 'you take one question from the lead, look into it, and report back.',
    welcome: 'Ask the lead (or your mentor) for one question you can answer, such as "did error rates move before or after the deploy?", look into it, and report back in a thread, even if the answer is "I could not tell".',
    orientationTask: 'As the investigator, ask the lead or your mentor for one question to look into.',
    promptTip: 'As the investigator: how far along is your question, and is it time to report back what you have?',
    mentorIdeas: ['Give them one concrete question that matters to the incident and ask for the answer in a thread.', 'When they report back, say what you would have checked next.'],
  },
  lead_shadow: {
    label: 'lead shadow',
    meaning: "you follow the lead's decisions and say what you would do next.",
    welcome: "Follow each decision the lead makes, and before the next one, write down (privately or to your mentor) what you would do next and why. Compare afterwards: that is how leading is learned.",
    orientationTask: 'As the lead shadow, find out who leads and write down what you would do first in their place.',
    promptTip: "As the lead shadow: what would you decide next, and does it match the lead's call?",
    mentorIdeas: ['Before a decision, ask them what they would do, then explain your call.', 'After the fire, walk through one decision where you and they differed.'],
  },
};

export const stageLabel = (stage: Stage): string => STAGE_COPY[stage].label;

/** One line of the mentor's DM about a learner: their stage this time and the first way to give them that role. */
export const mentorStageLine = (stage: Stage): string =>
  `${MENTOR_LOOP_COPY.stageHeading(STAGE_COPY[stage].label)}: ${STAGE_COPY[stage].meaning} ${STAGE_COPY[stage].mentorIdeas[0]}`;

/** What is needed for the next stage, in words for the person (or their mentor: `who` is "you" or "they"). */
export function progressText(progress: Progress, who: 'you' | 'they' = 'you'): string {
  if (!progress.next) return who === 'you' ? 'You are at the last stage: keep leading alongside the leads.' : 'They are at the last stage.';
  const next = stageLabel(progress.next);
  const counts = `${progress.fires} ${progress.fires === 1 ? 'fire' : 'fires'} at this stage so far, ${progress.reflected} with a reflection`;
  if (progress.missing.length === 1) return `Next: ${next}. ${counts}; only ${who === 'you' ? "your mentor's" : 'your'} "Ready for the next step" is needed.`;
  return `Next: ${next}, after ${progress.needed} fires at this stage with a reflection each and ${who === 'you' ? 'your mentor' : 'you, their mentor,'} confirming (${counts}).`;
}

/** The mentor's stage buttons and what their answers do (the mentor's reflection DM, the replies). */
export const MENTOR_LOOP_COPY = {
  shared: (learner: string, channel: string): string => `${learner} wrote a reflection on ${channel} and shared it with you.`,
  private: (learner: string, channel: string): string => `${learner} wrote a reflection on ${channel} (they kept the text to themselves).`,
  stageHeading: (label: string): string => `*Their stage:* ${label}`,
  reply: 'Reply',
  ready: 'Ready for the next step',
  notYet: 'Not yet',
  replyTitle: 'Reply',
  replyLabel: 'Your reply',
  replyPlaceholder: 'What you noticed, what you would check, a question for them',
  replySubmit: 'Send',
  notYetTitle: 'Not yet',
  notYetLabel: 'A note for them (optional)',
  notYetPlaceholder: 'What to practise at this stage next time',
  notYetSubmit: 'Save',
  cancel: 'Cancel',
  replyEmpty: 'Please write a reply, or press Cancel.',
  replyTooLong: (n: number): string => `Please keep this under 2000 characters (it has ${n}).`,
  alreadyReplied: 'You already replied to this reflection; the learner has it.',
  notTheMentor: 'Only the mentor of this incident can answer this reflection. Nothing changed.',
  gone: 'I cannot find that reflection any more. Nothing changed.',
  alreadyDecided: (decision: MentorDecision): string => `You already answered "${decision === 'ready' ? 'Ready for the next step' : 'Not yet'}" for this fire. Nothing changed.`,
  notReady: (learner: string, progress: Progress): string =>
    `${learner} cannot move on yet. ${progressText(progress, 'they')} Nothing was recorded, so you can answer again after their next fire.`,
  confirmed: (learner: string, stage: string): string => `Thank you: ${learner} moves on to *${stage}* for their next fire. They have been told.`,
  held: (learner: string): string => `Noted: ${learner} stays at their stage for now. They have been told.`,
  replySent: (learner: string): string => `Your reply is on its way to ${learner}.`,
  // to the learner
  replyToLearner: (mentor: string, channel: string): string => `${mentor} replied to your reflection on ${channel}:`,
  reachedStage: (mentor: string, label: string, meaning: string): string => `${mentor} says you are ready for the next step: from your next fire your role is *${label}*: ${meaning}`,
  heldAtStage: (mentor: string, label: string): string => `${mentor} would like you to stay ${label === 'observer' ? 'an' : 'a'} ${label} a little longer.`,
  note: (note: string): string => `Their note: "${note}"`,
  debrief: (learners: string, channel: string): string =>
    `Good morning. ${learners} reflected on ${channel}. Ten minutes of debrief together today turns that into something that sticks: what they saw, what they would check first next time.`,
  debriefFooter: 'You get this once per incident, and only for learners you have not replied to yet.',
};

export const REPLY_MAX_CHARS = 2000;

/** A mentor's reply or note: trimmed; a reply must say something, a note may be empty. */
export function checkMentorText(raw: string | null | undefined, required: boolean): { ok: true; text: string | null } | { ok: false; error: string } {
  const text = (raw ?? '').trim();
  if (text === '') return required ? { ok: false, error: MENTOR_LOOP_COPY.replyEmpty } : { ok: true, text: null };
  if (text.length > REPLY_MAX_CHARS) return { ok: false, error: MENTOR_LOOP_COPY.replyTooLong(text.length) };
  return { ok: true, text };
}
