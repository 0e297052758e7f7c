import { parseDuration, formatDuration } from './duration';
import { LEVELS, type Level } from './experience';
import { isStage, STAGES, type Stage } from './progression';

/**
 * `/volunteer` text -> what the person asked for (SPEC.md section 6). Pure and total: any text,
 * however long or strange, gives one of these, and nothing is done before it is understood.
 */
export type VolunteerCommand =
  | { kind: 'on'; durationMs: number }
  | { kind: 'now' }
  | { kind: 'off' }
  | { kind: 'stats' }
  | { kind: 'optout' }
  | { kind: 'optin' }
  | { kind: 'digest'; on: boolean }
  | { kind: 'help' }
  | { kind: 'admin_level'; userId: string; level: Level }
  | { kind: 'admin_mentor'; userId: string; mentor: boolean }
  | { kind: 'admin_report'; weeks: number; team?: string }
  | { kind: 'admin_stage'; userId: string; stage: Stage }
  /** practice fires (SPEC.md "Practice fires"): start or resume one; keep an incident out of them */
  | { kind: 'practice' }
  | { kind: 'admin_practice_exclude'; channelId: string }
  /** a known subcommand with a bad argument; `admin` tells whether only admins may see the details */
  | { kind: 'invalid'; admin: boolean; message: string }
  /** a first word the command does not know, shortened for quoting back */
  | { kind: 'unknown'; word: string };

export type AdminCommand = Extract<VolunteerCommand, { kind: 'admin_level' | 'admin_mentor' | 'admin_report' | 'admin_stage' | 'admin_practice_exclude' }>;

export const DEFAULT_VOLUNTEER_MS = 8 * 3_600_000;
export const MIN_VOLUNTEER_MS = 15 * 60_000;
export const MAX_VOLUNTEER_MS = 7 * 86_400_000;
export const REPORT_DEFAULT_WEEKS = 4;
export const REPORT_MAX_WEEKS = 52;
/** An unknown word is quoted back at most this long (in characters, not UTF-16 units). */
export const QUOTE_MAX_CHARS = 30;

// People write "2h", "2 h", "2 hours", "90min", "1 day"; all mean one number and one unit.
const DURATION_WORDS: Record<string, 'm' | 'h' | 'd'> = {
  m: 'm', min: 'm', mins: 'm', minute: 'm', minutes: 'm',
  h: 'h', hr: 'h', hrs: 'h', hour: 'h', hours: 'h',
  d: 'd', day: 'd', days: 'd',
};
const DURATION_PATTERN = /^(\d{1,6})([a-z]+)$/;

const MENTION = /^<@([UW][A-Z0-9]{2,})>$/;
// With "escape users" on, Slack sends <@U123|name>; the name part may hold spaces, so it goes first.
const MENTION_WITH_NAME = /<@([UW][A-Z0-9]{2,})\|[^<>]*>/g;

export function isAdminCommand(command: VolunteerCommand): command is AdminCommand {
  return command.kind === 'admin_level' || command.kind === 'admin_mentor' || command.kind === 'admin_report' || command.kind === 'admin_stage' || command.kind === 'admin_practice_exclude';
}

/** Whether a command needs admin rights (also for its error messages, so as not to teach admin syntax to everyone). */
export function needsAdmin(command: VolunteerCommand): boolean {
  return isAdminCommand(command) || (command.kind === 'invalid' && command.admin);
}

