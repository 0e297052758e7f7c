import type { PrismaClient } from './tx';
import type { BackfilledIncident, HeavyResponder } from '../domain/backfill';

/** How each of these channels was recorded, if at all: `live` (the app saw it happen) or `backfill`. */
export async function incidentSources(db: PrismaClient, channelIds: string[]): Promise<Map<string, 'live' | 'backfill'>> {
  const rows = await db.incident.findMany({ where: { channelId: { in: channelIds } }, select: { channelId: true, source: true } });
  return new Map(rows.map((r) => [r.channelId, r.source]));
}

/**
 * One past channel as an incident (`source = backfill`) and its participations (`source =
 * backfill`, joined at the opening), in one transaction: the incident row is the backfill's
 * durable progress, so a run stopped anywhere has recorded whole channels or nothing of one, and
 * the next run skips what is there. The incident is marked selected at its opening, so that no
 * later event about the channel ever starts a selection for it. A channel recorded meanwhile by
 * anyone (the live app) is left as it is: nothing is written and `recorded` is false.
 */
export async function recordBackfilledIncident(
  db: PrismaClient,
  incident: BackfilledIncident,
  participants: ReadonlyArray<{ engineerId: number; role: 'responder' | 'learner' }>,
): Promise<{ recorded: boolean; participations: number }> {
  return db.$transaction(async (tx) => {
    const inserted = await tx.$queryRaw<Array<{ id: number }>>`
      INSERT INTO incidents (channel_id, name, is_private, created_by, opened_at, resolved_at, selected_at, source)
      VALUES (${incident.channelId}, ${incident.name}, ${incident.isPrivate}, ${incident.createdBy}, ${incident.openedAt}::timestamptz,
              ${incident.resolvedAt}::timestamptz, ${incident.openedAt}::timestamptz, 'backfill')
      ON CONFLICT (channel_id) DO NOTHING
      RETURNING id`;
    const id = inserted[0]?.id;
    if (id === undefined) return { recorded: false, participations: 0 };
    if (participants.length === 0) return { recorded: true, participations: 0 };
    const participations = await tx.$executeRaw`
      INSERT INTO participations (engineer_id, incident_id, role, source, joined_at)
      SELECT engineer_id, ${id}, role::"ParticipationRole", 'backfill', ${incident.openedAt}::timestamptz
      FROM unnest(${participants.map((p) => p.engineerId)}::int[], ${participants.map((p) => p.role)}::text[]) AS t(engineer_id, role)
      ON CONFLICT (engineer_id, incident_id) DO NOTHING`;
    return { recorded: true, participations };
  });
}

/** Past fires (participations in any role, live or backfilled) of everyone who has any, with their level. */
export async function pastFires(db: PrismaClient): Promise<HeavyResponder[]> {
  const rows = await db.$queryRaw<Array<{ slack_id: string; name: string; level: string; fires: number }>>`
    SELECT e.slack_id, e.name, e.level::text AS level, count(*)::int AS fires
    FROM participations p JOIN engineers e ON e.id = p.engineer_id
    WHERE e.active
    GROUP BY e.id`;
  return rows.map((r) => ({ slackId: r.slack_id, name: r.name, level: r.level, fires: r.fires }));
}
