import { isWorkingTime, type WorkingTime } from './working-time';

/**
 * The fairness figures of SPEC.md section 10, as pure functions of recorded invites. They are
 * computed from what happened, independently of how selection decided it, so that a bug in a
 * rule shows up here instead of being repeated here.
 */

export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/** A half-open span of time, [start, end). */
export interface TimeWindow {
  start: Date;
  end: Date;
}

/**
 * Gini coefficient of non-negative values: 0 when everyone has the same, (n-1)/n when one has
 * everything. Population form, sum |xi - xj| / (2 n^2 mean), computed on the sorted values.
 */
export function gini(values: readonly number[]): number {
  const n = values.length;
  const total = values.reduce((sum, v) => sum + v, 0);
  if (n === 0 || total === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const weighted = sorted.reduce((sum, v, i) => sum + (i + 1) * v, 0);
  return (2 * weighted) / (n * total) - (n + 1) / n;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Windows of `lengthMs` starting every `stepMs` from `start`, each wholly before `end`. */
export function slidingWindows(start: Date, end: Date, lengthMs: number, stepMs: number): TimeWindow[] {
  const windows: TimeWindow[] = [];
  for (let from = start.getTime(); from + lengthMs <= end.getTime(); from += stepMs) {
    windows.push({ start: new Date(from), end: new Date(from + lengthMs) });
  }
  return windows;
}

/** Back-to-back windows of `lengthMs` from `start`; a last window that would run past `end` is left out. */
export function consecutiveWindows(start: Date, end: Date, lengthMs: number): TimeWindow[] {
  return slidingWindows(start, end, lengthMs, lengthMs);
}

export interface CoveragePerson {
  /** employed from this moment on */
  employedFrom: Date;
  /** opted out of automatic invites from this moment on, or never */
  optedOutFrom: Date | null;
  /** when they joined fires */
  fires: readonly Date[];
}

export interface Coverage {
  /** covered / measured, or null when nobody was measured */
  share: number | null;
  /** people who count for at least one window */
  measured: number;
  /** of those, people with a fire in every window they count for */
  covered: number;
}

/**
 * A person counts for a window when they were employed for the whole of it and not opted out
 * at any time in it; they are covered when they joined a fire in every window they count for.
 */
export function coverage(people: readonly CoveragePerson[], windows: readonly TimeWindow[]): Coverage {
  let measured = 0;
  let covered = 0;
  for (const person of people) {
    const counted = windows.filter(
      (w) => person.employedFrom.getTime() <= w.start.getTime() && (person.optedOutFrom === null || person.optedOutFrom.getTime() >= w.end.getTime()),
    );
    if (counted.length === 0) continue;
    measured++;
    const inEvery = counted.every((w) => person.fires.some((at) => at.getTime() >= w.start.getTime() && at.getTime() < w.end.getTime()));
    if (inEvery) covered++;
  }
  return { share: measured === 0 ? null : covered / measured, measured, covered };
}

/**
 * Auto-invites beyond `cap` in any rolling window of `windowMs`, for one person's invite times.
 * An invite at t is over the cap when `cap` or more earlier invites fall in [t - windowMs, t], the
 * "rolling 7 days before now" that the candidates query counts (invited_at >= now - 7 days).
 */
export function invitesOverCap(inviteTimes: readonly Date[], cap: number, windowMs: number = WEEK_MS): number {
  const times = inviteTimes.map((t) => t.getTime()).sort((a, b) => a - b);
  let over = 0;
  let firstInWindow = 0;
  for (let i = 0; i < times.length; i++) {
    while (times[firstInWindow]! < times[i]! - windowMs) firstInWindow++;
    if (i - firstInWindow >= cap) over++;
  }
  return over;
}

export interface TimedInvite {
  at: Date;
  timeZone: string;
}

/** Invites that reached a person outside working hours or days in their own time zone. */
export function invitesOutsideWorkingTime(invites: readonly TimedInvite[], working: WorkingTime): number {
  return invites.filter((invite) => !isWorkingTime(invite.at, invite.timeZone, working)).length;
}

export interface MentorLoad {
  /** median, over everyone named mentor at least once, of the incidents they mentored per week */
  median: number | null;
  /** the most incidents one person mentored in a single week */
  max: number;
}

/** `assignments` are (mentor, week index) pairs, one per incident that had a mentor; `weeks` is the run length. */
export function mentorLoad(assignments: ReadonlyArray<{ mentorId: string; week: number }>, weeks: number): MentorLoad {
  const perMentor = new Map<string, Map<number, number>>();
  for (const { mentorId, week } of assignments) {
    const byWeek = perMentor.get(mentorId) ?? new Map<number, number>();
    byWeek.set(week, (byWeek.get(week) ?? 0) + 1);
    perMentor.set(mentorId, byWeek);
  }
  const weeklyMeans: number[] = [];
  let max = 0;
  for (const byWeek of perMentor.values()) {
    let total = 0;
    for (const count of byWeek.values()) {
      total += count;
      max = Math.max(max, count);
    }
    weeklyMeans.push(total / weeks);
  }
  return { median: median(weeklyMeans), max };
}
