import { z } from 'zod';
import { parseDuration } from './domain/duration';
import { parseCreators, type CreatorsSpec } from './domain/incident-creators';
import { DEFAULT_AWAY_STATUS_PATTERN } from './domain/availability';
import { DEFAULT_LEARNERS_BY_SEVERITY, DEFAULT_SEVERITY_PATTERN, parseLearnersBySeverity } from './domain/severity';
import { whyUnsafe } from './domain/safe-regex';
import { parseWorkingDays, parseWorkingHours, WEEKDAYS, type WorkingTime } from './domain/working-time';
import { AppError } from './errors';

/**
 * Configuration, parsed and validated once at start from the environment (SPEC.md section 2).
 * A missing or malformed value becomes one ConfigError line naming the variable.
 */
export interface Config {
  databaseUrl: string | undefined;
  databasePoolMax: number;
  slack: {
    botToken: string;
    signingSecret: string | undefined;
    appToken: string | undefined;
    apiUrl: string;
  };
  port: number;
  /** the Prometheus port (GET /metrics and /healthz), kept off the port Slack posts to */
  metricsPort: number;
  metricsHost: string;
  /** deployment shape (SPEC.md section 2): `web` stores and acknowledges, `worker` processes, `all` both */
  role: Role;
  logLevel: string;
  incidentChannelPattern: RegExp;
  resolvedChannelPattern: RegExp;
  invitesPerIncident: number;
  maxVolunteersPerIncident: number;
  maxAutoInvitesPerWeek: number;
  /** people coached (learners and volunteers) per incident, beyond which self-joiners are responders */
  maxCoachedPerIncident: number;
  /** how long after an incident is recorded its learners are chosen (INVITE_DELAY; 0 = at once) */
  inviteDelayMs: number;
  /** reads an incident's severity from its channel name, topic, purpose and first messages */
  severityPattern: RegExp;
  /** learners (volunteers included) per known severity; a severity not listed keeps the numbers above */
  learnersBySeverity: ReadonlyMap<number, number>;
  /** learners per human responding in the channel, at most (0: no such limit) */
  maxLearnersPerResponder: number;
  /** a Slack status (text or emoji) matching this means away: not invited */
  awayStatusPattern: RegExp;
  /** a channel renamed into the incident pattern starts an incident only when younger than this */
  renameMaxAgeMs: number;
  /** who may start an incident (INCIDENT_CREATORS); null: anyone. Handles are resolved at start. */
  incidentCreators: CreatorsSpec | null;
  workingTime: WorkingTime;
  /** INVITE_MODE: `invite` puts the chosen people in the channel; `offer` asks each by DM first (SPEC.md section 4) */
  inviteMode: InviteMode;
  /** OFFER_TIMEOUT: an offer not answered within this goes to the next candidate */
  offerTimeoutMs: number;
  /** delays in ms after a learner joins at which prompts 1..n go out */
  promptScheduleMs: number[];
  /** how long after selection a mentor-flagged or senior person joining the channel becomes the mentor (MENTOR_WAIT) */
  mentorWaitMs: number;
  /** how long an outside mentor has to answer the ask DM before the next one is asked (MENTOR_ASK_TIMEOUT) */
  mentorAskTimeoutMs: number;
  digestSchedule: { weekday: number; minute: number };
  adminUserIds: ReadonlySet<string>;
  /** user group handles (without @) or ids whose members are admins too (SPEC.md sections 6 and 11) */
  adminUsergroups: readonly string[];
  /** user group handles (without @) or ids whose members alone are candidates; empty: every human member (SPEC.md section 3) */
  eligibleUsergroups: readonly string[];
  /** TEAM_USERGROUPS: user groups that are teams in the reports, for people the roster gives no team */
  teamUsergroups: readonly string[];
  /** the app's public https base URL, when it has one: the Home tab then shows the report chart (SPEC.md section 11) */
  publicUrl: string | undefined;
  /** `npm run backfill` paces its Slack reads this many times faster than Slack's tiers: tests and benchmarks against the emulator only */
  backfillTimeScale: number;
  /** a junior with no real fire for this long is offered a practice fire (SPEC.md "Practice fires") */
  practiceAfterMs: number;
  /** an incident is replayed as a practice only when resolved at least this long ago */
  practiceMinAgeMs: number;
}

