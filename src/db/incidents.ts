import type { Tx as PrismaClient } from './tx';

export interface IncidentOpening {
  channelId: string;
  name: string;
  isPrivate: boolean;
  createdBy: string | null;
  openedAt: Date;
  /** set when the incident is recorded without a selection (a rename of an old channel) */
  selectedAt?: Date;
}

/** Records an incident once per channel; a second call (a redelivered event, a rename) returns the same row. */
export async function openIncident(db: PrismaClient, opening: IncidentOpening) {
  return db.incident.upsert({
    where: { channelId: opening.channelId },
    create: opening,
    update: {},
  });
}

export function findIncidentByChannel(db: PrismaClient, channelId: string) {
  return db.incident.findUnique({ where: { channelId } });
}

export function findIncident(db: PrismaClient, id: number) {
  return db.incident.findUnique({ where: { id } });
}

export async function renameIncident(db: PrismaClient, id: number, name: string) {
  return db.incident.update({ where: { id }, data: { name } });
}

/** Incidents resolved at `since` or later, oldest resolution first (the postmortem check). */
export function resolvedSince(db: PrismaClient, since: Date) {
  return db.incident.findMany({ where: { resolvedAt: { gte: since } }, orderBy: { resolvedAt: 'asc' } });
}

/** Resolves once: returns true only for the call that actually resolved it. */
export async function resolveIncident(db: PrismaClient, id: number, at: Date): Promise<boolean> {
  const { count } = await db.incident.updateMany({ where: { id, resolvedAt: null }, data: { resolvedAt: at } });
  return count === 1;
}

/**
 * The channel became private: stored, and no selection may start any more (a stamp on
 * selected_at), since the people who made it private did not ask for strangers. Returns true for
 * the call that changed it.
 */
export async function markIncidentPrivate(db: PrismaClient, id: number, at: Date): Promise<boolean> {
  const count = await db.$executeRaw`
    UPDATE incidents SET is_private = true, selected_at = COALESCE(selected_at, ${at})
    WHERE id = ${id} AND is_private = false`;
  return count === 1;
}

/** The channel is public again (Slack reports it through conversations.info). */
export async function markIncidentPublic(db: PrismaClient, id: number): Promise<void> {
  await db.incident.updateMany({ where: { id, isPrivate: true }, data: { isPrivate: false } });
}

/** Reopens a resolved incident (its channel was unarchived); its selection is kept, not made again. */
export async function reopenIncident(db: PrismaClient, id: number): Promise<boolean> {
  const { count } = await db.incident.updateMany({ where: { id, resolvedAt: { not: null } }, data: { resolvedAt: null } });
  return count === 1;
}

/** Which of these channels already have an incident row. */
export async function recordedChannels(db: PrismaClient, channelIds: string[]): Promise<Set<string>> {
  const rows = await db.incident.findMany({ where: { channelId: { in: channelIds } }, select: { channelId: true } });
  return new Set(rows.map((r) => r.channelId));
}

/** The severity read from the channel when learners were chosen (null: unknown). */
export async function setIncidentSeverity(db: PrismaClient, incidentId: number, severity: number | null): Promise<void> {
  await db.incident.update({ where: { id: incidentId }, data: { severity } });
}

/**
 * Incidents still open whose learners were never chosen though due by `dueBy` (opened before it):
 * their INVITE_DELAY job was lost. Oldest first, at most `limit`.
 */
export function unselectedIncidents(db: PrismaClient, dueBy: Date, limit = 100) {
  return db.incident.findMany({
    where: { selectedAt: null, resolvedAt: null, openedAt: { lte: dueBy } },
    orderBy: { openedAt: 'asc' },
    take: limit,
    select: { id: true, channelId: true, name: true, openedAt: true },
  });
}

/** Where the intro message is, so that it can be updated (chat.update). */
export async function setIntroTs(db: PrismaClient, id: number, ts: string): Promise<void> {
  await db.incident.update({ where: { id }, data: { introTs: ts } });
}

/**
 * "No learners this time": stamped once, with who pressed it. True only for the press that
 * stamped it, so that a second press (or a second delivery of the first) does nothing more.
 */
export async function markNoLearners(db: PrismaClient, id: number, by: string, at: Date): Promise<boolean> {
  const { count } = await db.incident.updateMany({ where: { id, noLearnersAt: null }, data: { noLearnersAt: at, noLearnersBy: by } });
  return count === 1;
}
