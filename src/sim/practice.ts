import { weekBounds, weekStartOf } from '../domain/iso-week';
import { dueForPracticeOffer } from '../domain/practice';
import { seededRandom } from '../domain/random';
import { isWorkingTime, localClock, safeZone, type WorkingTime } from '../domain/working-time';
import type { SimEngineer } from './organisation';
import type { SimulationRun } from './runner';

/**
 * Practice fires in the simulation (SPEC.md "Practice fires" and section 10): when each junior
 * would have been offered one, and which offers were taken. Practices change no selection (they
 * are no exposure), so they are worked out after the run, from its fires, with the app's rules:
 * an offer once a week at most (the ISO week in the person's zone), at the first half hour of
 * their working time at which they have been without a real fire for PRACTICE_AFTER, when a past
 * incident they did not join is at least PRACTICE_MIN_AGE old and not yet practised.
 */
export interface PracticeRules {
  afterMs: number;
  minAgeMs: number;
  workingTime: WorkingTime;
}

/** Share of offers taken, drawn from its own seeded stream; nobody knows the real one yet, so it is a parameter of the model. */
export const PRACTICE_ACCEPT_SHARE = 0.5;
const STEP_MS = 30 * 60_000;

export interface SimulatedPractices {
  offers: number;
  /** when each junior finished a practice (taken offers are finished at once) */
  practices: Map<string, Date[]>;
}

export function simulatePractices(run: SimulationRun, rules: PracticeRules): SimulatedPractices {
  const random = seededRandom(run.options.seed ^ 0x2c1b3c6d);
  const practices = new Map<string, Date[]>();
  let offers = 0;
  const incidentTimes = run.incidents.map((i) => ({ id: i.id, at: i.at.getTime() }));
  for (const e of run.engineers.filter((x) => x.level === 'junior')) {
    const fires = run.ledger.of(e.slackId).map((p) => p.joinedAt.getTime()).sort((a, b) => a - b);
    const joined = new Set(run.ledger.of(e.slackId).map((p) => p.incidentId));
    const done: Date[] = [];
    let t = Math.max(run.start.getTime(), e.startedOn.getTime());
    while (t < run.end.getTime()) {
      const offer = nextOffer(e, fires, t, run.start.getTime(), run.end.getTime(), rules);
      if (offer === null) break;
      const at = new Date(offer);
      // Something to replay: an incident old enough that they did not join and have not practised.
      const replayable = incidentTimes.filter((i) => i.at <= offer - rules.minAgeMs && !joined.has(i.id)).length > done.length;
      if (replayable) {
        offers++;
        if (random.chance(PRACTICE_ACCEPT_SHARE)) done.push(at);
      }
      // At most one offer per ISO week of their zone: the next chance is next Monday.
      t = weekBounds(weekStartOf(at, e.timeZone), e.timeZone).end.getTime();
    }
    if (done.length) practices.set(e.slackId, done);
  }
  return { offers, practices };
}

/** The first moment from `from` at which the person is due an offer and within working time; null if none before `end`. */
function nextOffer(e: SimEngineer, fires: readonly number[], from: number, runStart: number, end: number, rules: PracticeRules): number | null {
  // The app first knows a person when it is switched on, or when they start.
  const knownSince = new Date(Math.max(runStart, e.startedOn.getTime()));
  for (let t = from; t < end; t += STEP_MS) {
    const lastFire = lastBefore(fires, t);
    const due = dueForPracticeOffer(
      { level: e.level, active: true, optedOut: e.optedOutFrom !== null && e.optedOutFrom.getTime() <= t, timeZone: e.timeZone, knownSince, lastFireAt: lastFire === null ? null : new Date(lastFire), practiceUnfinished: false },
      new Date(t),
      rules.afterMs,
    );
    if (!due) {
      if (e.optedOutFrom !== null && e.optedOutFrom.getTime() <= t) return null;
      // Jump to when the person could next be due, rather than walking half hours to it.
      const next = Math.max(knownSince.getTime(), lastFire ?? 0) + rules.afterMs;
      if (next > t) t = Math.ceil((next - from) / STEP_MS) * STEP_MS + from - STEP_MS;
      continue;
    }
    if (isWorkingTime(new Date(t), e.timeZone, rules.workingTime)) return t;
    t += untilWorkingStart(new Date(t), e.timeZone, rules.workingTime) - STEP_MS;
  }
  return null;
}

/**
 * About how long until working hours may begin, from the local clock: to today's start, else to
 * tomorrow's (the loop checks again, so a day off or a DST shift only costs another step).
 * Whole steps, at least one.
 */
function untilWorkingStart(at: Date, timeZone: string, working: WorkingTime): number {
  const { minute } = localClock(at, safeZone(timeZone));
  const start = working.hours.startMinute;
  const minutes = minute < start ? start - minute : 1440 - minute + start;
  return Math.max(1, Math.floor((minutes * 60_000) / STEP_MS)) * STEP_MS;
}

function lastBefore(sorted: readonly number[], t: number): number | null {
  let last: number | null = null;
  for (const f of sorted) {
    if (f > t) break;
    last = f;
  }
  return last;
}

