import type { SettableLevel } from './experience';
import { LEVELS } from './experience';

/**
 * The roster CSV (SPEC.md section 3): header `user,level,started_on,mentor`, optionally followed by
 * `manager` and `team` (section 11); `user` and `manager` are a Slack ID or an email. Each bad row
 * is reported with its line number (the header is line 1) and the good rows still import.
 */
export interface RosterRow {
  line: number;
  user: { slackId: string } | { email: string };
  level: SettableLevel;
  startedOn: Date | null;
  isMentor: boolean;
  /** only when the file has the column: a Slack ID or a lowercased email, null for none */
  manager?: string | null;
  /** only when the file has the column; null for none */
  team?: string | null;
}

export interface RosterProblem {
  line: number;
  message: string;
}

export const ROSTER_HEADER = ['user', 'level', 'started_on', 'mentor'] as const;
/** Optional columns after the four required ones, in either order. */
export const ROSTER_OPTIONAL = ['manager', 'team'] as const;
const TEAM_MAX_CHARS = 80;
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function headerProblem(header: string[] | undefined): string | null {
  const optional = header?.slice(ROSTER_HEADER.length) ?? [];
  const ok = header !== undefined
    && header.slice(0, ROSTER_HEADER.length).join(',') === ROSTER_HEADER.join(',')
    && optional.every((h, i) => (ROSTER_OPTIONAL as readonly string[]).includes(h) && optional.indexOf(h) === i);
  return ok ? null : `the header must be "${ROSTER_HEADER.join(',')}", optionally followed by ${ROSTER_OPTIONAL.join(' and ')}`;
}

/** Splits one CSV line, honouring double quotes ("a,b" and "" for a quote). */
export function splitCsvLine(line: string): string[] | null {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell.trim() === '') { quoted = true; cell = ''; }
    else if (ch === ',') { cells.push(cell.trim()); cell = ''; }
    else cell += ch;
  }
  if (quoted) return null;
  cells.push(cell.trim());
  return cells;
}

function parseDate(text: string): Date | null | 'bad' {
  if (text === '') return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return 'bad';
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  // 2026-02-30 would roll over into March; refuse it instead.
  if (date.getUTCFullYear() !== Number(match[1]) || date.getUTCMonth() !== Number(match[2]) - 1 || date.getUTCDate() !== Number(match[3])) return 'bad';
  return date;
}

export function parseRoster(text: string, today: Date = new Date()): { rows: RosterRow[]; problems: RosterProblem[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const rows: RosterRow[] = [];
  const problems: RosterProblem[] = [];
  const header = splitCsvLine(lines[0] ?? '')?.map((h) => h.toLowerCase());
  const wrongHeader = headerProblem(header);
  if (!header || wrongHeader) return { rows, problems: [{ line: 1, message: wrongHeader! }] };
  const seen = new Map<string, number>();
  lines.slice(1).forEach((raw, index) => {
    const line = index + 2;
    if (raw.trim() === '') return;
    const cells = splitCsvLine(raw);
    if (!cells) return problems.push({ line, message: 'a quoted value is not closed' });
    if (cells.length !== header.length) return problems.push({ line, message: `expected ${header.length} values (${header.join(',')}), found ${cells.length}` });
    const [user, level, startedOn, mentor] = cells as [string, string, string, string];
    const extra = Object.fromEntries(header.slice(ROSTER_HEADER.length).map((h, i) => [h, cells[ROSTER_HEADER.length + i]!])) as Partial<Record<'manager' | 'team', string>>;
    let who: RosterRow['user'];
    if (SLACK_USER_ID.test(user)) who = { slackId: user };
    else if (EMAIL.test(user)) who = { email: user.toLowerCase() };
    else return problems.push({ line, message: `"${user}" is neither a Slack user ID (like U012AB3CD) nor an email address` });
    const lvl = level.toLowerCase() as SettableLevel;
    if (!LEVELS.includes(lvl)) return problems.push({ line, message: `level "${level}" is not one of ${LEVELS.join(', ')}` });
    const date = parseDate(startedOn);
    if (date === 'bad') return problems.push({ line, message: `started_on "${startedOn}" is not a date like 2024-03-01` });
    if (date && date.getTime() > today.getTime() + 366 * 86_400_000) return problems.push({ line, message: `started_on "${startedOn}" is more than a year in the future` });
    const m = mentor.toLowerCase();
    if (m !== 'yes' && m !== 'no') return problems.push({ line, message: `mentor "${mentor}" must be yes or no` });
    const manager = extra.manager;
    if (manager && !SLACK_USER_ID.test(manager) && !EMAIL.test(manager)) {
      return problems.push({ line, message: `manager "${manager}" is neither a Slack user ID (like U012AB3CD) nor an email address` });
    }
    if (extra.team !== undefined && Array.from(extra.team).length > TEAM_MAX_CHARS) return problems.push({ line, message: `team "${extra.team.slice(0, 20)}…" is longer than ${TEAM_MAX_CHARS} characters` });
    const key = 'slackId' in who ? who.slackId : who.email;
    const earlier = seen.get(key);
    if (earlier) return problems.push({ line, message: `"${user}" already appears on line ${earlier}` });
    seen.set(key, line);
    rows.push({
      line, user: who, level: lvl, startedOn: date, isMentor: m === 'yes',
      ...(manager !== undefined ? { manager: manager === '' ? null : SLACK_USER_ID.test(manager) ? manager : manager.toLowerCase() } : {}),
      ...(extra.team !== undefined ? { team: extra.team === '' ? null : extra.team } : {}),
    });
  });
  return { rows, problems };
}
