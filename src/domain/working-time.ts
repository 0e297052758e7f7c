import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import { AppError } from '../errors';

dayjs.extend(utc);
dayjs.extend(timezone);

export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Working hours as minutes since local midnight, [start, end). `00:00-24:00` is the whole day. */
export interface WorkingHours {
  startMinute: number;
  endMinute: number;
}

export interface WorkingTime {
  hours: WorkingHours;
  /** 0 = Sunday ... 6 = Saturday, as Date.getDay() */
  days: ReadonlySet<number>;
}

export class WorkingTimeError extends AppError {
  constructor(message: string) {
    super('invalid_working_time', message);
  }
}

function parseClock(text: string, allow24: boolean): number {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text.trim());
  if (!match) throw new WorkingTimeError(`"${text}" is not a time of day (HH:MM, 24-hour)`);
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  if (minutes > 24 * 60 || (minutes === 24 * 60 && !allow24)) {
    throw new WorkingTimeError(`"${text}" is past the end of the day`);
  }
  return minutes;
}

/** `09:00-18:00` -> minutes. The end may be `24:00`; a range that wraps past midnight is refused. */
export function parseWorkingHours(text: string): WorkingHours {
  const parts = text.split('-');
  if (parts.length !== 2) throw new WorkingTimeError(`"${text}" is not a range like 09:00-18:00`);
  const startMinute = parseClock(parts[0]!, false);
  const endMinute = parseClock(parts[1]!, true);
  if (endMinute <= startMinute) {
    throw new WorkingTimeError(`"${text}" ends before it starts (ranges across midnight are not supported)`);
  }
  return { startMinute, endMinute };
}

function parseWeekday(text: string): number {
  const index = WEEKDAYS.findIndex((d) => d.toLowerCase() === text.trim().toLowerCase().slice(0, 3));
  if (index < 0 || text.trim().length < 3) {
    throw new WorkingTimeError(`"${text}" is not a weekday (Mon, Tue, Wed, Thu, Fri, Sat, Sun)`);
  }
  return index;
}

/** `Mon-Fri`, `Mon,Wed,Fri`, `Sun-Thu`, `Mon-Sun`. Ranges run forward through the week and may wrap. */
export function parseWorkingDays(text: string): Set<number> {
  const days = new Set<number>();
  for (const part of text.split(',')) {
    if (!part.trim()) throw new WorkingTimeError(`"${text}" has an empty entry`);
    const [from, to, extra] = part.split('-');
    if (extra !== undefined) throw new WorkingTimeError(`"${part}" is not a day or a range of days`);
    const start = parseWeekday(from!);
    const end = to === undefined ? start : parseWeekday(to);
    for (let d = start; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === end) break;
    }
  }
  return days;
}

/** The local weekday and minute of the day for a person in `timeZone` at `now`. */
export function localClock(now: Date, timeZone: string): { weekday: number; minute: number } {
  const local = dayjs(now).tz(timeZone);
  return { weekday: local.day(), minute: local.hour() * 60 + local.minute() };
}

/** Whether `now` falls in working hours and days in `timeZone`. An unknown zone counts as UTC. */
export function isWorkingTime(now: Date, timeZone: string, working: WorkingTime): boolean {
  const { weekday, minute } = localClock(now, safeZone(timeZone));
  return working.days.has(weekday) && minute >= working.hours.startMinute && minute < working.hours.endMinute;
}

const zoneCache = new Map<string, string>();
/** Slack's `tz` is IANA, but a stale or empty one must not break selection: fall back to UTC. */
export function safeZone(timeZone: string | null | undefined): string {
  if (!timeZone) return 'UTC';
  let known = zoneCache.get(timeZone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
      known = timeZone;
    } catch {
      known = 'UTC';
    }
    zoneCache.set(timeZone, known);
  }
  return known;
}

/**
 * The start of working hours on the next working day after `now`'s local date in `timeZone`
 * (the debrief nudge, SPEC.md "Growth"): Friday evening gives Monday 09:00 with the defaults.
 * With no working day at all in a fortnight (an impossible configuration), the next day's start.
 */
export function nextWorkingMorning(now: Date, timeZone: string, working: WorkingTime): Date {
  const zone = safeZone(timeZone);
  const today = dayjs(now).tz(zone).format('YYYY-MM-DD');
  const at = (daysAhead: number) => {
    const date = dayjs.tz(today, zone).add(daysAhead, 'day').format('YYYY-MM-DD');
    const hh = String(Math.floor(working.hours.startMinute / 60)).padStart(2, '0');
    const mm = String(working.hours.startMinute % 60).padStart(2, '0');
    return dayjs.tz(`${date} ${hh}:${mm}`, zone);
  };
  for (let d = 1; d <= 14; d++) {
    const candidate = at(d);
    if (working.days.has(candidate.day())) return candidate.toDate();
  }
  return at(1).toDate();
}