export class ConfigError extends AppError {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super('invalid_config', `${variable}: ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

export const ROLES = ['all', 'web', 'worker'] as const;
export type Role = (typeof ROLES)[number];

export const INVITE_MODES = ['invite', 'offer'] as const;
export type InviteMode = (typeof INVITE_MODES)[number];

/** What the caller is about to do decides which variables are required. */
export type ConfigPurpose = 'start' | 'cli' | 'test';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function read(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const parsed = z.coerce.number().int().min(min).max(max).safeParse(raw);
  if (!/^-?\d+$/.test(raw) || !parsed.success) {
    throw new ConfigError(name, `"${raw}" is not a whole number from ${min} to ${max}`);
  }
  return parsed.data;
}

function pattern(env: Env, name: string, fallback: string): RegExp {
  const raw = read(env, name) ?? fallback;
  let compiled: RegExp;
  try {
    compiled = new RegExp(raw, 'i');
  } catch (error) {
    throw new ConfigError(name, `"${raw}" is not a valid regular expression (${(error as Error).message})`);
  }
  // Channel names are chosen by anyone in the workspace: a pattern that can backtrack catastrophically would let one name stall the app.
  const unsafe = whyUnsafe(raw);
  if (unsafe) throw new ConfigError(name, `"${raw}" can backtrack catastrophically: ${unsafe}`);
  return compiled;
}

/** A duration that must be more than zero (a timeout of 0 would ask everyone at once). */
function positive(ms: number): number {
  if (ms <= 0) throw new Error('must be more than 0 (for example 30s or 5m)');
  return ms;
}

function guarded<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(name, (error as Error).message);
  }
}

/** `0s,10m,30m` -> [0, 600000, 1800000]; delays must not go backwards. */
export function parsePromptSchedule(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) {
    throw new Error(`"${text}" must be a comma-separated list of delays like 0s,10m,30m`);
  }
  const delays = parts.map((p) => parseDuration(p, ['s', 'm', 'h']));
  for (let i = 1; i < delays.length; i++) {
    if (delays[i]! < delays[i - 1]!) throw new Error(`"${text}": delays must not go backwards (${parts[i]} after ${parts[i - 1]})`);
  }
  if (delays.length > 20) throw new Error(`"${text}" has more than 20 prompts`);
  return delays;
}

/** `Mon 09:00` -> weekday 1, minute 540. */
export function parseDigestSchedule(text: string): { weekday: number; minute: number } {
  const match = /^([A-Za-z]{3})[a-z]*\s+([01]\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  const weekday = match ? WEEKDAYS.findIndex((d) => d.toLowerCase() === match[1]!.toLowerCase()) : -1;
  if (!match || weekday < 0) throw new Error(`"${text}" is not a weekday and a time like "Mon 09:00"`);
  return { weekday, minute: Number(match[2]) * 60 + Number(match[3]) };
}

/** `@sre-leads, S0614TZR7` gives the handle sre-leads and the id S0614TZR7: handles (the @ is optional) or ids. */
function usergroupsOf(raw: string | undefined): string[] {
  const items = (raw ?? '').split(',').map((s) => s.trim().replace(/^@/, '')).filter(Boolean);
  const bad = items.find((g) => !/^[a-z0-9][a-z0-9._-]{0,79}$/i.test(g));
  if (bad !== undefined) throw new Error(`"${bad}" is neither a user group handle (like @sre-leads) nor an id (like S0614TZR7)`);
  return items;
}

/** `https://smokejumper.example.com/` -> `https://smokejumper.example.com`; Slack only shows images from http(s) URLs. */
function publicUrlOf(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(raw)) throw new Error(`"${raw}" is not an http(s) base URL like https://smokejumper.example.com`);
  return raw.replace(/\/+$/, '');
}

/** http://127.x.x.x, http://localhost or http://[::1], with any port and path. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function loadConfig(env: Env = process.env, purpose: ConfigPurpose = 'start'): Readonly<Config> {
  const databaseUrl = read(env, 'DATABASE_URL');
  if (purpose === 'start' && !databaseUrl) throw new ConfigError('DATABASE_URL', 'is required (a postgresql:// connection string)');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must start with postgresql://');
  }

  const appToken = read(env, 'SLACK_APP_TOKEN');
  const botToken = read(env, 'SLACK_BOT_TOKEN');
  const signingSecret = read(env, 'SLACK_SIGNING_SECRET');
  if (purpose !== 'cli') {
    if (!botToken) throw new ConfigError('SLACK_BOT_TOKEN', 'is required (the xoxb- bot token from the app settings, OAuth & Permissions)');
    if (!botToken.startsWith('xoxb-')) throw new ConfigError('SLACK_BOT_TOKEN', 'must be a bot token starting with xoxb-');
    if (appToken && !appToken.startsWith('xapp-')) throw new ConfigError('SLACK_APP_TOKEN', 'must be an app-level token starting with xapp-');
    if (!appToken && !signingSecret) {
      throw new ConfigError('SLACK_SIGNING_SECRET', 'is required in HTTP mode (set SLACK_APP_TOKEN to use Socket Mode instead)');
    }
  }

  const apiUrl = read(env, 'SLACK_API_URL') ?? 'https://slack.com/api/';
  if (!/^https?:\/\/\S+$/.test(apiUrl)) throw new ConfigError('SLACK_API_URL', `"${apiUrl}" is not an http(s) URL`);
  // The bot token travels in every call: plain http only where it never leaves the machine.
  if (apiUrl.startsWith('http:') && !isLoopbackUrl(apiUrl)) throw new ConfigError('SLACK_API_URL', `"${apiUrl}" must be https (plain http only on loopback: 127.0.0.0/8, localhost, [::1])`);

  const role = (read(env, 'ROLE') ?? 'all').toLowerCase();
  if (!(ROLES as readonly string[]).includes(role)) throw new ConfigError('ROLE', `"${role}" is not one of ${ROLES.join(', ')}`);

  const logLevel = (read(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `"${logLevel}" is not one of ${LOG_LEVELS.join(', ')}`);

  const adminUserIds = (read(env, 'ADMIN_USER_IDS') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const badAdmin = adminUserIds.find((id) => !/^[UW][A-Z0-9]{2,}$/.test(id));
  if (badAdmin) throw new ConfigError('ADMIN_USER_IDS', `"${badAdmin}" is not a Slack user ID (like U012AB3CD)`);

  const inviteMode = (read(env, 'INVITE_MODE') ?? 'invite').toLowerCase();
  if (!(INVITE_MODES as readonly string[]).includes(inviteMode)) throw new ConfigError('INVITE_MODE', `"${inviteMode}" is not one of ${INVITE_MODES.join(', ')}`);

  const config: Config = {
    databaseUrl,
    databasePoolMax: integer(env, 'DATABASE_POOL_MAX', 5, 2, 100),
    slack: { botToken: botToken ?? '', signingSecret, appToken, apiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` },
    port: integer(env, 'PORT', 3000, 0, 65535),
    metricsPort: integer(env, 'METRICS_PORT', 9464, 0, 65535),
    metricsHost: read(env, 'METRICS_HOST') ?? '0.0.0.0',
    role: role as Role,
    logLevel,
    incidentChannelPattern: pattern(env, 'INCIDENT_CHANNEL_PATTERN', '^(inc|incident)[-_]'),
    resolvedChannelPattern: pattern(env, 'RESOLVED_CHANNEL_PATTERN', '^(resolved|closed)[-_]'),
    invitesPerIncident: integer(env, 'INVITES_PER_INCIDENT', 2, 0, 50),
    maxVolunteersPerIncident: integer(env, 'MAX_VOLUNTEERS_PER_INCIDENT', 3, 0, 50),
    maxAutoInvitesPerWeek: integer(env, 'MAX_AUTO_INVITES_PER_WEEK', 2, 0, 100),
    maxCoachedPerIncident: integer(env, 'MAX_COACHED_PER_INCIDENT', 5, 0, 100),
    inviteDelayMs: guarded('INVITE_DELAY', () => parseDuration(read(env, 'INVITE_DELAY') ?? '2m', ['s', 'm', 'h'])),
    severityPattern: pattern(env, 'SEVERITY_PATTERN', DEFAULT_SEVERITY_PATTERN),
    learnersBySeverity: guarded('LEARNERS_BY_SEVERITY', () => parseLearnersBySeverity(read(env, 'LEARNERS_BY_SEVERITY') ?? DEFAULT_LEARNERS_BY_SEVERITY)),
    maxLearnersPerResponder: integer(env, 'MAX_LEARNERS_PER_RESPONDER', 1, 0, 50),
    awayStatusPattern: pattern(env, 'AWAY_STATUS_PATTERN', DEFAULT_AWAY_STATUS_PATTERN),
    renameMaxAgeMs: guarded('RENAME_MAX_AGE', () => parseDuration(read(env, 'RENAME_MAX_AGE') ?? '24h', ['m', 'h', 'd'])),
    incidentCreators: guarded('INCIDENT_CREATORS', () => parseCreators(read(env, 'INCIDENT_CREATORS') ?? '')),
    workingTime: {
      hours: guarded('WORKING_HOURS', () => parseWorkingHours(read(env, 'WORKING_HOURS') ?? '09:00-18:00')),
      days: guarded('WORKING_DAYS', () => parseWorkingDays(read(env, 'WORKING_DAYS') ?? 'Mon-Fri')),
    },
    inviteMode: inviteMode as InviteMode,
    offerTimeoutMs: guarded('OFFER_TIMEOUT', () => positive(parseDuration(read(env, 'OFFER_TIMEOUT') ?? '3m', ['s', 'm', 'h']))),
    promptScheduleMs: guarded('PROMPT_SCHEDULE', () => parsePromptSchedule(read(env, 'PROMPT_SCHEDULE') ?? '0s,10m,30m')),
    mentorWaitMs: guarded('MENTOR_WAIT', () => parseDuration(read(env, 'MENTOR_WAIT') ?? '10m', ['s', 'm', 'h'])),
    mentorAskTimeoutMs: guarded('MENTOR_ASK_TIMEOUT', () => positive(parseDuration(read(env, 'MENTOR_ASK_TIMEOUT') ?? '5m', ['s', 'm', 'h']))),
    digestSchedule: guarded('DIGEST_SCHEDULE', () => parseDigestSchedule(read(env, 'DIGEST_SCHEDULE') ?? 'Mon 09:00')),
    adminUserIds: new Set(adminUserIds),
    adminUsergroups: guarded('ADMIN_USERGROUPS', () => usergroupsOf(read(env, 'ADMIN_USERGROUPS'))),
    eligibleUsergroups: guarded('ELIGIBLE_USERGROUPS', () => usergroupsOf(read(env, 'ELIGIBLE_USERGROUPS'))),
    teamUsergroups: guarded('TEAM_USERGROUPS', () => usergroupsOf(read(env, 'TEAM_USERGROUPS'))),
    publicUrl: guarded('PUBLIC_URL', () => publicUrlOf(read(env, 'PUBLIC_URL'))),
    backfillTimeScale: integer(env, 'BACKFILL_TIME_SCALE', 1, 1, 1000),
    practiceAfterMs: guarded('PRACTICE_AFTER', () => parseDuration(read(env, 'PRACTICE_AFTER') ?? '28d', ['m', 'h', 'd'])),
    practiceMinAgeMs: guarded('PRACTICE_MIN_AGE', () => parseDuration(read(env, 'PRACTICE_MIN_AGE') ?? '7d', ['m', 'h', 'd'])),
  };
  return Object.freeze(config);
}
