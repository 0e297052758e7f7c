/**
 * The experience score: how much incident experience a person has, in points.
 *
 *   score = level base + tenure + sum over past incidents of (role weight x recency weight)
 *
 *   level base      junior 0, mid 8, senior 20, staff 30 (from the roster CSV or `admin level`);
 *                   unknown (never classified) 0, so that day one still invites people
 *   tenure          0.5 per full year since started_on, at most 2 (so that, among people who
 *                   never joined a fire, a long-serving junior is not mistaken for a new one)
 *   role weight     learner 1, volunteer 1.5, responder 2, mentor 2.5 (active roles teach more);
 *                   practice 0.25 (a past incident replayed in a DM, SPEC.md "Practice fires": it
 *                   teaches, but less than a real fire, and is no fire for selection or coverage)
 *   recency weight  1 for an incident joined in the last 28 days, 0.5 within a year, 0.25 before
 *
 * Lower means less experienced. Who is invited first is decided by recent exposure (below):
 * level base plus the role-weighted fires of the last 28 days, then by who has waited longest
 * since their last fire, and only then by this score (SPEC.md sections 4 and 10.1). The same
 * functions explain themselves to the person in `/volunteer stats` (explainExperience), so what
 * they read is what is computed.
 */
/** A level someone can be given (roster CSV, `admin level`, the person's own choice). */
export type SettableLevel = 'junior' | 'mid' | 'senior' | 'staff';
/** `unknown`: nobody has classified the person yet (the default for everyone the sync finds). */
export type Level = SettableLevel | 'unknown';
export type Role = 'learner' | 'mentor' | 'responder' | 'volunteer';
/** The roles the score weighs: the participation roles of real fires, and practice fires. */
export type ScoreRole = Role | 'practice';
export type RecencyBucket = 'recent' | 'year' | 'older';

/** The levels the roster CSV and `admin level` accept (never `unknown`). */
export const LEVELS: readonly SettableLevel[] = ['junior', 'mid', 'senior', 'staff'];
export const ROLES: readonly Role[] = ['learner', 'volunteer', 'responder', 'mentor'];
export const SCORE_ROLES: readonly ScoreRole[] = [...ROLES, 'practice'];
export const LEVEL_BASE: Record<Level, number> = { junior: 0, mid: 8, senior: 20, staff: 30, unknown: 0 };
export const ROLE_WEIGHT: Record<ScoreRole, number> = { learner: 1, volunteer: 1.5, responder: 2, mentor: 2.5, practice: 0.25 };
export const RECENCY_WEIGHT: Record<RecencyBucket, number> = { recent: 1, year: 0.5, older: 0.25 };
/** also the window of recent exposure, the first key of the invite order; 4 weeks, like the coverage target */
export const RECENT_DAYS = 28;
export const YEAR_DAYS = 365;
export const TENURE_POINTS_PER_YEAR = 0.5;
export const TENURE_MAX_POINTS = 2;

const DAY_MS = 86_400_000;

/** How many incidents a person joined (or practised on), per role and recency bucket. */
export type History = Record<ScoreRole, Record<RecencyBucket, number>>;

export function emptyHistory(): History {
  const h = {} as History;
  for (const role of SCORE_ROLES) h[role] = { recent: 0, year: 0, older: 0 };
  return h;
}

export function recencyBucket(joinedAt: Date, now: Date): RecencyBucket {
  const ageDays = (now.getTime() - joinedAt.getTime()) / DAY_MS;
  if (ageDays <= RECENT_DAYS) return 'recent';
  if (ageDays <= YEAR_DAYS) return 'year';
  return 'older';
}

/** Builds a History from individual participations (the database does the same with GROUP BY). */
export function historyOf(participations: ReadonlyArray<{ role: ScoreRole; joinedAt: Date }>, now: Date): History {
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
  for (const role of SCORE_ROLES) {
    const counts = input.history[role];
    score += ROLE_WEIGHT[role] * (counts.recent * RECENCY_WEIGHT.recent + counts.year * RECENCY_WEIGHT.year + counts.older * RECENCY_WEIGHT.older);
  }
  // Rounded so that equal histories compare equal despite floating point.
  return Math.round(score * 100) / 100;
}

/**
 * Recent exposure: level base plus the role-weighted fires of the last RECENT_DAYS. Invites go to
 * the lowest first. Unlike the score it forgets, so a new hire or a returning volunteer joins the
 * rotation at everyone's pace instead of taking every fire until their lifetime total catches up.
 * Practice fires are no exposure: only the real roles count here.
 */
export function recentExposure(input: Pick<ExperienceInput, 'level' | 'history'>): number {
  let points = LEVEL_BASE[input.level];
  for (const role of ROLES) points += ROLE_WEIGHT[role] * input.history[role].recent * RECENCY_WEIGHT.recent;
  return Math.round(points * 100) / 100;
}

export function recentIncidents(history: History): number {
  return ROLES.reduce((sum, role) => sum + history[role].recent, 0);
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
  for (const role of SCORE_ROLES) {
    for (const bucket of ['recent', 'year', 'older'] as const) {
      const n = input.history[role][bucket];
      if (n === 0) continue;
      const points = Math.round(n * ROLE_WEIGHT[role] * RECENCY_WEIGHT[bucket] * 100) / 100;
      const what = role === 'practice' ? `practice ${n === 1 ? 'fire' : 'fires'}` : `${n === 1 ? 'fire' : 'fires'} as ${role}`;
      lines.push(`${n} ${what} ${BUCKET_WORDS[bucket]}: ${n} × ${ROLE_WEIGHT[role]} × ${RECENCY_WEIGHT[bucket]} = ${points} points`);
    }
  }
  if (totalIncidents(input.history) === 0) lines.push('No fires yet: you are first in line for the next one');
  lines.push(
    `Place in line: ${recentExposure(input)} points from your level and the last ${RECENT_DAYS} days; ` +
      'the fewest points go first, then whoever has waited longest since their last fire',
  );
  lines.push(`Experience score: ${experienceScore(input, now)} (lower means less experience)`);
  return lines;
}
