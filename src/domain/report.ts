import { ROLES, type Level, type Role } from './experience';
import { coverage, DAY_MS, gini, median, mentorLoad, WEEK_MS } from './fairness';
import { addWeeks, weekStartOf, type WeekStart } from './iso-week';

/**
 * The figures managers and admins see (SPEC.md section 11), as pure functions of what was
 * recorded: people, their participations, the mentors named and the reflections written. The
 * fairness figures come from `fairness.ts`, the code the simulator measures itself with, so the
 * report and `npm run simulate` mean the same thing by "coverage" and "Gini".
 *
 * The period is the last `weeks` x 7 days up to now. The chart and the CSV split it by ISO week in
 * UTC (named by its Monday): the last `weeks` of them, the current week so far included. Nothing here names an incident: a report is about people, so a
 * private incident's channel can never leak through one.
 */

export interface ReportPerson {
  slackId: string;
  name: string;
  level: Level;
  /** the roster's start date, when known */
  startedOn: Date | null;
  /** when the app first saw the person (users.list): they cannot have been invited before */
  firstSeen: Date;
  optedOut: boolean;
  team: string | null;
  /** as the roster names the manager: a Slack ID or a lowercased email */
  manager: string | null;
}

export interface ReportParticipation {
  slackId: string;
  role: Role;
  /** when the person joined, or was invited if no join was seen (as selection counts it) */
  at: Date;
  joinedAt: Date | null;
  leftAt: Date | null;
}

export interface ReportMentoring {
  /** the mentor named in the incident's intro */
  slackId: string;
  at: Date;
}

export interface ReportLearning {
  slackId: string;
  at: Date;
}

/** Things people did that the report counts, beside fires: each by whom and when. */
export const HAPPENING_KINDS = ['offers_declined', 'no_learners_presses', 'stages_reached'] as const;
export type HappeningKind = (typeof HAPPENING_KINDS)[number];

export interface ReportHappening {
  kind: HappeningKind;
  /** who declined the offer, pressed "No learners this time", or reached a stage */
  slackId: string;
  at: Date;
}

/** A practice fire finished (SPEC.md "Practice fires"): shown beside real coverage, never as a fire. */
export interface ReportPractice {
  slackId: string;
  at: Date;
}

export interface ReportInput {
  now: Date;
  weeks: number;
  people: readonly ReportPerson[];
  participations: readonly ReportParticipation[];
  mentoring: readonly ReportMentoring[];
  learnings: readonly ReportLearning[];
  happenings: readonly ReportHappening[];
  practices?: readonly ReportPractice[];
}


export const DEFAULT_REPORT_WEEKS = 13;
export const COVERAGE_DAYS = 28;
export const NEW_HIRE_DAYS = 90;
export const LEFT_EARLY_MS = 5 * 60_000;
/** As in the simulator: a rate over less than 4 weeks employed is mostly noise. */
export const GINI_MIN_WEEKS = 4;
const FIRE_ROLES: readonly Role[] = ['learner', 'volunteer'];

export const isFire = (role: Role): boolean => FIRE_ROLES.includes(role);

export interface GroupFigures {
  people: number;
  coverage: {
    /** juniors with a fire in the last 4 weeks / juniors who count (employed all 4 weeks, not opted out) */
    share: number | null;
    measured: number;
    covered: number;
    /** juniors who count and had no fire in the last 4 weeks, by name */
    without: Array<{ slackId: string; name: string }>;
    /** juniors left out because they opted out */
    optedOut: number;
  };
  /** the same juniors as coverage, counting a practice fire as well as a fire; and practice fires finished in the period */
  practiceCoverage: { share: number | null; covered: number; practices: number };
  /** Gini of fires per week employed among juniors employed at least 4 weeks of the period */
  gini: { value: number | null; juniors: number };
  firstFire: {
    /** median days from start to first fire, over people who started in the last 90 days; null when half have none */
    medianDays: number | null;
    people: Array<{ slackId: string; name: string; startedOn: Date; days: number | null }>;
  };
  mentorLoad: {
    /** fairness.mentorLoad over the period: median of mentoring turns per week, most in one week */
    median: number | null;
    max: number;
    mentors: Array<{ slackId: string; name: string; thisWeek: number; period: number }>;
  };
  fires: number;
  /** learners and volunteers who left the channel within 5 minutes of joining */
  leftWithin5m: number;
  reflections: number;
  byRole: Record<Role, number>;
  happenings: Record<HappeningKind, number>;
}

export interface WeekRow {
  week: WeekStart;
  byRole: Record<Role, number>;
}

export interface PersonWeekRow {
  week: WeekStart;
  slackId: string;
  name: string;
  level: Level;
  team: string | null;
  manager: string | null;
  byRole: Record<Role, number>;
  fires: number;
  mentoring: number;
  leftWithin5m: number;
  reflections: number;
  happenings: Record<HappeningKind, number>;
}

