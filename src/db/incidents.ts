import type { Tx as PrismaClient } from './tx';

export interface IncidentOpening {
  channelId: string;
  name: string;
  isPrivate: boolean;
  createdBy: string | null;
  openedAt: Date;
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

/** Resolves once: returns true only for the call that actually resolved it. */
export async function resolveIncident(db: PrismaClient, id: number, at: Date): Promise<boolean> {
  const { count } = await db.incident.updateMany({ where: { id, resolvedAt: null }, data: { resolvedAt: at } });
  return count === 1;
}
