import {
  emptyHistory, experienceScore, explainExperience, historyOf, recencyBucket, recentExposure, tenurePoints, totalIncidents,
  LEVEL_BASE, RECENCY_WEIGHT, RECENT_DAYS, ROLE_WEIGHT, TENURE_MAX_POINTS, TENURE_POINTS_PER_YEAR, YEAR_DAYS,
} from '../../../src/domain/experience';

// Written against the published constants, so that tuning a weight (npm run simulate) keeps these true.
const now = new Date('2026-11-25T09:00:00Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
const round = (n: number) => Math.round(n * 100) / 100;

describe('experienceScore', () => {
  it('is the level base for someone with no history and no start date', () => {
    for (const level of ['junior', 'mid', 'senior', 'staff'] as const) {
      expect(experienceScore({ level, startedOn: null, history: emptyHistory() }, now)).toBe(LEVEL_BASE[level]);
    }
    expect(LEVEL_BASE.junior).toBeLessThan(LEVEL_BASE.mid);
    expect(LEVEL_BASE.mid).toBeLessThan(LEVEL_BASE.senior);
  });

  it('weighs active roles more and recent incidents more', () => {
    const history = historyOf(
      [
        { role: 'learner', joinedAt: daysAgo(1) },
        { role: 'responder', joinedAt: daysAgo(RECENT_DAYS + 5) },
        { role: 'mentor', joinedAt: daysAgo(YEAR_DAYS + 5) },
      ],
      now,
    );
    const expected = ROLE_WEIGHT.learner * RECENCY_WEIGHT.recent + ROLE_WEIGHT.responder * RECENCY_WEIGHT.year + ROLE_WEIGHT.mentor * RECENCY_WEIGHT.older;
    expect(experienceScore({ level: 'junior', startedOn: null, history }, now)).toBe(round(expected));
    expect(ROLE_WEIGHT.learner).toBeLessThan(ROLE_WEIGHT.responder);
    expect(RECENCY_WEIGHT.recent).toBeGreaterThan(RECENCY_WEIGHT.older);
  });

  it('adds tenure per full year, capped', () => {
    expect(tenurePoints(daysAgo(364), now)).toBe(0);
    expect(tenurePoints(daysAgo(366), now)).toBe(TENURE_POINTS_PER_YEAR);
    expect(tenurePoints(daysAgo(365 * 40), now)).toBe(TENURE_MAX_POINTS);
    expect(tenurePoints(new Date('2027-01-01'), now)).toBe(0);
  });

  it('puts an incident on the last recent day in the recent bucket and the day after in the year bucket', () => {
    expect(recencyBucket(daysAgo(RECENT_DAYS), now)).toBe('recent');
    expect(recencyBucket(daysAgo(RECENT_DAYS + 1), now)).toBe('year');
    expect(recencyBucket(daysAgo(YEAR_DAYS + 1), now)).toBe('older');
  });

  it('explains itself line by line, ending with the same total as the score', () => {
    const input = { level: 'junior' as const, startedOn: null, history: historyOf([{ role: 'learner', joinedAt: daysAgo(1) }, { role: 'learner', joinedAt: daysAgo(2) }], now) };
    const lines = explainExperience(input, now);
    expect(lines[0]).toBe(`Level junior: ${LEVEL_BASE.junior} points`);
    expect(lines[1]).toBe(`2 fires as learner in the last ${RECENT_DAYS} days: 2 × ${ROLE_WEIGHT.learner} × ${RECENCY_WEIGHT.recent} = ${round(2 * ROLE_WEIGHT.learner)} points`);
    expect(lines[lines.length - 1]).toBe(`Experience score: ${experienceScore(input, now)} (lower means less experience)`);
    expect(explainExperience({ level: 'junior', startedOn: null, history: emptyHistory() }, now)).toContain('No fires yet: you are first in line for the next one');
  });
});

describe('practice fires in the score', () => {
  const history = historyOf([{ role: 'practice', joinedAt: daysAgo(3) }, { role: 'practice', joinedAt: daysAgo(100) }, { role: 'learner', joinedAt: daysAgo(5) }], now);

  it('weighs a practice 0.25, with the same recency weights as a fire', () => {
    expect(experienceScore({ level: 'junior', startedOn: null, history }, now)).toBe(round(1 + 0.25 + 0.25 * 0.5));
  });

  it('is no exposure for selection and no fire in the counts', () => {
    expect(recentExposure({ level: 'junior', history })).toBe(1);
    expect(totalIncidents(history)).toBe(1);
  });

  it('is explained on its own line', () => {
    expect(explainExperience({ level: 'junior', startedOn: null, history }, now)).toContain('1 practice fire in the last 28 days: 1 × 0.25 × 1 = 0.25 points');
  });
});
