import type { Level, Role } from '../domain/experience';
import type { LearningFact, ParticipationFact } from '../domain/digest';
import { Prisma } from '../generated/prisma/client';
import { eligibleCondition } from './usergroups';
import { heldBy, LEDGER_LEASE_MS, ledgerEntry, type ClaimRow, type LedgerEntry } from './ledger';
import type { Tx } from './tx';

/**
 * The weekly digest's reads and its once-only ledger (table `digests`, unique per engineer and
 * week_start). Reads take many people at once: one statement per batch, never one per person, so
 * that composing 10,000 digests stays a handful of queries.
 */

/** One person's slice of time: their 8-week trend window and the digest week inside it, as instants of their zone. */
export interface DigestWindow {
  engineerId: number;
  trendFrom: Date;
  weekFrom: Date;
  weekTo: Date;
}

interface ParticipationRow {
  request: number;
  incident_id: number;
  channel_id: string;
  channel_name: string;
  role: Role;
  joined_at: Date;
  left_at: Date | null;
  resolved_at: Date | null;
}

/**
 * Everything each person joined in their trend window, with the incident. One query for the
 * batch; `request` is the index of the window a row answers (one person may be asked for twice).
 */
export async function participationsInWindows(db: Tx, windows: readonly DigestWindow[]): Promise<Array<ParticipationFact & { request: number }>> {
  if (windows.length === 0) return [];
  const rows = await db.$queryRaw<ParticipationRow[]>`
    SELECT (w.ordinality - 1)::int AS request, p.incident_id, i.channel_id, i.name AS channel_name, p.role::text AS role, p.joined_at, p.left_at, i.resolved_at
    FROM unnest(${windows.map((w) => w.engineerId)}::int[], ${windows.map((w) => w.trendFrom)}::timestamptz[], ${windows.map((w) => w.weekTo)}::timestamptz[])
      WITH ORDINALITY AS w(engineer_id, from_at, to_at, ordinality)
    JOIN participations p ON p.engineer_id = w.engineer_id AND p.joined_at >= w.from_at AND p.joined_at < w.to_at
    JOIN incidents i ON i.id = p.incident_id`;
  return rows.map((r) => ({
    request: r.request,
    incidentId: r.incident_id,
    channelId: r.channel_id,
    channelName: r.channel_name,
    role: r.role,
    joinedAt: r.joined_at,
    leftAt: r.left_at,
    resolvedAt: r.resolved_at,
  }));
}

interface LearningRow {
  request: number;
  incident_id: number;
  channel_id: string;
  channel_name: string;
  learned: string;
  created_at: Date;
  joined_at: Date | null;
}

/**
 * Each person's learnings written in their digest week, or about an incident they joined in it
 * (domain/digest.ts decides which digest shows which). One query for the batch.
 */
export async function learningsInWindows(db: Tx, windows: readonly DigestWindow[]): Promise<Array<LearningFact & { request: number }>> {
  if (windows.length === 0) return [];
  const rows = await db.$queryRaw<LearningRow[]>`
    SELECT (w.ordinality - 1)::int AS request, l.incident_id, i.channel_id, i.name AS channel_name, l.learned, l.created_at, p.joined_at
    FROM unnest(${windows.map((w) => w.engineerId)}::int[], ${windows.map((w) => w.weekFrom)}::timestamptz[], ${windows.map((w) => w.weekTo)}::timestamptz[])
      WITH ORDINALITY AS w(engineer_id, from_at, to_at, ordinality)
    JOIN learnings l ON l.engineer_id = w.engineer_id
    JOIN incidents i ON i.id = l.incident_id
    LEFT JOIN participations p ON p.engineer_id = l.engineer_id AND p.incident_id = l.incident_id
    WHERE (l.created_at >= w.from_at AND l.created_at < w.to_at) OR (p.joined_at >= w.from_at AND p.joined_at < w.to_at)`;
  return rows.map((r) => ({
    request: r.request,
    incidentId: r.incident_id,
    channelId: r.channel_id,
    channelName: r.channel_name,
    learned: r.learned,
    createdAt: r.created_at,
    joinedAt: r.joined_at,
  }));
}

/** One person's quarter, for the first digest of a quarter: its first and last instant in their zone. */
export interface QuarterWindow {
  engineerId: number;
  from: Date;
  to: Date;
}

