import { AppError } from '../errors';

/** Durations as people type them: `90s`, `10m`, `2h`, `1d`. One number and one unit, nothing else. */
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export type DurationUnit = keyof typeof UNIT_MS;

export class DurationError extends AppError {
  constructor(message: string) {
    super('invalid_duration', message);
  }
}

/**
 * Parses `<whole number><unit>` into milliseconds. `units` limits which units are accepted
 * (PROMPT_SCHEDULE takes s, m and h; /volunteer takes m, h and d).
 */
export function parseDuration(text: string, units: readonly DurationUnit[] = ['s', 'm', 'h', 'd']): number {
  const match = /^(\d{1,6})([a-z])$/i.exec(text.trim());
  const unit = match?.[2]?.toLowerCase() as DurationUnit | undefined;
  if (!match || !unit || !units.includes(unit)) {
    throw new DurationError(
      `"${text}" is not a duration: write a whole number and one of ${units.join(', ')} (for example ${examples(units)})`,
    );
  }
  return Number(match[1]) * UNIT_MS[unit];
}

function examples(units: readonly DurationUnit[]): string {
  const sample: Record<DurationUnit, string> = { s: '30s', m: '90m', h: '2h', d: '1d' };
  return units.map((u) => sample[u]).join(', ');
}

/** 5400000 -> "1h 30m"; for messages. */
export function formatDuration(ms: number): string {
  const totalMinutes = Math.round(ms / 60_000);
  if (totalMinutes < 1) return `${Math.round(ms / 1000)}s`;
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  return [days ? `${days}d` : '', hours ? `${hours}h` : '', minutes ? `${minutes}m` : ''].filter(Boolean).join(' ');
}
