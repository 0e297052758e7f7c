/**
 * The experience score: how much incident experience a person has, in points.
 *
 *   score = level base + tenure + sum over past incidents of (role weight x recency weight)
 *
 *   level base      junior 0, mid 8, senior 20, staff 30 (from the roster CSV or `admin level`)
 *   tenure          0.5 per full year since started_on, at most 2 (so a long-serving junior is
 *                   not mistaken for a new one, yet never outranks a junior with real fires)
 *   role weight     learner 1, volunteer 1.5, responder 2, mentor 2.5 (active roles teach more)
 *   recency weight  1 for an incident joined in the last 90 days, 0.5 within a year, 0.25 before
 *
 * Lower means less experienced, so invited sooner. The same function explains itself to the
 * person in `/volunteer stats` (explainExperience), so what they read is what is computed.
 */
export type Level = 'junior' | 'mid' | 'senior' | 'staff';
export type Role = 'learner' | 'mentor' | 'responder' | 'volunteer';
export type RecencyBucket = 'recent' | 'year' | 'older';

export const LEVELS: readonly Level[] = ['junior', 'mid', 'senior', 'staff'];
export const ROLES: readonly Role[] = ['learner', 'volunteer', 'responder', 'mentor'];
export const LEVEL_BASE: Record<Level, number> = { junior: 0, mid: 8, senior: 20, staff: 30 };
export const ROLE_WEIGHT: Record<Role, number> = { learner: 1, volunteer: 1.5, responder: 2, mentor: 2.5 };
export const RECENCY_WEIGHT: Record<RecencyBucket, number> = { recent: 1, year: 0.5, older: 0.25 };
export const RECENT_DAYS = 90;
export const YEAR_DAYS = 365;
export const TENURE_POINTS_PER_YEAR = 0.5;
export const TENURE_MAX_POINTS = 2;

const DAY_MS = 86_400_000;

/** How many incidents a person joined, per role and recency bucket. */
export type History = Record<Role, Record<RecencyBucket, number>>;

export function emptyHistory(): History {
  const h = {} as History;
  for (const role of ROLES) h[role] = { recent: 0, year: 0, older: 0 };
  return h;
}

export function recencyBucket(joinedAt: Date, now: Date): RecencyBucket {
  const ageDays = (now.getTime() - joinedAt.getTime()) / DAY_MS;
  if (ageDays <= RECENT_DAYS) return 'recent';
  if (ageDays <= YEAR_DAYS) return 'year';
  return 'older';
}

/** Builds a History from individual participations (the database does the same with GROUP BY). */
export function historyOf(participations: ReadonlyArray<{ role: Role; joinedAt: Date }>, now: Date): History {
  const history = emptyHistory();
  for (const p of participations) history[p.role][recencyBucket(p.joinedAt, now)] += 1;
  return history;
}

export interface ExperienceInput {
  level: Level;
  startedOn: Date | null;
  history: History;
}

export function tenurePoints(startedOn: Date | null, now: Date): number {
  if (!startedOn) return 0;
  const years = Math.floor((now.getTime() - startedOn.getTime()) / (YEAR_DAYS * DAY_MS));
  return Math.min(TENURE_MAX_POINTS, Math.max(0, years) * TENURE_POINTS_PER_YEAR);
}

export function experienceScore(input: ExperienceInput, now: Date): number {
  let score = LEVEL_BASE[input.level] + tenurePoints(input.startedOn, now);
  for (const role of ROLES) {
    const counts = input.history[role];
    score += ROLE_WEIGHT[role] * (counts.recent * RECENCY_WEIGHT.recent + counts.year * RECENCY_WEIGHT.year + counts.older * RECENCY_WEIGHT.older);
  }
  // Rounded so that equal histories compare equal despite floating point.
  return Math.round(score * 100) / 100;
}

export function totalIncidents(history: History): number {
  return ROLES.reduce((sum, role) => sum + history[role].recent + history[role].year + history[role].older, 0);
}

const BUCKET_WORDS: Record<RecencyBucket, string> = {
  recent: `in the last ${RECENT_DAYS} days`,
  year: 'earlier this year',
  older: 'more than a year ago',
};

/** The score as lines a person can check by hand; the last line is the total. */
export function explainExperience(input: ExperienceInput, now: Date): string[] {
  const lines = [`Level ${input.level}: ${LEVEL_BASE[input.level]} points`];
  const tenure = tenurePoints(input.startedOn, now);
  if (tenure > 0) lines.push(`Time at the company: ${tenure} points (${TENURE_POINTS_PER_YEAR} per year, at most ${TENURE_MAX_POINTS})`);
  for (const role of ROLES) {
    for (const bucket of ['recent', 'year', 'older'] as const) {
      const n = input.history[role][bucket];
      if (n === 0) continue;
      const points = Math.round(n * ROLE_WEIGHT[role] * RECENCY_WEIGHT[bucket] * 100) / 100;
      lines.push(`${n} ${n === 1 ? 'fire' : 'fires'} as ${role} ${BUCKET_WORDS[bucket]}: ${n} × ${ROLE_WEIGHT[role]} × ${RECENCY_WEIGHT[bucket]} = ${points} points`);
    }
  }
  if (totalIncidents(input.history) === 0) lines.push('No fires yet: you are first in line for the next one');
  lines.push(`Experience score: ${experienceScore(input, now)} (lower scores are invited first)`);
  return lines;
}
