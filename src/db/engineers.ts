import { Prisma } from '../generated/prisma/client';
import type { Tx as PrismaClient } from './tx';
import type { Level } from '../domain/experience';
import { emptyHistory, RECENT_DAYS, YEAR_DAYS, type History } from '../domain/experience';
import type { Candidate } from '../domain/selection';
import { eligibleCondition } from './usergroups';

export interface EngineerUpsert {
  slackId: string;
  name: string;
  email: string | null;
  timeZone: string;
  active: boolean;
  statusText: string | null;
  statusEmoji: string | null;
  statusExpiresAt: Date | null;
}

/**
 * Upserts a page of people from users.list in one statement (10,000 people stay cheap).
 * Seniority, mentor, opt-out and digest settings are never touched by a sync.
 */
export async function upsertEngineers(db: PrismaClient, people: EngineerUpsert[], now: Date): Promise<number> {
  if (people.length === 0) return 0;
  return db.$executeRaw`
    INSERT INTO engineers (slack_id, name, email, time_zone, active, status_text, status_emoji, status_expires_at, synced_at, updated_at, created_at)
    SELECT * , ${now}::timestamptz, ${now}::timestamptz, ${now}::timestamptz FROM unnest(
      ${people.map((p) => p.slackId)}::text[], ${people.map((p) => p.name)}::text[],
      ${people.map((p) => p.email)}::text[], ${people.map((p) => p.timeZone)}::text[],
      ${people.map((p) => p.active)}::boolean[], ${people.map((p) => p.statusText)}::text[],
      ${people.map((p) => p.statusEmoji)}::text[], ${people.map((p) => p.statusExpiresAt)}::timestamptz[])
    ON CONFLICT (slack_id) DO UPDATE SET
      name = EXCLUDED.name, email = EXCLUDED.email, time_zone = EXCLUDED.time_zone,
      active = EXCLUDED.active, status_text = EXCLUDED.status_text, status_emoji = EXCLUDED.status_emoji,
      status_expires_at = EXCLUDED.status_expires_at, synced_at = EXCLUDED.synced_at, updated_at = EXCLUDED.updated_at`;
}

/** People no longer returned by users.list at all stop being invited. */
export async function deactivateMissing(db: PrismaClient, seenSlackIds: string[], now: Date): Promise<number> {
  return db.$executeRaw`UPDATE engineers SET active = false, updated_at = ${now}::timestamptz WHERE active AND NOT (slack_id = ANY(${seenSlackIds}::text[]))`;
}

export function findEngineer(db: PrismaClient, slackId: string) {
  return db.engineer.findUnique({ where: { slackId } });
}

export function findEngineerByEmail(db: PrismaClient, email: string) {
  return db.engineer.findFirst({ where: { email: { equals: email, mode: 'insensitive' } }, orderBy: { id: 'asc' } });
}

export async function setSeniority(
  db: PrismaClient,
  id: number,
  change: { level?: Level; levelSource?: LevelSource; experienced?: boolean; startedOn?: Date | null; isMentor?: boolean; manager?: string | null; team?: string | null },
) {
  return db.engineer.update({ where: { id }, data: change });
}

export type LevelSource = 'roster' | 'admin' | 'person';

/**
 * Marks that the level question ("here to learn, or experienced?") goes out now, if this person
 * still needs asking: level `unknown`, set by nobody, not experienced, never asked. True for the
 * one DM that may carry it, so that only the first DM someone gets asks.
 */
export async function claimLevelQuestion(db: PrismaClient, who: { engineerId: number } | { slackId: string }, now: Date): Promise<boolean> {
  const person = 'engineerId' in who ? Prisma.sql`id = ${who.engineerId}` : Prisma.sql`slack_id = ${who.slackId}`;
  const claimed = await db.$executeRaw`
    UPDATE engineers SET level_asked_at = ${now}::timestamptz
    WHERE ${person} AND active AND level = 'unknown' AND level_source IS NULL AND NOT experienced AND level_asked_at IS NULL`;
  return claimed === 1;
}

/**
 * One candidate as loadCandidates sends it: [slack_id, name, time_zone, level, started_on,
 * is_mentor, opted_out, active, volunteer_until, last_joined_at, auto_invites_7d, counts, experienced,
 * status_text, status_emoji, status_expires_at, learning_elsewhere], with times as epoch
 * milliseconds and `counts` as below (null for someone who never took part).
 */
