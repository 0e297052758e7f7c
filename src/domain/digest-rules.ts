/**
 * Whether a weekly digest goes out, and the quarter's summary on the first digest of a quarter
 * (SPEC.md section 7). Pure: the week's summary and a few facts about the person in, a decision out.
 *
 * A digest is sent only when there is something in it. What counts is the list DIGEST_CONTENT:
 * one entry per kind of content, so that a new kind (a mentor's reply, a stage reached) is one
 * more entry. A week with none of it is quiet; a junior with no fire in INVITE_AFTER_QUIET_DAYS
 * gets one invitation to volunteer for that stretch (not one every week); anyone else gets nothing.
 */
import { addDays, type WeekStart } from './iso-week';
import type { Level, Role } from './experience';
import { playbookFor } from './prompts';

/** What a digest week holds, as far as the rules below need it. */
export interface DigestContentFacts {
  incidents: readonly unknown[];
  learnings: readonly unknown[];
  /** the quarter's summary, on the first digest of a quarter */
  quarter?: { fires: number; reflections: number } | null;
}

/** Each kind of content that makes a digest worth sending; the digest goes out when any is present. */
export const DIGEST_CONTENT: ReadonlyArray<{ name: string; present(week: DigestContentFacts): boolean }> = [
  { name: 'fires', present: (week) => week.incidents.length > 0 },
  { name: 'reflections', present: (week) => week.learnings.length > 0 },
  { name: 'quarter', present: (week) => Boolean(week.quarter && (week.quarter.fires > 0 || week.quarter.reflections > 0)) },
];

/** The names of the content a week holds, in DIGEST_CONTENT's order; empty for a quiet week. */
export function digestContent(week: DigestContentFacts): string[] {
  return DIGEST_CONTENT.filter((c) => c.present(week)).map((c) => c.name);
}

/**
 * A junior (or someone nobody classified yet, who ranks with juniors: SPEC.md section 3) with no
 * fire for this long, counted from their last fire or from when the app first knew them, is invited once.
 */
export const INVITE_AFTER_QUIET_DAYS = 28;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface InvitationFacts {
  level: Level;
  /** when the app first knew the person */
  knownSince: Date;
  /** their latest fire (any role) joined before the week's end, if any */
  lastFireAt: Date | null;
}

/**
 * Whether this week's digest is the one invitation of a fire-less stretch: the week whose end is
 * the first to lie INVITE_AFTER_QUIET_DAYS or more after the later of the last fire and the day the
 * app first knew the person. Being a property of the week, it is true for exactly one week of a
 * stretch, so no record of an earlier invitation is needed; a new fire starts a new stretch.
 */
export function invitationWeek(facts: InvitationFacts, week: { start: Date; end: Date }): boolean {
  if (facts.level !== 'junior' && facts.level !== 'unknown') return false;
  const since = Math.max(facts.knownSince.getTime(), facts.lastFireAt?.getTime() ?? 0);
  const previousEnd = week.start.getTime();
  const quietBy = (end: number) => end - since >= INVITE_AFTER_QUIET_DAYS * DAY_MS;
  return quietBy(week.end.getTime()) && !quietBy(previousEnd);
}

// ------------------------------------------------------------------------------------------------
// The quarter's summary
// ------------------------------------------------------------------------------------------------

/** "2026-Q4" for a date label "2026-11-16". */
export function quarterOf(day: string): string {
  const [year, month] = day.split('-').map(Number);
  return `${year}-Q${Math.floor((month! - 1) / 3) + 1}`;
}

/**
 * Whether the digest of this week is the first of a quarter: it falls due (the Monday after the
 * week) in a later quarter than the week began. It sums up the quarter the week began in.
 */
export function firstDigestOfQuarter(weekStart: WeekStart): boolean {
  return quarterOf(weekStart) !== quarterOf(addDays(weekStart, 7));
}

/** The first and last day (inclusive) of the quarter a day is in, as YYYY-MM-DD labels. */
export function quarterDays(day: string): { first: string; last: string } {
  const [year, month] = day.split('-').map(Number);
  const firstMonth = Math.floor((month! - 1) / 3) * 3 + 1;
  const first = `${year}-${String(firstMonth).padStart(2, '0')}-01`;
  const nextFirst = firstMonth === 10 ? `${year! + 1}-01-01` : `${year}-${String(firstMonth + 3).padStart(2, '0')}-01`;
  return { first, last: addDays(nextFirst, -1) };
}

/** One fire of the quarter, as the summary counts it. */
export interface QuarterFire {
  role: Role;
  channelName: string;
  /**
   * The person's growth stage in that fire, once the app records one (SPEC.md section "Growth");
   * null or absent until then. Fires are counted by stage only when at least one has it.
   */
  stage?: string | null;
}

export interface QuarterSummary {
  /** "2026-Q4" */
  quarter: string;
  fires: number;
  /** fires per role, roles in a fixed order, only those with fires */
  byRole: Array<{ role: Role; fires: number }>;
  /** fires per stage, when stages are known; empty otherwise */
  byStage: Array<{ stage: string; fires: number }>;
  /** systems and kinds of incident touched, from channel names and playbooks, alphabetically */
  systems: string[];
  reflections: number;
}

const ROLE_ORDER: readonly Role[] = ['learner', 'volunteer', 'responder', 'mentor'];

/**
 * What an incident channel says about the system: the first word of its name that is not an
 * incident prefix, a resolved one, a severity or a number: `inc-checkout-500s` -> checkout.
 */
export function systemOf(channelName: string): string | null {
  const words = channelName.toLowerCase().split(/[-_.]+/).filter(Boolean);
  return words.find((w) => !/^(inc|incident|incidents|resolved|sev\d?|p\d|\d+)$/.test(w)) ?? null;
}

export function quarterSummary(quarter: string, fires: readonly QuarterFire[], reflections: number): QuarterSummary {
  const count = <K extends string>(keys: readonly K[]) => {
    const counts = new Map<K, number>();
    for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    return counts;
  };
  const roles = count(fires.map((f) => f.role));
  const stages = count(fires.flatMap((f) => (f.stage ? [f.stage] : [])));
  const systems = new Set<string>();
  for (const f of fires) {
    const playbook = playbookFor(f.channelName);
    const system = systemOf(f.channelName);
    // `inc-db-…` is the database: a word that only names the playbook is the playbook's name.
    if (system) systems.add(playbook.match?.test(system) ? playbook.id : system);
    if (playbook.id !== 'default') systems.add(playbook.id);
  }
  return {
    quarter,
    fires: fires.length,
    byRole: ROLE_ORDER.flatMap((role) => (roles.get(role) ? [{ role, fires: roles.get(role)! }] : [])),
    byStage: [...stages].map(([stage, n]) => ({ stage, fires: n })),
    systems: [...systems].sort(),
    reflections,
  };
}