export interface ExposureReport {
  now: Date;
  weeks: number;
  /** now - weeks x 7 days */
  periodStart: Date;
  weekStarts: WeekStart[];
  /** who is in it: everyone, one team, or one manager's reports */
  scope: string;
  all: GroupFigures;
  /** per team, when anyone in scope has one; people without a team are under "(no team)" */
  teams: Array<{ team: string; figures: GroupFigures }>;
  /** exposure per week, by role, for the chart */
  weekly: WeekRow[];
}

export const NO_TEAM = '(no team)';

const zeroRoles = (): Record<Role, number> => Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<Role, number>;
const zeroHappenings = (): Record<HappeningKind, number> => Object.fromEntries(HAPPENING_KINDS.map((k) => [k, 0])) as Record<HappeningKind, number>;
const inSpan = (at: Date, from: number, to: number) => at.getTime() >= from && at.getTime() < to;

export function periodOf(now: Date, weeks: number): { periodStart: Date; weekStarts: WeekStart[] } {
  const last = weekStartOf(now, 'UTC');
  const weekStarts = Array.from({ length: weeks }, (_, i) => addWeeks(last, i - weeks + 1));
  return { periodStart: new Date(now.getTime() - weeks * WEEK_MS), weekStarts };
}

/** Who a manager's reports are: people whose roster `manager` is the manager's Slack ID or email. */
export function reportsOf(people: readonly ReportPerson[], manager: { slackId: string; email: string | null }): ReportPerson[] {
  const email = manager.email?.toLowerCase();
  return people.filter((p) => p.manager !== null && (p.manager === manager.slackId || (email !== undefined && p.manager === email)));
}

const leftEarly = (p: ReportParticipation) => isFire(p.role) && p.joinedAt !== null && p.leftAt !== null && p.leftAt.getTime() - p.joinedAt.getTime() < LEFT_EARLY_MS;

export function groupFigures(input: ReportInput, people: readonly ReportPerson[]): GroupFigures {
  const { now, weeks } = input;
  const end = now.getTime();
  const { periodStart } = periodOf(now, weeks);
  const start = periodStart.getTime();
  const ids = new Set(people.map((p) => p.slackId));
  const parts = input.participations.filter((p) => ids.has(p.slackId));
  const inPeriod = parts.filter((p) => inSpan(p.at, start, end));
  const firesOf = new Map<string, Date[]>();
  for (const p of parts) if (isFire(p.role)) firesOf.set(p.slackId, [...(firesOf.get(p.slackId) ?? []), p.at]);
  const employedFrom = (p: ReportPerson) => new Date(Math.max(p.startedOn?.getTime() ?? 0, p.firstSeen.getTime()));

  const juniors = people.filter((p) => p.level === 'junior');
  const window = { start: new Date(end - COVERAGE_DAYS * DAY_MS), end: now };
  const counted = juniors.filter((p) => !p.optedOut && employedFrom(p).getTime() <= window.start.getTime());
  const cov = coverage(juniors.map((p) => ({ employedFrom: employedFrom(p), optedOutFrom: p.optedOut ? window.start : null, fires: firesOf.get(p.slackId) ?? [] })), [window]);
  const practicesOf = new Map<string, Date[]>();
  for (const p of input.practices ?? []) if (ids.has(p.slackId)) practicesOf.set(p.slackId, [...(practicesOf.get(p.slackId) ?? []), p.at]);
  const withPractice = coverage(
    juniors.map((p) => ({ employedFrom: employedFrom(p), optedOutFrom: p.optedOut ? window.start : null, fires: [...(firesOf.get(p.slackId) ?? []), ...(practicesOf.get(p.slackId) ?? [])] })),
    [window],
  );
  const without = counted
    .filter((p) => !(firesOf.get(p.slackId) ?? []).some((at) => inSpan(at, window.start.getTime(), end)))
    .map((p) => ({ slackId: p.slackId, name: p.name }))
    .sort((a, b) => a.name.localeCompare(b.name));

  const giniPeople = juniors.filter((p) => !p.optedOut && end - Math.max(start, employedFrom(p).getTime()) >= GINI_MIN_WEEKS * WEEK_MS);
  const rates = giniPeople.map((p) => {
    const from = Math.max(start, employedFrom(p).getTime());
    return (firesOf.get(p.slackId) ?? []).filter((at) => inSpan(at, from, end)).length / ((end - from) / WEEK_MS);
  });

  const newHires = people.filter((p) => p.startedOn !== null && p.startedOn.getTime() > end - NEW_HIRE_DAYS * DAY_MS && p.startedOn.getTime() <= end);
  const firstFires = newHires.map((p) => {
    const first = (firesOf.get(p.slackId) ?? []).filter((at) => at.getTime() >= p.startedOn!.getTime()).reduce((min, at) => Math.min(min, at.getTime()), Infinity);
    return { slackId: p.slackId, name: p.name, startedOn: p.startedOn!, days: Number.isFinite(first) ? round((first - p.startedOn!.getTime()) / DAY_MS, 1) : null };
  });
  const firstMedian = median(firstFires.map((f) => f.days ?? Infinity));

  const mentoring = input.mentoring.filter((m) => ids.has(m.slackId) && inSpan(m.at, start, end));
  const thisWeekStart = new Date(`${weekStartOf(now, 'UTC')}T00:00:00Z`).getTime();
  const load = mentorLoad(mentoring.map((m) => ({ mentorId: m.slackId, week: Math.floor((m.at.getTime() - start) / WEEK_MS) })), weeks);
  const nameOf = new Map(people.map((p) => [p.slackId, p.name]));
  const mentors = [...new Set(mentoring.map((m) => m.slackId))].map((slackId) => ({
    slackId,
    name: nameOf.get(slackId)!,
    thisWeek: mentoring.filter((m) => m.slackId === slackId && m.at.getTime() >= thisWeekStart).length,
    period: mentoring.filter((m) => m.slackId === slackId).length,
  })).sort((a, b) => b.period - a.period || a.name.localeCompare(b.name));

  const byRole = zeroRoles();
  for (const p of inPeriod) byRole[p.role]++;
  const happenings = zeroHappenings();
  for (const h of input.happenings) if (ids.has(h.slackId) && inSpan(h.at, start, end)) happenings[h.kind]++;
  return {
    people: people.length,
    coverage: { share: cov.share === null ? null : round(cov.share), measured: cov.measured, covered: cov.covered, without, optedOut: juniors.filter((p) => p.optedOut).length },
    practiceCoverage: {
      share: withPractice.share === null ? null : round(withPractice.share),
      covered: withPractice.covered,
      practices: [...practicesOf.values()].flat().filter((at) => inSpan(at, start, end)).length,
    },
    gini: { value: giniPeople.length === 0 ? null : round(gini(rates)), juniors: giniPeople.length },
    firstFire: { medianDays: firstMedian === null || !Number.isFinite(firstMedian) ? null : round(firstMedian, 1), people: firstFires },
    mentorLoad: { median: load.median === null ? null : round(load.median, 2), max: load.max, mentors },
    fires: byRole.learner + byRole.volunteer,
    leftWithin5m: inPeriod.filter(leftEarly).length,
    reflections: input.learnings.filter((l) => ids.has(l.slackId) && inSpan(l.at, start, end)).length,
    byRole,
    happenings,
  };
}

