import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import { safeZone, WEEKDAYS } from './working-time';
import { AppError } from '../errors';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * ISO weeks (Monday to Sunday) as each person lives them, in their own time zone.
 *
 * A week is named by the calendar date of its Monday, `YYYY-MM-DD` (the `digests.week_start`
 * column). The name is the same in every zone; the instants it covers are not: the week
 * `2026-11-16` starts at Monday 00:00 in Auckland about 21 hours before it starts in Los Angeles,
 * and a week with a daylight-saving change lasts 167 or 169 hours.
 */
export type WeekStart = string;

export interface DigestSchedule {
  /** 0 = Sunday ... 6 = Saturday */
  weekday: number;
  /** minutes since local midnight */
  minute: number;
}

export class WeekError extends AppError {
  constructor(message: string) {
    super('invalid_week', message);
  }
}

const DAY_MS = 86_400_000;
const LABEL = /^(\d{4})-(\d{2})-(\d{2})$/;

function labelToUtc(label: string): Date {
  return new Date(`${label}T00:00:00Z`);
}

function utcToLabel(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Calendar arithmetic on `YYYY-MM-DD` labels; no time zone involved. */
export function addDays(label: string, days: number): string {
  return utcToLabel(new Date(labelToUtc(label).getTime() + days * DAY_MS));
}

export function addWeeks(week: WeekStart, weeks: number): WeekStart {
  return addDays(week, weeks * 7);
}

/** `2026-11-16` (a Monday) is accepted; anything else gets a message saying what is wrong. */
export function parseWeekStart(text: string): WeekStart {
  const trimmed = text.trim();
  const match = LABEL.exec(trimmed);
  const date = match ? labelToUtc(trimmed) : null;
  if (!match || !date || Number.isNaN(date.getTime()) || utcToLabel(date) !== trimmed) {
    throw new WeekError(`"${text}" is not a date like 2026-11-16 (YYYY-MM-DD)`);
  }
  const weekday = date.getUTCDay();
  if (weekday !== 1) {
    const monday = addDays(trimmed, -((weekday + 6) % 7));
    throw new WeekError(`${trimmed} is a ${dayjs.utc(date).format('dddd')}; an ISO week starts on a Monday (that week starts on ${monday})`);
  }
  return trimmed;
}

/** The Monday of the local week that contains `instant` in `zone`. */
export function weekStartOf(instant: Date, zone: string): WeekStart {
  const local = dayjs(instant).tz(safeZone(zone));
  return addDays(local.format('YYYY-MM-DD'), -((local.day() + 6) % 7));
}

// Composing 10,000 digests asks for the same few (zone, week) pairs over and over; dayjs.tz is
// the slow part, so answers are remembered. The map is bounded: zones x weeks in use stay small.
const MEMO_LIMIT = 10_000;
const memo = new Map<string, Date>();
function localInstant(label: string, minute: number, zone: string): Date {
  const key = `${zone}|${label}|${minute}`;
  let at = memo.get(key);
  if (!at) {
    const hh = String(Math.floor(minute / 60)).padStart(2, '0');
    const mm = String(minute % 60).padStart(2, '0');
    at = dayjs.tz(`${label} ${hh}:${mm}`, 'YYYY-MM-DD HH:mm', safeZone(zone)).toDate();
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, at);
  }
  return at;
}

/** [Monday 00:00, next Monday 00:00) of `week` in `zone`, as instants. */
export function weekBounds(week: WeekStart, zone: string): { start: Date; end: Date } {
  return { start: localInstant(week, 0, zone), end: localInstant(addWeeks(week, 1), 0, zone) };
}

/**
 * When the digest of `week` is due in `zone`: the first time the schedule's weekday and time come
 * round once the week is over. With the default `Mon 09:00` that is 09:00 on the next Monday.
 */
export function digestDueAt(week: WeekStart, zone: string, schedule: DigestSchedule): Date {
  const daysAfterMonday = (schedule.weekday + 6) % 7;
  return localInstant(addDays(addWeeks(week, 1), daysAfterMonday), schedule.minute, zone);
}

/** The most recent week whose digest is due at `now` in `zone`, and when it fell due. */
export function lastDueWeek(now: Date, zone: string, schedule: DigestSchedule): { weekStart: WeekStart; dueAt: Date } {
  const previous = addWeeks(weekStartOf(now, zone), -1);
  const dueAt = digestDueAt(previous, zone, schedule);
  if (dueAt.getTime() <= now.getTime()) return { weekStart: previous, dueAt };
  // The schedule's day and time of this week have not come yet: the one before is the latest.
  const before = addWeeks(previous, -1);
  return { weekStart: before, dueAt: digestDueAt(before, zone, schedule) };
}

/** The earliest instant at which `week` has begun anywhere on Earth (UTC+14). */
export function weekBeganSomewhere(week: WeekStart): Date {
  return new Date(labelToUtc(week).getTime() - 14 * 3_600_000);
}

/** `Mon 09:00`, for messages. */
export function describeSchedule(schedule: DigestSchedule): string {
  const hh = String(Math.floor(schedule.minute / 60)).padStart(2, '0');
  const mm = String(schedule.minute % 60).padStart(2, '0');
  return `${WEEKDAYS[schedule.weekday]} ${hh}:${mm}`;
}
