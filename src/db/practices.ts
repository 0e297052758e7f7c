import type { Practice } from '../generated/prisma/client';
import type { Tx } from './tx';

/**
 * Practice fires (SPEC.md "Practice fires"): one row per person and replayed incident, holding
 * where they are and their own answers (never the channel's text), and the channels admins keep
 * out of practice.
 */
export type { Practice };

export interface PracticeIncidentRow {
  id: number;
  channelId: string;
  name: string;
  isPrivate: boolean;
  createdBy: string | null;
  resolvedAt: Date | null;
  excluded: boolean;
  /** the person took part in it: a participation in any role, or they created or mentored it */
  joined: boolean;
  practised: boolean;
}

/** Every resolved incident, as the choice of one to replay to `engineerId` needs it. */
export function practiceIncidents(db: Tx, engineerId: number, slackId: string, resolvedBefore: Date): Promise<PracticeIncidentRow[]> {
  return db.$queryRaw<PracticeIncidentRow[]>`
    SELECT i.id, i.channel_id AS "channelId", i.name, i.is_private AS "isPrivate", i.created_by AS "createdBy", i.resolved_at AS "resolvedAt",
      EXISTS (SELECT 1 FROM practice_exclusions x WHERE x.channel_id = i.channel_id) AS excluded,
      (i.created_by = ${slackId} OR i.mentor_slack_id = ${slackId}
        OR EXISTS (SELECT 1 FROM participations p WHERE p.incident_id = i.id AND p.engineer_id = ${engineerId})) AS joined,
      EXISTS (SELECT 1 FROM practices r WHERE r.incident_id = i.id AND r.engineer_id = ${engineerId}) AS practised
    FROM incidents i
    WHERE i.resolved_at IS NOT NULL AND i.resolved_at <= ${resolvedBefore}
    ORDER BY i.resolved_at DESC, i.id`;
}

/** Names of the incidents the person has seen, in a real fire or a practice: for "the playbook seen least". */
export async function seenIncidentNames(db: Tx, engineerId: number): Promise<string[]> {
  const rows = await db.incident.findMany({
    where: { OR: [{ participations: { some: { engineerId } } }, { practices: { some: { engineerId } } }] },
    select: { name: true },
  });
  return rows.map((r) => r.name);
}

export interface OfferRow {
  engineerId: number;
  slackId: string;
  level: string;
  timeZone: string;
  optedOut: boolean;
  active: boolean;
  knownSince: Date;
  lastFireAt: Date | null;
  practiceUnfinished: boolean;
}

/**
 * Active people of these levels with no real fire (any role, joined or invited) since `since`:
 * those who may be due an offer. Levels are compared as text so that a level the enum gains
 * later needs no change here.
 */
export function offerCandidates(db: Tx, levels: readonly string[], since: Date): Promise<OfferRow[]> {
  return db.$queryRaw<OfferRow[]>`
    SELECT e.id AS "engineerId", e.slack_id AS "slackId", e.level::text AS level, e.time_zone AS "timeZone", e.opted_out AS "optedOut", e.active,
      GREATEST(e.created_at, COALESCE(e.started_on::timestamptz, e.created_at)) AS "knownSince",
      (SELECT max(COALESCE(p.joined_at, p.invited_at)) FROM participations p WHERE p.engineer_id = e.id) AS "lastFireAt",
      EXISTS (SELECT 1 FROM practices r WHERE r.engineer_id = e.id AND r.status <> 'finished') AS "practiceUnfinished"
    FROM engineers e
    WHERE e.active AND NOT e.opted_out AND e.level::text = ANY(${[...levels]}::text[])
      AND NOT EXISTS (SELECT 1 FROM participations p WHERE p.engineer_id = e.id AND COALESCE(p.joined_at, p.invited_at) > ${since})
    ORDER BY e.id`;
}

/** Starts a practice; null when the person already has one on this incident (a double press). */
export async function createPractice(db: Tx, row: { engineerId: number; incidentId: number; rounds: number }, now: Date): Promise<Practice | null> {
  const created = await db.practice.createManyAndReturn({
    data: [{ ...row, round: 1, shown: 1, startedAt: now, updatedAt: now }],
    skipDuplicates: true,
  });
  return created[0] ?? null;
}

export function findPractice(db: Tx, id: number) {
  return db.practice.findUnique({ where: { id }, include: { engineer: true, incident: true } });
}

