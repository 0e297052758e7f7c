/**
 * How severe an incident is, read from what the channel says about itself (its name, topic,
 * purpose and first messages), and how many learners that severity allows (issue "Reads the
 * incident before it adds people"; SPEC.md section 4). Pure: text in, a number out.
 *
 * Severity is a number where 0 is the worst, as incident tools count it (sev0, P1, ...).
 */

/**
 * The default SEVERITY_PATTERN (case-insensitive). Word edges are spelled out rather than `\b`,
 * because `_` is a word character and channel names use it as a separator. Named groups: `level`
 * (a digit or a word) and `priority`:
 * - `sev0`..`sev5`, `SEV-1`, `sev 2`, `Sev_3`;
 * - `P1`..`P5` as a word of its own (so `p1` in `api-p1x` or `up1` does not count);
 * - `Severity: critical|major|minor|low` (also `severity = 2`).
 * Written without nested quantifiers, so it cannot backtrack catastrophically.
 */
export const DEFAULT_SEVERITY_PATTERN =
  '(?:(?:^|[^a-z0-9])sev(?:erity)?[\\s_:=-]{0,3}(?<level>[0-5]|critical|major|minor|low)(?![a-z0-9]))|(?:(?:^|[^a-z0-9])p(?<priority>[1-5])(?![a-z0-9]))';

/** Words an incident tool uses for severity, and the number each means. */
export const SEVERITY_WORDS: Readonly<Record<string, number>> = Object.freeze({ critical: 1, major: 2, minor: 3, low: 4 });

export const MAX_SEVERITY = 5;

/**
 * The severity of the first text that states one, in the order given (name, then topic, then
 * purpose, then the first messages), or null when none does. A pattern's `level` group may hold a
 * digit or one of SEVERITY_WORDS; a `priority` group holds the digit of P1..P5, read as the same
 * number (P1 is sev1). A custom pattern without either group uses its first group.
 */
export function readSeverity(texts: ReadonlyArray<string | null | undefined>, pattern: RegExp = new RegExp(DEFAULT_SEVERITY_PATTERN, 'i')): number | null {
  const matcher = new RegExp(pattern.source, pattern.flags.replace('g', ''));
  for (const text of texts) {
    if (!text) continue;
    const match = matcher.exec(text);
    if (!match) continue;
    const raw = (match.groups?.level ?? match.groups?.priority ?? match[1] ?? '').toLowerCase();
    const value = /^\d$/.test(raw) ? Number(raw) : SEVERITY_WORDS[raw];
    if (value !== undefined && value >= 0 && value <= MAX_SEVERITY) return value;
  }
  return null;
}

/** The default LEARNERS_BY_SEVERITY: nobody extra in a sev0, one in a sev1 or sev2, two below. */
export const DEFAULT_LEARNERS_BY_SEVERITY = '0:0,1:1,2:1,3:2,4:2,5:2';

/**
 * `0:0,1:1,2:1` -> Map {0 => 0, 1 => 1, 2 => 1}. Each severity once, 0 to 5; learners 0 to 50.
 * A severity left out has no cap of its own (today's numbers apply).
 */
export function parseLearnersBySeverity(text: string): ReadonlyMap<number, number> {
  const caps = new Map<number, number>();
  for (const part of text.split(',').map((p) => p.trim())) {
    const match = /^([0-5])\s*:\s*(\d{1,2})$/.exec(part);
    if (!match) throw new Error(`"${part}" is not SEVERITY:LEARNERS like 1:1 (severity 0 to ${MAX_SEVERITY})`);
    const severity = Number(match[1]);
    const learners = Number(match[2]);
    if (learners > 50) throw new Error(`"${part}": at most 50 learners`);
    if (caps.has(severity)) throw new Error(`severity ${severity} is given twice`);
    caps.set(severity, learners);
  }
  return caps;
}

/**
 * How many learners (volunteers included) an incident may get: the severity's cap when the
 * severity is known and capped, else today's numbers (automatic invites plus volunteers).
 */
export function learnerLimit(severity: number | null, caps: ReadonlyMap<number, number>, unknownSeverityLimit: number): number {
  if (severity === null) return unknownSeverityLimit;
  return caps.get(severity) ?? unknownSeverityLimit;
}

/** Severities 0 and 1: learners watch silently, are not named in the channel, and are never asked to post there. */
export function isSilentSeverity(severity: number | null): boolean {
  return severity !== null && severity <= 1;
}
