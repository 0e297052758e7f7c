import type { Deps } from '../deps';
import { displayName, whyNotEligible, type HomeTeam, type SlackMember } from '../domain/people';
import { parseRoster, type RosterProblem } from '../domain/roster';
import { deactivateMissing, findEngineer, findEngineerByEmail, setSeniority, upsertEngineers, type EngineerUpsert } from '../db/engineers';
import type { Tx } from '../db/tx';
import { RetryableError } from '../errors';

/** A Slack member as the engineers table keeps them (also the backfill's, for people it meets first). */
export function toUpsert(member: SlackMember, home: HomeTeam): EngineerUpsert {
  return {
    slackId: member.id,
    name: displayName(member),
    email: member.profile?.email?.toLowerCase() ?? null,
    timeZone: member.tz || 'UTC',
    active: whyNotEligible(member, home) === null,
    // Kept so that selection can skip whoever is away (AWAY_STATUS_PATTERN) without asking Slack per person.
    statusText: member.profile?.status_text || null,
    statusEmoji: member.profile?.status_emoji || null,
    statusExpiresAt: member.profile?.status_expiration ? new Date(member.profile.status_expiration * 1000) : null,
  };
}

/**
 * users.list -> engineers: humans are active; bots, guests, external and deleted users are not.
 * Each page is written as it arrives (a 429 asks that page again, not the list from the start), and
 * people missing from the list are deactivated only after a complete pass: a pass cut short by
 * Slack deactivates nobody, and the job's retry starts a new one.
 */
export async function syncRoster(deps: Pick<Deps, 'db' | 'slack' | 'log' | 'clock' | 'teamId' | 'enterpriseId'>): Promise<{ active: number; inactive: number; pages: number }> {
  const seen: string[] = [];
  let active = 0;
  const listed = await deps.slack.eachUserPage(async (members) => {
    // Bots and Slackbot are never stored: they are not people and would only clutter reports.
    const people = members.filter((m) => !['bot', 'slackbot'].includes(whyNotEligible(m, deps) ?? '')).map((m) => toUpsert(m, deps));
    await upsertEngineers(deps.db, people, deps.clock());
    for (const p of people) seen.push(p.slackId);
    active += people.filter((p) => p.active).length;
  });
  if (!listed.ok) {
    deps.log.warn({ written: seen.length }, 'users.list stopped before its last page; nobody is deactivated until a complete pass');
    if (listed.retryable) throw new RetryableError(listed.error, 'users.list failed');
    throw new Error(`users.list failed: ${listed.error}`);
  }
  await deactivateMissing(deps.db, seen, deps.clock());
  const inactive = seen.length - active;
  deps.log.info({ active, inactive, pages: listed.value.pages }, 'roster synced from users.list');
  return { active, inactive, pages: listed.value.pages };
}

/** A person the app knows (a row in engineer), as ensureEngineer returns them. */
export type KnownEngineer = NonNullable<Awaited<ReturnType<typeof ensureEngineer>>>;

/** The engineer for a Slack user seen in an event, fetched with users.info if the hourly sync has not seen them yet. */
export async function ensureEngineer(deps: Deps, slackId: string) {
  const known = await findEngineer(deps.db, slackId);
  if (known) return known;
  const info = await deps.slack.userInfo(slackId);
  if (!info.ok) {
    if (info.retryable) throw new RetryableError(info.error, 'users.info failed');
    return null;
  }
  const reason = whyNotEligible(info.value, deps);
  if (reason === 'bot' || reason === 'slackbot') return null;
  await upsertEngineers(deps.db, [toUpsert(info.value, deps)], deps.clock());
  return findEngineer(deps.db, slackId);
}

export interface RosterImportReport {
  imported: number;
  problems: RosterProblem[];
}

/** Applies a roster CSV: every good row is imported, every bad one reported with its line number. */
export async function importRoster(db: Tx, csv: string, today: Date): Promise<RosterImportReport> {
  const { rows, problems } = parseRoster(csv, today);
  let imported = 0;
  for (const row of rows) {
    const engineer = 'slackId' in row.user ? await findEngineer(db, row.user.slackId) : await findEngineerByEmail(db, row.user.email);
    if (!engineer) {
      const who = 'slackId' in row.user ? row.user.slackId : row.user.email;
      problems.push({ line: row.line, message: `${who} is not in the workspace roster (people are synced from Slack at start and hourly)` });
      continue;
    }
    await setSeniority(db, engineer.id, { level: row.level, levelSource: 'roster', experienced: false, startedOn: row.startedOn, isMentor: row.isMentor, manager: row.manager, team: row.team });
    imported++;
  }
  problems.sort((a, b) => a.line - b.line);
  return { imported, problems };
}
