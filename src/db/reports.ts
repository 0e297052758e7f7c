import type { Tx } from './tx';
import { teamOf } from '../domain/usergroups';
import { teamUsergroupMembers } from './usergroups';
import type { ReportInput, ReportPerson } from '../domain/report';

/**
 * What the exposure report reads (SPEC.md section 11): active people, and their participations,
 * mentor turns and reflections since `since`. Incident names are never selected, so a report
 * cannot show a private incident's channel. Five queries whatever the headcount (the fifth: practice fires finished).
 */
export interface ReportScope {
  /** only this team (exact match, case-insensitive) */
  team?: string;
  /** only the reports of this manager (their Slack ID and email, as the roster may name either) */
  manager?: { slackId: string; email: string | null };
}

export async function loadReportData(db: Tx, since: Date, now: Date, scope: ReportScope = {}): Promise<Omit<ReportInput, 'now' | 'weeks'>> {
  const managerKeys = scope.manager ? [scope.manager.slackId, ...(scope.manager.email ? [scope.manager.email.toLowerCase()] : [])] : null;
  const { teams, groupsOf } = await teamUsergroupMembers(db);
  const everyone = await db.engineer.findMany({
    where: {
      active: true,
      // With TEAM_USERGROUPS a team is also a group's handle, so the team is matched after teamOf below.
      ...(scope.team !== undefined && teams.length === 0 ? { team: { equals: scope.team, mode: 'insensitive' as const } } : {}),
      ...(managerKeys ? { manager: { in: managerKeys } } : {}),
    },
    select: { id: true, slackId: true, name: true, level: true, startedOn: true, createdAt: true, optedOut: true, team: true, manager: true },
    orderBy: { id: 'asc' },
  });
  const withTeams = everyone.map((e) => ({ ...e, team: teamOf(e.team, groupsOf.get(e.slackId) ?? new Set(), teams) }));
  const engineers = scope.team === undefined ? withTeams : withTeams.filter((e) => e.team?.toLowerCase() === scope.team!.toLowerCase());
  const ids = engineers.map((e) => e.id);
  const slackIdOf = new Map(engineers.map((e) => [e.id, e.slackId]));
  const people: ReportPerson[] = engineers.map((e) => ({
    slackId: e.slackId, name: e.name, level: e.level, startedOn: e.startedOn, firstSeen: e.createdAt, optedOut: e.optedOut, team: e.team, manager: e.manager,
  }));
  const slackIds = engineers.map((e) => e.slackId);
  const [participations, mentoring, learnings, practices, declined, pressed, stages] = await Promise.all([
    db.participation.findMany({
      where: { engineerId: { in: ids }, OR: [{ joinedAt: { gte: since, lt: now } }, { joinedAt: null, invitedAt: { gte: since, lt: now } }] },
      select: { engineerId: true, role: true, invitedAt: true, joinedAt: true, leftAt: true },
    }),
    db.incident.findMany({
      where: { mentorSlackId: { in: engineers.map((e) => e.slackId) }, openedAt: { gte: since, lt: now } },
      select: { mentorSlackId: true, openedAt: true },
    }),
    db.learning.findMany({ where: { engineerId: { in: ids }, createdAt: { gte: since, lt: now } }, select: { engineerId: true, createdAt: true } }),
    db.practice.findMany({ where: { engineerId: { in: ids }, finishedAt: { gte: since, lt: now } }, select: { engineerId: true, finishedAt: true } }),
    // Offers declined ("Not now") or left to time out, counted for the person offered, when they ended.
    db.offer.findMany({ where: { engineerId: { in: ids }, status: { in: ['declined', 'expired'] }, answeredAt: { gte: since, lt: now } }, select: { engineerId: true, answeredAt: true } }),
    // "No learners this time": the first press of an incident's button, by whom (incidents are never named here).
    db.incident.findMany({ where: { noLearnersBy: { in: slackIds }, noLearnersAt: { gte: since, lt: now } }, select: { noLearnersBy: true, noLearnersAt: true } }),
    db.stageChange.findMany({ where: { engineerId: { in: ids }, at: { gte: since, lt: now } }, select: { engineerId: true, at: true } }),
  ]);
  return {
    people,
    participations: participations.map((p) => ({ slackId: slackIdOf.get(p.engineerId)!, role: p.role, at: (p.joinedAt ?? p.invitedAt)!, joinedAt: p.joinedAt, leftAt: p.leftAt })),
    mentoring: mentoring.map((m) => ({ slackId: m.mentorSlackId!, at: m.openedAt })),
    learnings: learnings.map((l) => ({ slackId: slackIdOf.get(l.engineerId)!, at: l.createdAt })),
    happenings: [
      ...declined.map((o) => ({ kind: 'offers_declined' as const, slackId: slackIdOf.get(o.engineerId)!, at: o.answeredAt! })),
      ...pressed.map((i) => ({ kind: 'no_learners_presses' as const, slackId: i.noLearnersBy!, at: i.noLearnersAt! })),
      ...stages.map((c) => ({ kind: 'stages_reached' as const, slackId: slackIdOf.get(c.engineerId)!, at: c.at })),
    ],
    practices: practices.map((p) => ({ slackId: slackIdOf.get(p.engineerId)!, at: p.finishedAt! })),
  };
}

/** Whether anyone active names this person as their manager (by Slack ID or email). */
export async function isManager(db: Tx, slackId: string, email: string | null): Promise<boolean> {
  const keys = [slackId, ...(email ? [email.toLowerCase()] : [])];
  return (await db.engineer.count({ where: { active: true, manager: { in: keys } } })) > 0;
}