/** The person's practice under way (running or stopped), the latest if several. */
export function unfinishedPracticeOf(db: Tx, engineerId: number) {
  return db.practice.findFirst({ where: { engineerId, status: { in: ['running', 'stopped'] } }, orderBy: { startedAt: 'desc' } });
}

/**
 * Stores the answer to `round` and moves on to the next round, only if the practice is running
 * at that round: a second submission of the same form changes nothing. Returns the updated row.
 */
export async function answerRound(db: Tx, id: number, round: number, answer: string, now: Date): Promise<Practice | null> {
  const rows = await db.$queryRaw<Array<{ id: number }>>`
    UPDATE practices SET answers = answers[1:${round - 1}] || ARRAY[${answer}]::text[], round = round + 1, shown = shown + 1, updated_at = ${now}
    WHERE id = ${id} AND status = 'running' AND round = ${round} AND round < rounds
    RETURNING id`;
  return rows.length === 0 ? null : db.practice.findUnique({ where: { id } });
}

/** "Stop here": a running practice stops where it is. False when it was not running. */
export async function stopPractice(db: Tx, id: number, now: Date): Promise<boolean> {
  const { count } = await db.practice.updateMany({ where: { id, status: 'running' }, data: { status: 'stopped', updatedAt: now } });
  return count === 1;
}

/** Resumes a stopped practice (or shows a running one's round again): the row with its new `shown`, or null when finished. */
export async function resumePractice(db: Tx, id: number, now: Date): Promise<Practice | null> {
  const { count } = await db.practice.updateMany({ where: { id, status: { in: ['running', 'stopped'] } }, data: { status: 'running', shown: { increment: 1 }, updatedAt: now } });
  return count === 1 ? db.practice.findUnique({ where: { id } }) : null;
}

/** The resolution was revealed: the practice counts from now. */
export async function revealResolution(db: Tx, id: number, now: Date): Promise<void> {
  await db.practice.updateMany({ where: { id, status: 'running' }, data: { status: 'finished', finishedAt: now, updatedAt: now } });
}

/** The closing reflection, like a real fire's; a second submission replaces it. */
export async function saveReflection(db: Tx, id: number, answers: { whatHappened: string; checkFirst: string; learned: string }, now: Date): Promise<void> {
  await db.practice.update({ where: { id }, data: { ...answers, updatedAt: now } });
}

/** Practices whose resolution the person reached, with when: their `practice` role in the experience score. */
export async function finishedPracticesOf(db: Tx, engineerId: number): Promise<Date[]> {
  const rows = await db.practice.findMany({ where: { engineerId, finishedAt: { not: null } }, select: { finishedAt: true } });
  return rows.map((r) => r.finishedAt!);
}

/** `/volunteer admin practice exclude #channel`; excluding twice keeps the first record. */
export async function excludeFromPractice(db: Tx, channelId: string, adminId: string, now: Date): Promise<boolean> {
  const { count } = await db.practiceExclusion.createMany({ data: [{ channelId, excludedBy: adminId, excludedAt: now }], skipDuplicates: true });
  return count === 1;
}

/** The names the app knows for these Slack ids (for the anonymiser: people write "thanks Sam"). */
export async function namesBySlackId(db: Tx, slackIds: string[]): Promise<Map<string, string>> {
  if (slackIds.length === 0) return new Map();
  const rows = await db.engineer.findMany({ where: { slackId: { in: slackIds } }, select: { slackId: true, name: true } });
  return new Map(rows.map((r) => [r.slackId, r.name]));
}

/**
 * For the weekly digest: when each person in the batch finished a practice fire in their digest
 * week. One query for the batch; `request` is the index of the window a row answers.
 */
export async function practicesInWindows(db: Tx, windows: ReadonlyArray<{ engineerId: number; weekFrom: Date; weekTo: Date }>): Promise<Array<{ request: number; finishedAt: Date }>> {
  if (windows.length === 0) return [];
  return db.$queryRaw<Array<{ request: number; finishedAt: Date }>>`
    SELECT (w.ordinality - 1)::int AS request, r.finished_at AS "finishedAt"
    FROM unnest(${windows.map((w) => w.engineerId)}::int[], ${windows.map((w) => w.weekFrom)}::timestamptz[], ${windows.map((w) => w.weekTo)}::timestamptz[])
      WITH ORDINALITY AS w(engineer_id, from_at, to_at, ordinality)
    JOIN practices r ON r.engineer_id = w.engineer_id AND r.finished_at >= w.from_at AND r.finished_at < w.to_at`;
}
