import type { Level, SettableLevel } from '../domain/experience';
import { isWorkingTime, parseWorkingDays, parseWorkingHours, type WorkingTime } from '../domain/working-time';
import { DAY_MS, WEEK_MS } from '../domain/fairness';
import type { Random } from '../domain/random';

/**
 * A synthetic organisation: who works where, at which level, who mentors, who joins during the
 * run, who opts out and who volunteers. The shares below are a plausible engineering org, not
 * any real one.
 */
export interface SimEngineer {
  slackId: string;
  name: string;
  timeZone: string;
  level: Level;
  isMentor: boolean;
  /** first day in the company; also the day they appear in the workspace */
  startedOn: Date;
  hiredDuringRun: boolean;
  /** opted out of automatic invites from this moment on (before the run: throughout), or never */
  optedOutFrom: Date | null;
  /** `/volunteer on` spans, sorted, never overlapping */
  volunteering: ReadonlyArray<{ from: Date; until: Date }>;
  /** weeks of the run (0-based) they are on holiday, with a Slack status that says so */
  awayWeeks: ReadonlySet<number>;
}

export const TIME_ZONES: ReadonlyArray<readonly [string, number]> = [
  ['America/Los_Angeles', 15],
  ['America/New_York', 15],
  ['America/Sao_Paulo', 8],
  ['Europe/London', 13],
  ['Europe/Berlin', 15],
  ['Asia/Kolkata', 12],
  ['Asia/Singapore', 8],
  ['Australia/Sydney', 8],
  ['Pacific/Auckland', 6],
];

export const LEVEL_SHARES: Record<SettableLevel, number> = { junior: 0.45, mid: 0.25, senior: 0.2, staff: 0.1 };
/** new hires lean junior */
const HIRE_LEVELS: ReadonlyArray<readonly [SettableLevel, number]> = [['junior', 7], ['mid', 2], ['senior', 1]];
const MENTOR_SHARE: Record<SettableLevel, number> = { junior: 0, mid: 0.1, senior: 0.3, staff: 0.4 };
/** years in the company before the run, [min, max] */
const TENURE_YEARS: Record<SettableLevel, readonly [number, number]> = { junior: [0.1, 4], mid: [1, 8], senior: [2, 12], staff: [4, 15] };

/** of the whole headcount, the share that joins during the run (about 7% a quarter) */
const HIRED_DURING_RUN_PER_WEEK = 0.07 / 13;
const OPTED_OUT_BEFORE_RUN = 0.04;
const OPTS_OUT_DURING_RUN = 0.03;
/** juniors and mids who sometimes type `/volunteer`, and how often they do in a week */
const VOLUNTEER_SHARE = 0.12;
const VOLUNTEER_WEEKLY_CHANCE = 0.4;
const VOLUNTEER_SPAN_MS = 8 * 3_600_000;
/** the chance that a person is on holiday in a given week: about one week in sixteen */
const AWAY_WEEKLY_CHANCE = 0.06;

/** People volunteer during their own working day; the app's working-time rule is not assumed here. */
const OFFICE_HOURS: WorkingTime = { hours: parseWorkingHours('09:00-17:00'), days: parseWorkingDays('Mon-Fri') };

export interface OrganisationShape {
  /** headcount at the end of the run, new hires included */
  engineers: number;
  weeks: number;
  /** a Monday, 00:00 UTC */
  start: Date;
}

export function generateOrganisation(shape: OrganisationShape, random: Random): SimEngineer[] {
  const runMs = shape.weeks * WEEK_MS;
  const hires = shape.weeks < 2 ? 0 : Math.round(shape.engineers * HIRED_DURING_RUN_PER_WEEK * shape.weeks);
  const veterans = shape.engineers - hires;

  const veteranLevels = random.sample(levelQuotas(veterans), veterans);
  const engineers: SimEngineer[] = [];
  for (let i = 0; i < shape.engineers; i++) {
    const hired = i >= veterans;
    const level = hired ? random.weighted(HIRE_LEVELS) : veteranLevels[i]!;
    const startedOn = hired
      // People usually start on a Monday; week 0 is the day the app is switched on.
      ? new Date(shape.start.getTime() + random.integer(1, shape.weeks - 1) * WEEK_MS)
      : new Date(shape.start.getTime() - Math.round(randomBetween(random, ...TENURE_YEARS[level]) * 365) * DAY_MS);
    const timeZone = random.weighted(TIME_ZONES);
    const slackId = `U${String(i + 1).padStart(5, '0')}`;
    engineers.push({
      slackId,
      name: `${level}-${i + 1}`,
      timeZone,
      level,
      isMentor: random.chance(MENTOR_SHARE[level]),
      startedOn,
      hiredDuringRun: hired,
      optedOutFrom: optOut(random, startedOn, shape.start, runMs),
      volunteering: (level === 'junior' || level === 'mid') && random.chance(VOLUNTEER_SHARE)
        ? volunteerSpans(random, timeZone, startedOn, shape)
        : [],
      awayWeeks: new Set(Array.from({ length: shape.weeks }, (_, week) => week).filter(() => random.chance(AWAY_WEEKLY_CHANCE))),
    });
  }
  return engineers;
}

/** Exact level shares, rounded, with the remainder given to juniors. */
function levelQuotas(count: number): SettableLevel[] {
  const levels: SettableLevel[] = [];
  for (const level of ['mid', 'senior', 'staff'] as const) {
    for (let i = 0; i < Math.round(count * LEVEL_SHARES[level]); i++) levels.push(level);
  }
  while (levels.length < count) levels.push('junior');
  return levels.slice(0, count);
}

function randomBetween(random: Random, min: number, max: number): number {
  return min + random.next() * (max - min);
}

function optOut(random: Random, startedOn: Date, runStart: Date, runMs: number): Date | null {
  const roll = random.next();
  if (roll < OPTED_OUT_BEFORE_RUN) return startedOn;
  if (roll < OPTED_OUT_BEFORE_RUN + OPTS_OUT_DURING_RUN) {
    const from = Math.max(startedOn.getTime(), runStart.getTime());
    return new Date(from + random.next() * (runStart.getTime() + runMs - from));
  }
  return null;
}

function volunteerSpans(random: Random, timeZone: string, startedOn: Date, shape: OrganisationShape): Array<{ from: Date; until: Date }> {
  const spans: Array<{ from: Date; until: Date }> = [];
  for (let week = 0; week < shape.weeks; week++) {
    if (!random.chance(VOLUNTEER_WEEKLY_CHANCE)) continue;
    const weekStart = shape.start.getTime() + week * WEEK_MS;
    // A random minute of the week that falls in their office hours: a person types /volunteer at work.
    for (let attempt = 0; attempt < 50; attempt++) {
      const from = new Date(weekStart + random.integer(0, WEEK_MS / 60_000 - 1) * 60_000);
      if (from.getTime() >= startedOn.getTime() && isWorkingTime(from, timeZone, OFFICE_HOURS)) {
        spans.push({ from, until: new Date(from.getTime() + VOLUNTEER_SPAN_MS) });
        break;
      }
    }
  }
  return spans;
}
