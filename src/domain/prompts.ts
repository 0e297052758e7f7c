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
import { experienceScore, RECENT_DAYS, ROLES, totalIncidents, type ExperienceInput, type Role } from './experience';

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

// Prompts that follow the channel, and the growth path's words, live in modules of their own;
// they are re-exported here so that every text is still found through prompts.ts.
export * from './channel-quotes';
export * from './stage-copy';
