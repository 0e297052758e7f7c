import type { Deps } from '../deps';
import { displayName, whyNotEligible, type SlackMember } from '../domain/people';
import { parseRoster, type RosterProblem } from '../domain/roster';
import { deactivateMissing, findEngineer, findEngineerByEmail, setSeniority, upsertEngineers, type EngineerUpsert } from '../db/engineers';
import type { Tx } from '../db/tx';
import { RetryableError } from '../errors';

function toUpsert(member: SlackMember, teamId: string | null): EngineerUpsert {
  return {
    slackId: member.id,
    name: displayName(member),
    email: member.profile?.email?.toLowerCase() ?? null,
    timeZone: member.tz || 'UTC',
    active: whyNotEligible(member, teamId) === null,
    // Kept so that selection can skip whoever is away (AWAY_STATUS_PATTERN) without asking Slack per person.
    statusText: member.profile?.status_text || null,
    statusEmoji: member.profile?.status_emoji || null,
    statusExpiresAt: member.profile?.status_expiration ? new Date(member.profile.status_expiration * 1000) : null,
  };
}

/** users.list -> engineers: humans are active; bots, guests, external and deleted users are not. */
export async function syncRoster(deps: Pick<Deps, 'db' | 'slack' | 'log' | 'clock' | 'teamId'>): Promise<{ active: number; inactive: number }> {
  const listed = await deps.slack.listUsers();
  if (!listed.ok) {
    if (listed.retryable) throw new RetryableError(listed.error, 'users.list failed');
    throw new Error(`users.list failed: ${listed.error}`);
  }
  // Bots and Slackbot are never stored: they are not people and would only clutter reports.
  const people = listed.value.filter((m) => !['bot', 'slackbot'].includes(whyNotEligible(m, deps.teamId) ?? '')).map((m) => toUpsert(m, deps.teamId));
  const now = deps.clock();
  for (let i = 0; i < people.length; i += 1000) await upsertEngineers(deps.db, people.slice(i, i + 1000), now);
  await deactivateMissing(deps.db, people.map((p) => p.slackId), deps.clock());
  const active = people.filter((p) => p.active).length;
  deps.log.info({ active, inactive: people.length - active }, 'roster synced from users.list');
  return { active, inactive: people.length - active };
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
  const reason = whyNotEligible(info.value, deps.teamId);
  if (reason === 'bot' || reason === 'slackbot') return null;
  await upsertEngineers(deps.db, [toUpsert(info.value, deps.teamId)], deps.clock());
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
    await setSeniority(db, engineer.id, { level: row.level, startedOn: row.startedOn, isMentor: row.isMentor, manager: row.manager, team: row.team });
    imported++;
  }
  problems.sort((a, b) => a.line - b.line);
  return { imported, problems };
}