export function parseVolunteerCommand(text: string): VolunteerCommand {
  const words = text.replace(MENTION_WITH_NAME, '<@$1>').trim().split(/\s+/u).filter(Boolean);
  if (words.length === 0) return { kind: 'on', durationMs: DEFAULT_VOLUNTEER_MS };
  const [first, ...rest] = words as [string, ...string[]];
  const keyword = first.toLowerCase();

  // A bare duration ("/volunteer 2h") is the shortest way to say "on 2h".
  if (/^\d/.test(keyword)) return parseOn(words);

  switch (keyword) {
    case 'on':
      return parseOn(rest);
    case 'now':
    case 'off':
    case 'stats':
    case 'optout':
    case 'optin':
    case 'practice':
      return rest.length === 0 ? { kind: keyword } : invalid(`\`/volunteer ${keyword}\` takes nothing after it.`);
    case 'opt':
      // "opt out", "opt in": the spelling people reach for first.
      if (rest.length === 1 && ['out', 'in'].includes(rest[0]!.toLowerCase())) return { kind: rest[0]!.toLowerCase() === 'out' ? 'optout' : 'optin' };
      return invalid('Write `/volunteer optout` or `/volunteer optin`.');
    case 'opt-out':
      return rest.length === 0 ? { kind: 'optout' } : invalid('`/volunteer optout` takes nothing after it.');
    case 'opt-in':
      return rest.length === 0 ? { kind: 'optin' } : invalid('`/volunteer optin` takes nothing after it.');
    case 'digest': {
      const choice = rest.length === 1 ? rest[0]!.toLowerCase() : '';
      if (choice === 'on' || choice === 'off') return { kind: 'digest', on: choice === 'on' };
      return invalid('Write `/volunteer digest off` to stop the weekly DM, or `/volunteer digest on` to get it again.');
    }
    case 'help':
    case '?':
      return { kind: 'help' };
    case 'admin':
      return parseAdmin(rest);
    default:
      return unknown(first);
  }
}

function parseOn(args: string[]): VolunteerCommand {
  const words = args[0]?.toLowerCase() === 'for' ? args.slice(1) : args;
  if (words.length === 0) return { kind: 'on', durationMs: DEFAULT_VOLUNTEER_MS };
  if (words.length > 2) return invalid(durationHelp(`"${quote(words.join(' '))}" is not a duration.`));
  const joined = words.join('').toLowerCase();
  const match = DURATION_PATTERN.exec(joined);
  const unit = match ? DURATION_WORDS[match[2]!] : undefined;
  if (!match || !unit) return invalid(durationHelp(`"${quote(words.join(' '))}" is not a duration.`));
  const durationMs = parseDuration(`${match[1]}${unit}`, ['m', 'h', 'd']);
  if (durationMs < MIN_VOLUNTEER_MS) return invalid(durationHelp(`"${quote(words.join(' '))}" is too short: volunteer for at least ${formatDuration(MIN_VOLUNTEER_MS)}.`));
  if (durationMs > MAX_VOLUNTEER_MS) return invalid(durationHelp(`"${quote(words.join(' '))}" is too long: volunteer for at most ${formatDuration(MAX_VOLUNTEER_MS)} at a time.`));
  return { kind: 'on', durationMs };
}

function durationHelp(problem: string): string {
  return `${problem} Write a whole number and m, h or d, for example \`/volunteer on 90m\`, \`/volunteer on 2h\` or \`/volunteer on 1d\` (the default is ${formatDuration(DEFAULT_VOLUNTEER_MS)}, the most ${formatDuration(MAX_VOLUNTEER_MS)}). Nothing changed.`;
}

const ADMIN_USAGE =
  '`/volunteer admin level @person junior|mid|senior|staff`, `/volunteer admin mentor @person yes|no`, `/volunteer admin stage @person observer|scribe|investigator|lead_shadow`, `/volunteer admin report [WEEKS] [team]` or `/volunteer admin practice exclude #channel`';
/** `<#C123>` or `<#C123|name>`, as Slack escapes a channel picked from its list. */
const CHANNEL_MENTION = /^<#([CG][A-Z0-9]{2,})(?:\|[^<>]*)?>$/;

