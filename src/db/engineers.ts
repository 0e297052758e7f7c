import type { Tx as PrismaClient } from './tx';
import type { Level } from '../domain/experience';
import { emptyHistory, RECENT_DAYS, YEAR_DAYS, type History } from '../domain/experience';
import type { Candidate } from '../domain/selection';

export interface EngineerUpsert {
  slackId: string;
  name: string;
  email: string | null;
  timeZone: string;
  active: boolean;
}

/**
 * Upserts a page of people from users.list in one statement (10,000 people stay cheap).
 * Seniority, mentor, opt-out and digest settings are never touched by a sync.
 */
export async function upsertEngineers(db: PrismaClient, people: EngineerUpsert[], now: Date): Promise<number> {
  if (people.length === 0) return 0;
  return db.$executeRaw`
    INSERT INTO engineers (slack_id, name, email, time_zone, active, synced_at, updated_at)
    SELECT * , ${now}::timestamptz, ${now}::timestamptz FROM unnest(
      ${people.map((p) => p.slackId)}::text[], ${people.map((p) => p.name)}::text[],
      ${people.map((p) => p.email)}::text[], ${people.map((p) => p.timeZone)}::text[],
      ${people.map((p) => p.active)}::boolean[])
    ON CONFLICT (slack_id) DO UPDATE SET
      name = EXCLUDED.name, email = EXCLUDED.email, time_zone = EXCLUDED.time_zone,
      active = EXCLUDED.active, synced_at = EXCLUDED.synced_at, updated_at = EXCLUDED.updated_at`;
}

/** People no longer returned by users.list at all stop being invited. */
export async function deactivateMissing(db: PrismaClient, seenSlackIds: string[]): Promise<number> {
  return db.$executeRaw`UPDATE engineers SET active = false, updated_at = now() WHERE active AND NOT (slack_id = ANY(${seenSlackIds}::text[]))`;
}

export function findEngineer(db: PrismaClient, slackId: string) {
  return db.engineer.findUnique({ where: { slackId } });
}

export function findEngineerByEmail(db: PrismaClient, email: string) {
  return db.engineer.findFirst({ where: { email: { equals: email, mode: 'insensitive' } }, orderBy: { id: 'asc' } });
}

export async function setSeniority(db: PrismaClient, id: number, change: { level?: Level; startedOn?: Date | null; isMentor?: boolean }) {
  return db.engineer.update({ where: { id }, data: change });
}

interface CandidateRow {
  slack_id: string;
  name: string;
  time_zone: string;
  level: Level;
  started_on: Date | null;
  is_mentor: boolean;
  opted_out: boolean;
  active: boolean;
  volunteer_until: Date | null;
  last_joined_at: Date | null;
  auto_invites_7d: number;
  counts: number[];
}

/** Role order of the `counts` array: learner, volunteer, responder, mentor; each recent, year, older. */
const COUNT_ROLES = ['learner', 'volunteer', 'responder', 'mentor'] as const;

/**
 * Everyone active, with their incident history aggregated per role and recency bucket, as the
 * selection rules need it. One query; participations are read through (engineer_id) indexes.
 */
export async function loadCandidates(db: PrismaClient, now: Date): Promise<Candidate[]> {
  // The same buckets as domain/experience.ts recencyBucket: at most RECENT_DAYS old is recent.
  const recent = new Date(now.getTime() - RECENT_DAYS * 86_400_000);
  const year = new Date(now.getTime() - YEAR_DAYS * 86_400_000);
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  const rows = await db.$queryRaw<CandidateRow[]>`
    WITH history AS (
      SELECT p.engineer_id,
        ARRAY[
          count(*) FILTER (WHERE p.role = 'learner'   AND t >= ${recent}), count(*) FILTER (WHERE p.role = 'learner'   AND t < ${recent} AND t >= ${year}), count(*) FILTER (WHERE p.role = 'learner'   AND t < ${year}),
          count(*) FILTER (WHERE p.role = 'volunteer' AND t >= ${recent}), count(*) FILTER (WHERE p.role = 'volunteer' AND t < ${recent} AND t >= ${year}), count(*) FILTER (WHERE p.role = 'volunteer' AND t < ${year}),
          count(*) FILTER (WHERE p.role = 'responder' AND t >= ${recent}), count(*) FILTER (WHERE p.role = 'responder' AND t < ${recent} AND t >= ${year}), count(*) FILTER (WHERE p.role = 'responder' AND t < ${year}),
          count(*) FILTER (WHERE p.role = 'mentor'    AND t >= ${recent}), count(*) FILTER (WHERE p.role = 'mentor'    AND t < ${recent} AND t >= ${year}), count(*) FILTER (WHERE p.role = 'mentor'    AND t < ${year})
        ]::int[] AS counts,
        max(t) AS last_joined_at,
        count(*) FILTER (WHERE p.source = 'auto_invite' AND p.invited_at >= ${weekAgo})::int AS auto_invites_7d
      FROM (SELECT engineer_id, role, source, invited_at, COALESCE(joined_at, invited_at) AS t FROM participations) p
      WHERE p.t IS NOT NULL
      GROUP BY p.engineer_id
    )
    SELECT e.slack_id, e.name, e.time_zone, e.level::text AS level, e.started_on, e.is_mentor, e.opted_out, e.active,
           e.volunteer_until, h.last_joined_at, COALESCE(h.auto_invites_7d, 0) AS auto_invites_7d, h.counts
    FROM engineers e LEFT JOIN history h ON h.engineer_id = e.id
    WHERE e.active
    ORDER BY e.id`;
  return rows.map(toCandidate);
}

function toCandidate(row: CandidateRow): Candidate {
  const history: History = emptyHistory();
  if (row.counts) {
    COUNT_ROLES.forEach((role, i) => {
      history[role] = { recent: row.counts[i * 3]!, year: row.counts[i * 3 + 1]!, older: row.counts[i * 3 + 2]! };
    });
  }
  return {
    slackId: row.slack_id,
    name: row.name,
    timeZone: row.time_zone,
    level: row.level,
    startedOn: row.started_on,
    isMentor: row.is_mentor,
    optedOut: row.opted_out,
    active: row.active,
    history,
    lastJoinedAt: row.last_joined_at,
    autoInvitesLast7d: Number(row.auto_invites_7d),
    volunteerUntil: row.volunteer_until,
  };
}