/**
 * Each person's fires (role, channel name) and reflections written in their quarter window: the
 * quarter's summary of the first digest of a quarter. One query for the batch; a fire row has a
 * role, a reflection row none.
 */
export async function quarterFactsInWindows(db: Tx, windows: readonly QuarterWindow[]): Promise<Array<{ request: number; role: Role | null; channelName: string; stage: string | null }>> {
  if (windows.length === 0) return [];
  const rows = await db.$queryRaw<Array<{ request: number; role: Role | null; channel_name: string; stage: string | null }>>`
    WITH w AS (
      SELECT * FROM unnest(${windows.map((w) => w.engineerId)}::int[], ${windows.map((w) => w.from)}::timestamptz[], ${windows.map((w) => w.to)}::timestamptz[])
        WITH ORDINALITY AS w(engineer_id, from_at, to_at, ordinality)
    )
    SELECT (w.ordinality - 1)::int AS request, p.role::text AS role, i.name AS channel_name, p.stage::text AS stage
    FROM w JOIN participations p ON p.engineer_id = w.engineer_id AND p.joined_at >= w.from_at AND p.joined_at < w.to_at
    JOIN incidents i ON i.id = p.incident_id
    UNION ALL
    SELECT (w.ordinality - 1)::int, NULL, i.name, NULL
    FROM w JOIN learnings l ON l.engineer_id = w.engineer_id AND l.created_at >= w.from_at AND l.created_at < w.to_at
    JOIN incidents i ON i.id = l.incident_id`;
  return rows.map((r) => ({ request: r.request, role: r.role, channelName: r.channel_name, stage: r.stage }));
}

/** The time zones of everyone active: the due check works zone by zone, not person by person. */
export async function activeTimeZones(db: Tx): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ time_zone: string }>>`SELECT DISTINCT time_zone FROM engineers WHERE active ORDER BY time_zone`;
  return rows.map((r) => r.time_zone);
}

/** For one zone: the latest week whose digest is due there, and when it fell due. */
export interface DueZone {
  timeZone: string;
  weekStart: string;
  dueAt: Date;
}

export interface DueCandidate {
  engineerId: number;
  slackId: string;
  name: string;
  timeZone: string;
  level: Level;
  digestOff: boolean;
  createdAt: Date;
  weekStart: string;
  dueAt: Date;
  /** a candidate under ELIGIBLE_USERGROUPS (always true with none named) */
  eligible: boolean;
  /** nobody has classified them and they were never asked (the digest may be their first DM) */
  askLevel: boolean;
}

interface DueRow {
  id: number;
  slack_id: string;
  name: string;
  time_zone: string;
  level: Level;
  digest_off: boolean;
  created_at: Date;
  week_start: string;
  due_at: Date;
  eligible: boolean;
  ask_level: boolean;
}

/**
 * Active people whose digest for their zone's latest due week has not gone out, oldest id first.
 * A row for that week that is pending (a retryable failure) or claimed by a process that died
 * does not count as gone out; any row for a later week does, so that a person who moved to a
 * zone behind their old one is not sent the week before the one they already had.
 */
export async function dueCandidates(db: Tx, zones: readonly DueZone[], now: Date, limit: number, eligibleGroupIds: readonly string[] = []): Promise<DueCandidate[]> {
  if (zones.length === 0) return [];
  const staleBefore = new Date(now.getTime() - LEDGER_LEASE_MS);
  const rows = await db.$queryRaw<DueRow[]>`
    SELECT e.id, e.slack_id, e.name, e.time_zone, e.level::text AS level, e.digest_off, e.created_at, to_char(z.week_start, 'YYYY-MM-DD') AS week_start, z.due_at,
      ${eligibleCondition('e.slack_id', eligibleGroupIds)} AS eligible,
      (e.level = 'unknown' AND e.level_source IS NULL AND NOT e.experienced AND e.level_asked_at IS NULL) AS ask_level
    FROM unnest(${zones.map((z) => z.timeZone)}::text[], ${zones.map((z) => z.weekStart)}::date[], ${zones.map((z) => z.dueAt)}::timestamptz[])
      AS z(time_zone, week_start, due_at)
    JOIN engineers e ON e.time_zone = z.time_zone AND e.active
    WHERE z.due_at <= ${now}
      AND NOT EXISTS (
        SELECT 1 FROM digests d
        WHERE d.engineer_id = e.id
          AND (d.week_start > z.week_start
               OR (d.week_start = z.week_start AND NOT (d.status = 'pending' OR (d.status = 'sending' AND d.claimed_at < ${staleBefore})))))
    ORDER BY e.id
    LIMIT ${limit}`;
  return rows.map((r) => ({
    engineerId: r.id,
    slackId: r.slack_id,
    name: r.name,
    timeZone: r.time_zone,
    level: r.level,
    digestOff: r.digest_off,
    createdAt: r.created_at,
    weekStart: r.week_start,
    dueAt: r.due_at,
    eligible: r.eligible,
    askLevel: r.ask_level,
  }));
}