function parseAdmin(args: string[]): VolunteerCommand {
  const sub = args[0]?.toLowerCase();
  if (sub === 'report') {
    if (args.length === 1) return { kind: 'admin_report', weeks: REPORT_DEFAULT_WEEKS };
    // `report [WEEKS] [team]`: a first word that starts with a digit is the weeks, the rest the team.
    const numeric = /^\d/.test(args[1]!);
    const weeks = numeric ? /^(\d{1,4})w?$/i.exec(args[1]!) : null;
    const n = weeks ? Number(weeks[1]) : REPORT_DEFAULT_WEEKS;
    if (numeric && (!weeks || n < 1 || n > REPORT_MAX_WEEKS)) {
      return invalid(`"${quote(args[1]!)}" is not a number of weeks: write \`/volunteer admin report 8\` or \`/volunteer admin report 8 TEAM\` (1 to ${REPORT_MAX_WEEKS}, default ${REPORT_DEFAULT_WEEKS}).`, true);
    }
    const team = args.slice(numeric ? 2 : 1).join(' ');
    return { kind: 'admin_report', weeks: n, ...(team ? { team } : {}) };
  }
  if (sub === 'stage') return parseAdminStage(args.slice(1));
  if (sub === 'practice') {
    const example = '`/volunteer admin practice exclude #channel`';
    if (args.length !== 3 || args[1]!.toLowerCase() !== 'exclude') return invalid(`Write ${example}.`, true);
    const channel = CHANNEL_MENTION.exec(args[2]!);
    if (!channel) return invalid(`"${quote(args[2]!)}" is not a channel: type # and pick the channel from Slack's list, as in ${example}.`, true);
    return { kind: 'admin_practice_exclude', channelId: channel[1]! };
  }
  if (sub === 'level' || sub === 'mentor') {
    const example = sub === 'level' ? '`/volunteer admin level @person senior`' : '`/volunteer admin mentor @person yes`';
    if (args.length !== 3) return invalid(`Write ${example}.`, true);
    const target = MENTION.exec(args[1]!);
    if (!target) {
      return invalid(`"${quote(args[1]!)}" is not a mention: type @ and pick the person from Slack's list, as in ${example}.`, true);
    }
    const value = args[2]!.toLowerCase();
    if (sub === 'level') {
      if (!(LEVELS as readonly string[]).includes(value)) return invalid(`"${quote(args[2]!)}" is not a level: use one of ${LEVELS.join(', ')}.`, true);
      return { kind: 'admin_level', userId: target[1]!, level: value as Level };
    }
    if (value !== 'yes' && value !== 'no') return invalid(`"${quote(args[2]!)}" is neither yes nor no: ${example}.`, true);
    return { kind: 'admin_mentor', userId: target[1]!, mentor: value === 'yes' };
  }
  const what = sub === undefined ? 'The admin subcommands are' : `"${quote(args[0]!)}" is not an admin subcommand. They are`;
  return invalid(`${what} ${ADMIN_USAGE}.`, true);
}

/**
 * `admin stage @person STAGE`: STAGE is one of STAGES; `lead shadow` and `lead-shadow` also name
 * the last one, since that is how people write it.
 */
function parseAdminStage(args: string[]): VolunteerCommand {
  const example = '`/volunteer admin stage @person scribe`';
  if (args.length < 2 || args.length > 3) return invalid(`Write ${example}.`, true);
  const target = MENTION.exec(args[0]!);
  if (!target) return invalid(`"${quote(args[0]!)}" is not a mention: type @ and pick the person from Slack's list, as in ${example}.`, true);
  const written = args.slice(1).join(' ');
  const value = written.toLowerCase().replace(/[\s-]+/g, '_');
  if (!isStage(value)) return invalid(`"${quote(written)}" is not a stage: use one of ${STAGES.join(', ')}.`, true);
  return { kind: 'admin_stage', userId: target[1]!, stage: value };
}

function invalid(message: string, admin = false): VolunteerCommand {
  return { kind: 'invalid', admin, message };
}

function unknown(word: string): VolunteerCommand {
  return { kind: 'unknown', word: shorten(word) };
}

/** Shortens by characters (a surrogate pair or emoji is never cut in half). */
export function shorten(text: string, max = QUOTE_MAX_CHARS): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function quote(text: string): string {
  return shorten(text);
}
