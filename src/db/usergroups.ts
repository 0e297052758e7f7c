import { Prisma, type PrismaClient } from '../generated/prisma/client';
import type { ListedUsergroup } from '../domain/usergroups';
import type { Tx } from './tx';

/**
 * Members of the watched user groups (ELIGIBLE_USERGROUPS, ADMIN_USERGROUPS) as Slack last listed
 * them. Replaced group by group: the roster sync and subteam events bring a group's whole list.
 */
export async function replaceUsergroupMembers(db: Tx, usergroupId: string, userIds: readonly string[], now: Date): Promise<{ added: number; removed: number }> {
  const removed = await db.$executeRaw`
    DELETE FROM usergroup_members WHERE usergroup_id = ${usergroupId} AND NOT (user_id = ANY(${[...userIds]}::text[]))`;
  const added = await db.$executeRaw`
    INSERT INTO usergroup_members (usergroup_id, user_id, synced_at)
    SELECT ${usergroupId}, u, ${now}::timestamptz FROM unnest(${[...userIds]}::text[]) AS u
    ON CONFLICT (usergroup_id, user_id) DO NOTHING`;
  return { added, removed };
}

/** Everyone in at least one of these groups (one read; `npm run digest`). */
export async function membersOfUsergroups(db: Tx, usergroupIds: readonly string[]): Promise<Set<string>> {
  if (usergroupIds.length === 0) return new Set();
  const rows = await db.$queryRaw<Array<{ user_id: string }>>`
    SELECT DISTINCT user_id FROM usergroup_members WHERE usergroup_id = ANY(${[...usergroupIds]}::text[])`;
  return new Set(rows.map((r) => r.user_id));
}

/** Which of these groups the person is in (one indexed read). */
export async function usergroupsOfUser(db: Tx, userId: string, among: readonly string[]): Promise<Set<string>> {
  if (among.length === 0) return new Set();
  const rows = await db.$queryRaw<Array<{ usergroup_id: string }>>`
    SELECT usergroup_id FROM usergroup_members WHERE user_id = ${userId} AND usergroup_id = ANY(${[...among]}::text[])`;
  return new Set(rows.map((r) => r.usergroup_id));
}

/** Whether the person is in at least one of the groups (one indexed read). */
export async function inAnyUsergroup(db: Tx, userId: string, usergroupIds: readonly string[]): Promise<boolean> {
  if (usergroupIds.length === 0) return false;
  const rows = await db.$queryRaw<Array<{ one: number }>>`
    SELECT 1 AS one FROM usergroup_members WHERE user_id = ${userId} AND usergroup_id = ANY(${[...usergroupIds]}::text[]) LIMIT 1`;
  return rows.length > 0;
}

/**
 * A condition on a person's Slack id column (`e.slack_id`) that holds when ELIGIBLE_USERGROUPS
 * lets them be a candidate: always with no group named, else membership of one of the groups.
 */
export function eligibleCondition(slackIdColumn: string, eligibleGroupIds: readonly string[]): Prisma.Sql {
  if (eligibleGroupIds.length === 0) return Prisma.sql`TRUE`;
  return Prisma.sql`EXISTS (SELECT 1 FROM usergroup_members m WHERE m.user_id = ${Prisma.raw(slackIdColumn)} AND m.usergroup_id = ANY(${[...eligibleGroupIds]}::text[]))`;
}

/**
 * TEAM_USERGROUPS as start-up resolved them, replacing what an earlier start stored: the reports
 * (the app's and `npm run report`'s) read teams from here.
 */
export async function recordTeamUsergroups(db: PrismaClient, teams: readonly ListedUsergroup[]): Promise<void> {
  await db.$transaction([
    db.teamUsergroup.deleteMany({ where: { usergroupId: { notIn: teams.map((t) => t.id) } } }),
    ...teams.map((t, position) =>
      db.teamUsergroup.upsert({ where: { usergroupId: t.id }, create: { usergroupId: t.id, handle: t.handle, position }, update: { handle: t.handle, position } }),
    ),
  ]);
}

/** The team groups in their configured order, and who is in each (two reads). */
export async function teamUsergroupMembers(db: Tx): Promise<{ teams: ListedUsergroup[]; groupsOf: Map<string, Set<string>> }> {
  const teams = (await db.teamUsergroup.findMany({ orderBy: { position: 'asc' } })).map((t) => ({ id: t.usergroupId, handle: t.handle }));
  const groupsOf = new Map<string, Set<string>>();
  if (teams.length === 0) return { teams, groupsOf };
  const rows = await db.usergroupMember.findMany({ where: { usergroupId: { in: teams.map((t) => t.id) } }, select: { usergroupId: true, userId: true } });
  for (const r of rows) groupsOf.set(r.userId, (groupsOf.get(r.userId) ?? new Set()).add(r.usergroupId));
  return { teams, groupsOf };
}