/**
 * Records that a week's digest will not go to these people (digests off at the time it fell due,
 * or not yet known to us then), so that turning digests back on mid-week does not send last
 * week's late. One statement.
 */
export async function skipDigests(db: Tx, rows: ReadonlyArray<{ engineerId: number; weekStart: string; reason: string }>): Promise<number> {
  if (rows.length === 0) return 0;
  return db.$executeRaw`
    INSERT INTO digests (engineer_id, week_start, status, error)
    SELECT s.engineer_id, s.week_start, 'skipped'::"DeliveryStatus", s.reason
    FROM unnest(${rows.map((r) => r.engineerId)}::int[], ${rows.map((r) => r.weekStart)}::date[], ${rows.map((r) => r.reason)}::text[])
      AS s(engineer_id, week_start, reason)
    ON CONFLICT (engineer_id, week_start) DO UPDATE SET status = 'skipped', error = EXCLUDED.error
    WHERE digests.status = 'pending'`;
}

/**
 * The ledger entry of one person's digest for one week (db/ledger.ts). The row is made by the first
 * claim. A row left pending by a retryable failure, or claimed by a process that stopped renewing
 * it, can be claimed again; after a call that may have reached Slack it goes back to pending with
 * its claim time kept, and a claim that takes such a row over looks for the DM before sending it.
 */
export function digestLedger(db: Tx, key: string, engineerId: number, weekStart: string): LedgerEntry {
  const row = Prisma.sql`engineer_id = ${engineerId} AND week_start = ${weekStart}::date`;
  return ledgerEntry(db, {
    table: 'digests',
    key,
    row,
    claimRows: (now, staleBefore) => db.$queryRaw<ClaimRow[]>`
      WITH previous AS (SELECT status, claimed_at FROM digests WHERE ${row})
      INSERT INTO digests (engineer_id, week_start, status, claimed_at, attempts)
      VALUES (${engineerId}, ${weekStart}::date, 'sending', ${now}, 1)
      ON CONFLICT (engineer_id, week_start) DO UPDATE SET status = 'sending', claimed_at = EXCLUDED.claimed_at, attempts = digests.attempts + 1
      WHERE digests.status = 'pending' OR (digests.status = 'sending' AND digests.claimed_at < ${staleBefore})
      RETURNING attempts, claimed_at, (SELECT status::text FROM previous) AS previous_status, (SELECT claimed_at FROM previous) AS previous_claimed_at`,
    // 'sending' is a claim whose process died; 'pending' with a claim time is a call that failed after it may have reached Slack.
    uncertain: (previous) => previous.previous_status === 'sending' || (previous.previous_status === 'pending' && previous.previous_claimed_at !== null),
    async releaseUncertain(claim, _leaseMs, error) {
      const count = await db.$executeRaw`UPDATE digests SET status = 'pending', error = ${error} WHERE ${heldBy(row, claim)}`;
      return count === 1;
    },
  });
}

/** The people `npm run digest` considers: everyone active, or the one asked for (whatever their state, so the CLI can say why not). */
export function digestPeople(db: Tx, slackId?: string) {
  return db.engineer.findMany({
    where: slackId ? { slackId } : { active: true },
    select: { id: true, slackId: true, name: true, timeZone: true, level: true, createdAt: true, active: true, digestOff: true },
    orderBy: { id: 'asc' },
  });
}

/**
 * Wraps a client so that every SQL statement sent through its raw-query methods is counted. The
 * digest reads above use nothing else, so the count is the number of queries composition made.
 */
export function countingClient<T extends Tx>(db: T): { db: T; queries(): number } {
  let count = 0;
  const counted = new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof prop === 'string' && /^\$(query|execute)Raw/.test(prop) && typeof value === 'function') {
        return (...args: unknown[]) => {
          count += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return value;
    },
  });
  return { db: counted, queries: () => count };
}