type CandidateTuple = [
  string, string, string, Level, number | null, boolean, boolean, boolean, number | null, number | null, number, number[] | null, boolean,
  string | null, string | null, number | null, boolean,
];

/** Role order of the `counts` array: learner, volunteer, responder, mentor; each recent, year, older. */
const COUNT_ROLES = ['learner', 'volunteer', 'responder', 'mentor'] as const;

/**
 * Everyone active, with their incident history aggregated per role and recency bucket, as the
 * selection rules need it. One query. It reads every participation once (a sequential scan and a
 * hash aggregate: with everyone's history wanted, no index makes that cheaper) and returns all
 * candidates as one JSON array: decoding 10,000 typed rows through Prisma's raw-query path cost the
 * app twice the CPU, and far more garbage, on the path of every invite (BENCHMARKS.md, invite).
 * With ELIGIBLE_USERGROUPS (`eligibleGroupIds`), only members of those groups are candidates.
 */
export async function loadCandidates(db: PrismaClient, now: Date, eligibleGroupIds: readonly string[] = []): Promise<Candidate[]> {
  // The same buckets as domain/experience.ts recencyBucket: at most RECENT_DAYS old is recent.
  const recent = new Date(now.getTime() - RECENT_DAYS * 86_400_000);
  const year = new Date(now.getTime() - YEAR_DAYS * 86_400_000);
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  const rows = await db.$queryRaw<Array<{ candidates: string | null }>>`
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
    ),
    -- Learners and volunteers still in an incident that is still open: one fire at a time each.
    learning AS (
      SELECT DISTINCT p.engineer_id FROM participations p JOIN incidents i ON i.id = p.incident_id
      WHERE p.role IN ('learner', 'volunteer') AND p.left_at IS NULL AND i.resolved_at IS NULL
    ),
    -- An offer declined or left to time out (INVITE_MODE=offer) counts toward the weekly cap, not toward exposure.
    declined AS (
      SELECT engineer_id, count(*)::int AS n FROM offers
      WHERE source = 'auto_invite' AND status IN ('declined', 'expired') AND offered_at >= ${weekAgo}
      GROUP BY engineer_id
    )
    SELECT json_agg(json_build_array(
             e.slack_id, e.name, e.time_zone, e.level, round(date_part('epoch', e.started_on) * 1000), e.is_mentor, e.opted_out, e.active,
             round(date_part('epoch', e.volunteer_until) * 1000), round(date_part('epoch', h.last_joined_at) * 1000),
             COALESCE(h.auto_invites_7d, 0) + COALESCE(d.n, 0), h.counts, e.experienced,
             e.status_text, e.status_emoji, round(date_part('epoch', e.status_expires_at) * 1000), (l.engineer_id IS NOT NULL)
           ) ORDER BY e.id)::text AS candidates
    FROM engineers e LEFT JOIN history h ON h.engineer_id = e.id
      LEFT JOIN learning l ON l.engineer_id = e.id
      LEFT JOIN declined d ON d.engineer_id = e.id
    WHERE e.active AND ${eligibleCondition('e.slack_id', eligibleGroupIds)}`;
  const json = rows[0]?.candidates;
  return json ? (JSON.parse(json) as CandidateTuple[]).map(toCandidate) : [];
}

const dateOrNull = (ms: number | null) => (ms === null ? null : new Date(ms));

function toCandidate(tuple: CandidateTuple): Candidate {
  const [slackId, name, timeZone, level, startedOn, isMentor, optedOut, active, volunteerUntil, lastJoinedAt, autoInvites, counts, experienced] = tuple;
  const [, , , , , , , , , , , , , statusText, statusEmoji, statusExpiresAt, learningElsewhere] = tuple;
  const history: History = emptyHistory();
  if (counts) {
    COUNT_ROLES.forEach((role, i) => {
      history[role] = { recent: counts[i * 3]!, year: counts[i * 3 + 1]!, older: counts[i * 3 + 2]! };
    });
  }
  return {
    slackId,
    name,
    timeZone,
    level,
    startedOn: dateOrNull(startedOn),
    isMentor,
    optedOut,
    active,
    history,
    lastJoinedAt: dateOrNull(lastJoinedAt),
    autoInvitesLast7d: autoInvites,
    volunteerUntil: dateOrNull(volunteerUntil),
    experienced,
    status: statusText || statusEmoji ? { text: statusText, emoji: statusEmoji, expiration: statusExpiresAt === null ? null : statusExpiresAt / 1000 } : null,
    learningElsewhere,
  };
}