/** The whole report for `people` (already narrowed to a team or a manager's reports by the caller). */
export function exposureReport(input: ReportInput, scope: string): ExposureReport {
  const { periodStart, weekStarts } = periodOf(input.now, input.weeks);
  const teamNames = [...new Set(input.people.map((p) => p.team).filter((t): t is string => t !== null))].sort((a, b) => a.localeCompare(b));
  const teams = teamNames.length === 0 ? [] : [...teamNames, ...(input.people.some((p) => p.team === null) ? [NO_TEAM] : [])].map((team) => ({
    team,
    figures: groupFigures(input, input.people.filter((p) => (p.team ?? NO_TEAM) === team)),
  }));
  const ids = new Set(input.people.map((p) => p.slackId));
  const weekly = weekStarts.map((week) => {
    const byRole = zeroRoles();
    for (const p of input.participations) if (ids.has(p.slackId) && weekStartOf(p.at, 'UTC') === week && p.at.getTime() < input.now.getTime()) byRole[p.role]++;
    return { week, byRole };
  });
  return { now: input.now, weeks: input.weeks, periodStart, weekStarts, scope, all: groupFigures(input, input.people), teams, weekly };
}

/** One row per person and week of the period, for the CSV. */
export function personWeekRows(input: ReportInput): PersonWeekRow[] {
  const { weekStarts } = periodOf(input.now, input.weeks);
  const key = (slackId: string, week: string) => `${slackId}|${week}`;
  const rows = new Map<string, PersonWeekRow>();
  const people = [...input.people].sort((a, b) => a.name.localeCompare(b.name) || a.slackId.localeCompare(b.slackId));
  for (const week of weekStarts) {
    for (const p of people) {
      rows.set(key(p.slackId, week), { week, slackId: p.slackId, name: p.name, level: p.level, team: p.team, manager: p.manager, byRole: zeroRoles(), fires: 0, mentoring: 0, leftWithin5m: 0, reflections: 0, happenings: zeroHappenings() });
    }
  }
  const rowOf = (slackId: string, at: Date) => (at.getTime() < input.now.getTime() ? rows.get(key(slackId, weekStartOf(at, 'UTC'))) : undefined);
  for (const p of input.participations) {
    const row = rowOf(p.slackId, p.at);
    if (!row) continue;
    row.byRole[p.role]++;
    if (isFire(p.role)) row.fires++;
    if (leftEarly(p)) row.leftWithin5m++;
  }
  for (const m of input.mentoring) {
    const row = rowOf(m.slackId, m.at);
    if (row) row.mentoring++;
  }
  for (const l of input.learnings) {
    const row = rowOf(l.slackId, l.at);
    if (row) row.reflections++;
  }
  for (const h of input.happenings) {
    const row = rowOf(h.slackId, h.at);
    if (row) row.happenings[h.kind]++;
  }
  return [...rows.values()];
}

function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
