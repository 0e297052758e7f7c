import type { Deps } from '../deps';
import { finishedPracticesOf } from '../db/practices';
import { firesOf } from '../db/stats';
import { explainExperience, historyOf, ROLES, type Role } from '../domain/experience';
import { weekBounds, weekStartOf } from '../domain/iso-week';
import { levelOrigin } from '../slack/views/level-choice';
import type { StatsView } from '../slack/views/volunteer-replies';
import { progressOfEngineer } from './growth-flow';
import type { KnownEngineer } from './roster-flow';

const DAY_MS = 86_400_000;

/** A person's fires this week, in four weeks and ever, by role, and what their experience adds up to (`/volunteer stats`, the Home tab). */
export async function statsOf(deps: Deps, engineer: KnownEngineer): Promise<StatsView> {
  const now = deps.clock();
  const fires = await firesOf(deps.db, engineer.id);
  // "This week" is the digest's week: Monday to Sunday in the person's own time zone.
  const weekStart = weekBounds(weekStartOf(now, engineer.timeZone), engineer.timeZone).start.getTime();
  const fourWeeksAgo = now.getTime() - 28 * DAY_MS;
  const roles = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<Role, number>;
  for (const f of fires) roles[f.role]++;
  // Practice fires weigh in the score (as role `practice`), but are no fires in the counts above.
  const practices = await finishedPracticesOf(deps.db, engineer.id);
  const history = historyOf([...fires.map((f) => ({ role: f.role, joinedAt: f.at })), ...practices.map((at) => ({ role: 'practice' as const, joinedAt: at }))], now);
  return {
    thisWeek: fires.filter((f) => f.at.getTime() >= weekStart).length,
    fourWeeks: fires.filter((f) => f.at.getTime() >= fourWeeksAgo).length,
    allTime: fires.length,
    roles,
    experience: explainExperience({ level: engineer.level, startedOn: engineer.startedOn, history }, now),
    levelOrigin: levelOrigin(engineer.level, engineer.levelSource, engineer.experienced),
    growth: await progressOfEngineer(deps.db, engineer.id),
  };
}

