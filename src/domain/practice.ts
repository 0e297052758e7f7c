/**
 * Practice fires (issue "Practice fires"; SPEC.md section "Practice fires"): a past incident's
 * channel replayed in rounds, with people shown by role, never by name. Pure: messages in,
 * anonymised rounds out. The channel's text is read when the practice runs and never stored.
 */
import { isStatement, tsToDate, type ContextMessage } from './channel-context';

export const MIN_ROUNDS = 3;
export const MAX_ROUNDS = 5;
/** What the channel knew "in its first minutes": the opening round spans at least this long. */
export const OPENING_MS = 5 * 60_000;

export interface PracticeLine {
  /** "the lead", "responder A", "a bot" */
  who: string;
  text: string;
  at: Date;
}

export interface PracticeRound {
  lines: PracticeLine[];
  /** true for the last round, which reveals the resolution */
  last: boolean;
}

/**
 * Labels for everyone in the incident: the lead is "the lead", every other person "responder A",
 * "responder B", … in the order they first appear (posting or being mentioned), bots "a bot".
 */
export function roleLabels(messages: readonly ContextMessage[], leadId: string | null): Map<string, string> {
  const labels = new Map<string, string>();
  if (leadId) labels.set(leadId, 'the lead');
  let next = 0;
  const label = (id: string) => {
    if (labels.has(id)) return;
    labels.set(id, `responder ${responderLetter(next++)}`);
  };
  for (const m of [...messages].sort(byTs)) {
    if (m.user && !m.fromBot) label(m.user);
    for (const mention of m.text.matchAll(MENTION)) label(mention[1]!);
  }
  return labels;
}

