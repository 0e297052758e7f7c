import type { Tx } from './tx';
import type { Level, Role } from '../domain/experience';

/**
 * What `/volunteer` and the Home tab read and switch for one person, and the exposure report for
 * admins. A participation counts from when the person joined, or was invited if no join was seen,
 * exactly as loadCandidates counts it for selection, so stats and selection agree.
 */
export interface FireJoined {
  role: Role;
  at: Date;
}

export async function firesOf(db: Tx, engineerId: number): Promise<FireJoined[]> {
  const rows = await db.participation.findMany({
    where: { engineerId, OR: [{ joinedAt: { not: null } }, { invitedAt: { not: null } }] },
    select: { role: true, joinedAt: true, invitedAt: true },
  });
  return rows.map((r) => ({ role: r.role, at: (r.joinedAt ?? r.invitedAt)! }));
}

export interface Preferences {
  volunteerUntil?: Date | null;
  optedOut?: boolean;
  digestOff?: boolean;
}

/** The person's own switches (volunteering, opt-out, digest); seniority is the roster's business. */
export function setPreferences(db: Tx, engineerId: number, change: Preferences) {
  return db.engineer.update({ where: { id: engineerId }, data: change });
}

export interface OpenIncidentForPerson {
  id: number;
  channelId: string;
  name: string;
  openedAt: Date;
  /** the person is in the channel now */
  joined: boolean;
}

/**
 * Open public incidents that take learners (not those whose responders said "No learners this
 * time"), most recent first, with whether this person is in each. Private incident
 * channels are never offered: their names are for their members only.
 */
export async function openIncidentsFor(db: Tx, engineerId: number, limit: number): Promise<OpenIncidentForPerson[]> {
  const rows = await db.incident.findMany({
    where: { resolvedAt: null, isPrivate: false, noLearnersAt: null },
    orderBy: [{ openedAt: 'desc' }, { id: 'desc' }],
    take: limit,
    include: { participations: { where: { engineerId }, select: { joinedAt: true, leftAt: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    channelId: r.channelId,
    name: r.name,
    openedAt: r.openedAt,
    joined: r.participations.some((p) => p.joinedAt !== null && p.leftAt === null),
  }));
}

export function countOpenPublicIncidents(db: Tx): Promise<number> {
  return db.incident.count({ where: { resolvedAt: null, isPrivate: false, noLearnersAt: null } });
}

export interface ExposureRow {
  slackId: string;
  name: string;
  level: Level;
  optedOut: boolean;
  fires: number;
  lastJoinedAt: Date | null;
}

/**
 * Every active engineer with the fires they joined since `since`, least exposed first; ties go to
 * whoever joined a fire least recently (never = first), as selection breaks them.
 */
export async function exposureReport(db: Tx, since: Date): Promise<ExposureRow[]> {
  const rows = await db.$queryRaw<Array<{ slack_id: string; name: string; level: Level; opted_out: boolean; fires: number; last_joined_at: Date | null }>>`
    SELECT e.slack_id, e.name, e.level::text AS level, e.opted_out,
           count(p.t) FILTER (WHERE p.t >= ${since})::int AS fires, max(p.t) AS last_joined_at
    FROM engineers e
    LEFT JOIN (SELECT engineer_id, COALESCE(joined_at, invited_at) AS t FROM participations) p ON p.engineer_id = e.id
    WHERE e.active
    GROUP BY e.id
    ORDER BY fires ASC, last_joined_at ASC NULLS FIRST, e.name ASC, e.slack_id ASC`;
  return rows.map((r) => ({ slackId: r.slack_id, name: r.name, level: r.level, optedOut: r.opted_out, fires: Number(r.fires), lastJoinedAt: r.last_joined_at }));
}
