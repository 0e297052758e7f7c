import type { Level } from './experience';
import { LEVELS } from './experience';

/**
 * The roster CSV (SPEC.md section 3): header `user,level,started_on,mentor`; `user` is a Slack ID
 * or an email. Each bad row is reported with its line number (the header is line 1) and the
 * good rows still import.
 */
export interface RosterRow {
  line: number;
  user: { slackId: string } | { email: string };
  level: Level;
  startedOn: Date | null;
  isMentor: boolean;
}

export interface RosterProblem {
  line: number;
  message: string;
}

export const ROSTER_HEADER = ['user', 'level', 'started_on', 'mentor'] as const;

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
  if (!header || header.join(',') !== ROSTER_HEADER.join(',')) {
    return { rows, problems: [{ line: 1, message: `the header must be exactly "${ROSTER_HEADER.join(',')}"` }] };
  }
  const seen = new Map<string, number>();
  lines.slice(1).forEach((raw, index) => {
    const line = index + 2;
    if (raw.trim() === '') return;
    const cells = splitCsvLine(raw);
    if (!cells) return problems.push({ line, message: 'a quoted value is not closed' });
    if (cells.length !== 4) return problems.push({ line, message: `expected 4 values (user,level,started_on,mentor), found ${cells.length}` });
    const [user, level, startedOn, mentor] = cells as [string, string, string, string];
    let who: RosterRow['user'];
    if (/^[UW][A-Z0-9]{2,}$/.test(user)) who = { slackId: user };
    else if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(user)) who = { email: user.toLowerCase() };
    else return problems.push({ line, message: `"${user}" is neither a Slack user ID (like U012AB3CD) nor an email address` });
    const lvl = level.toLowerCase() as Level;
    if (!LEVELS.includes(lvl)) return problems.push({ line, message: `level "${level}" is not one of ${LEVELS.join(', ')}` });
    const date = parseDate(startedOn);
    if (date === 'bad') return problems.push({ line, message: `started_on "${startedOn}" is not a date like 2024-03-01` });
    if (date && date.getTime() > today.getTime() + 366 * 86_400_000) return problems.push({ line, message: `started_on "${startedOn}" is more than a year in the future` });
    const m = mentor.toLowerCase();
    if (m !== 'yes' && m !== 'no') return problems.push({ line, message: `mentor "${mentor}" must be yes or no` });
    const key = 'slackId' in who ? who.slackId : who.email;
    const earlier = seen.get(key);
    if (earlier) return problems.push({ line, message: `"${user}" already appears on line ${earlier}` });
    seen.set(key, line);
    rows.push({ line, user: who, level: lvl, startedOn: date, isMentor: m === 'yes' });
  });
  return { rows, problems };
}