/** A, B, …, Z, AA, AB, … */
function responderLetter(n: number): string {
  let s = '';
  for (let i = n + 1; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

/** `<@U123>` and `<@U123|sam>`: the name after the bar is dropped with the id. */
const MENTION = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;
/** `<!subteam^S123|@oncall>` user group mentions: the handle can name a team, not a person; kept as "a team". */
const GROUP_MENTION = /<!subteam\^[A-Z0-9]+(?:\|[^>]*)?>/g;

/**
 * The text with every mention replaced by a role label, and every known display name of a
 * participant replaced too (people write "thanks Sam"). Code blocks and links stay as they are.
 */
export function anonymise(text: string, labels: ReadonlyMap<string, string>, names: ReadonlyMap<string, string | readonly string[]> = new Map()): string {
  let out = text.replace(MENTION, (_m, id: string) => `_${labels.get(id) ?? 'someone'}_`).replace(GROUP_MENTION, '_a team_');
  // Longest names first, so that "Marta Lindqvist" goes whole before "Marta" alone.
  const all = [...names].flatMap(([id, n]) => (typeof n === 'string' ? [n] : [...n]).map((name) => ({ id, name: name.trim() })));
  all.sort((a, b) => b.name.length - a.name.length);
  for (const { id, name } of all) {
    if (name.length < 2) continue;
    const label = labels.get(id) ?? 'someone';
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(name)}(?![\\p{L}\\p{N}_])`, 'giu'), `_${label}_`);
  }
  return out;
}

/**
 * The names a person may be called by in a channel, or that may be in a link or a path: the full
 * name and each of its parts of 3 letters or more ("Marta Lindqvist", "Marta", "Lindqvist"; a
 * handle like "marta.lindqvist" splits the same way). Shorter parts ("Al", "de") are too likely
 * to be ordinary words.
 */
export function namesOf(fullName: string): string[] {
  const full = fullName.trim();
  const parts = full.split(/[\s._-]+/u).filter((p) => Array.from(p).length >= 3 && p !== full);
  return [...new Set([full, ...parts])];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const byTs = (a: ContextMessage, b: ContextMessage) => Number(a.ts) - Number(b.ts);

/**
 * Splits an incident's messages into 3 to 5 rounds: the opening (the first report and what the
 * channel knew in its first minutes), then a round ending at each message that states a
 * hypothesis, a change or a finding, and a last round that runs to the end (the resolution).
 * When there are more such messages than rounds allow, the split points are spread evenly.
 * Null when the history is too thin for MIN_ROUNDS rounds.
 */
export function splitRounds(messages: readonly ContextMessage[], labels: ReadonlyMap<string, string>, names?: ReadonlyMap<string, string | readonly string[]>): PracticeRound[] | null {
  const ordered = messages.filter((m) => m.text.trim() !== '').sort(byTs);
  if (ordered.length < MIN_ROUNDS) return null;
  const start = tsToDate(ordered[0]!.ts).getTime();
  // The opening ends at the first message after its first minutes (at least the first report);
  // a channel whose whole story fits in those minutes opens with the first report alone.
  const afterOpening = ordered.findIndex((m) => tsToDate(m.ts).getTime() - start > OPENING_MS);
  const opening = afterOpening > 0 ? afterOpening : 1;
  // Candidate cut points: right after each statement, after the opening, leaving something for the last round.
  const cuts = ordered
    .map((m, i) => ({ m, i }))
    .filter(({ m, i }) => i >= opening && i < ordered.length - 1 && !m.fromBot && isStatement(m.text))
    .map(({ i }) => i + 1);
  const middle = spread(cuts, MAX_ROUNDS - 2);
  if (middle.length < MIN_ROUNDS - 2) return null;
  const unique = [0, opening, ...middle, ordered.length];
  if (unique.length - 1 < MIN_ROUNDS) return null;
  const rounds: PracticeRound[] = [];
  for (let r = 0; r < unique.length - 1; r++) {
    const slice = ordered.slice(unique[r], unique[r + 1]);
    rounds.push({
      lines: slice.map((m) => ({ who: m.fromBot || !m.user ? 'a bot' : labels.get(m.user) ?? 'someone', text: anonymise(m.text, labels, names), at: tsToDate(m.ts) })),
      last: r === unique.length - 2,
    });
  }
  return rounds;
}

/** At most `n` of the sorted `points`, evenly spread, always keeping the last one. */
function spread(points: readonly number[], n: number): number[] {
  if (points.length <= n) return [...points];
  const picked: number[] = [];
  for (let k = 1; k <= n; k++) picked.push(points[Math.round((k * points.length) / n) - 1]!);
  return [...new Set(picked)];
}

export interface PracticeCandidate {
  incidentId: number;
  channelName: string;
  playbook: string;
  isPrivate: boolean;
  resolvedAt: Date | null;
  /** the app was a member, so it can read the channel's history */
  appWasMember: boolean;
  excluded: boolean;
  /** whether the person took part in it (then it is no practice for them) */
  personJoined: boolean;
  /** whether the person was in the channel at some point (private ones only for them) */
  personWasMember: boolean;
  /** whether the person already practised on it */
  practised: boolean;
}

/**
 * The past incident to replay to one person, or null: resolved at least `minAgeMs` ago, read by
 * the app, not excluded, not of the security playbook, public or a private one the person was
 * in, never one they joined or already practised on; among those, the playbook they have seen
 * least (real fires and practices both count), then the most recent.
 */
export function choosePracticeIncident(
  candidates: readonly PracticeCandidate[],
  seenByPlaybook: ReadonlyMap<string, number>,
  now: Date,
  minAgeMs: number,
): PracticeCandidate | null {
  const usable = candidates.filter(
    (c) =>
      c.resolvedAt !== null &&
      now.getTime() - c.resolvedAt.getTime() >= minAgeMs &&
      c.appWasMember &&
      !c.excluded &&
      c.playbook !== 'security' &&
      (!c.isPrivate || c.personWasMember) &&
      !c.personJoined &&
      !c.practised,
  );
  usable.sort((a, b) => (seenByPlaybook.get(a.playbook) ?? 0) - (seenByPlaybook.get(b.playbook) ?? 0) || b.resolvedAt!.getTime() - a.resolvedAt!.getTime() || a.incidentId - b.incidentId);
  return usable[0] ?? null;
}

/**
 * The levels a practice fire is offered to: juniors, and people whose level nobody set yet. One
 * list, compared as text, so that a level added to the roster later only needs adding here.
 */
export const PRACTICE_LEARNER_LEVELS: readonly string[] = ['junior', 'unknown'];
export const isPracticeLearner = (level: string): boolean => PRACTICE_LEARNER_LEVELS.includes(level);

/** The playbook of a channel name, as prompts.ts matches it (kept a parameter so this module stays free of prompts). */
export type PlaybookOf = (channelName: string) => string;

export interface OfferCandidate {
  level: string;
  active: boolean;
  optedOut: boolean;
  timeZone: string;
  /** when the app first knew them, or started_on if later: nobody is "without a fire for 28 days" on their first day */
  knownSince: Date;
  /** their last real fire (any role), joined or invited */
  lastFireAt: Date | null;
  /** a practice they started and have not finished: they are offered nothing new meanwhile */
  practiceUnfinished: boolean;
}

/**
 * Whether a person is due an offer of a practice fire now: a junior (or unknown) learner, active,
 * not opted out, with the app and without a real fire for `afterMs`, and no practice under way.
 * Working hours and the once-a-week ledger key are checked by the caller.
 */
export function dueForPracticeOffer(c: OfferCandidate, now: Date, afterMs: number): boolean {
  const since = now.getTime() - afterMs;
  return (
    isPracticeLearner(c.level) &&
    c.active &&
    !c.optedOut &&
    !c.practiceUnfinished &&
    c.knownSince.getTime() <= since &&
    (c.lastFireAt === null || c.lastFireAt.getTime() <= since)
  );
}

/** Words that name a postmortem (or its kin) in a link's URL or label. */
const POSTMORTEM = /post[-_ ]?mortem|\bpm[-_ ]?\d|retro(spective)?|incident[-_ ]review|\brca\b/i;
const LINK = /<(https?:\/\/[^|>\s]+)(?:\|([^>]*))?>/g;

/** The last link in the channel that names a postmortem, as `{ url, label }`, or null. */
export function postmortemLink(messages: readonly ContextMessage[]): { url: string; label: string | null } | null {
  let found: { url: string; label: string | null } | null = null;
  for (const m of [...messages].sort(byTs)) {
    for (const match of m.text.matchAll(LINK)) {
      const url = match[1]!;
      const label = match[2]?.trim() || null;
      if (POSTMORTEM.test(url) || (label && POSTMORTEM.test(label))) found = { url, label };
    }
  }
  return found;
}
