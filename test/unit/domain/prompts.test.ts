import { emptyHistory, experienceScore, historyOf, RECENT_DAYS } from '../../../src/domain/experience';
import {
  mentorExperienceLines,
  PLAYBOOKS,
  planPrompts,
  playbookById,
  playbookFor,
  promptCount,
  promptStep,
  REFLECTION_MAX_CHARS,
  validateReflection,
} from '../../../src/domain/prompts';

const now = new Date('2026-11-25T09:00:00Z');
const MIN = 60_000;

describe('playbookFor', () => {
  it.each([
    ['inc-db-replica-lag', 'database'],
    ['incident_postgres_locks', 'database'],
    ['INC-DB-DOWN', 'database'],
    ['inc-2026-11-25-mysql', 'database'],
    ['inc-sec-leaked-key', 'security'],
    ['incident-security-review', 'security'],
    ['inc-checkout-500s', 'default'],
    ['inc-dbt-pipeline', 'default'],
    ['inc-adobe-outage', 'default'],
  ])('gives %s the %s playbook', (channel, playbook) => {
    expect(playbookFor(channel).id).toBe(playbook);
  });

  it('keeps the default last, so that every tailored playbook gets a chance to match', () => {
    expect(PLAYBOOKS.map((p) => p.id)).toEqual(['database', 'security', 'default']);
    expect(PLAYBOOKS.filter((p) => p.match === null)).toHaveLength(1);
  });

  it('gives every playbook the four investigation topics, in order, and two or three mentor ideas', () => {
    for (const playbook of PLAYBOOKS) {
      expect(playbook.questions.map((q) => q.topic)).toEqual(['impact', 'dashboard', 'hypotheses', 'changes']);
      expect(playbook.mentorIdeas.length).toBeGreaterThanOrEqual(2);
      expect(playbook.mentorIdeas.length).toBeLessThanOrEqual(3);
      expect(playbookById(playbook.id)).toBe(playbook);
    }
    expect(playbookById('gone')).toBeUndefined();
  });
});

describe('planPrompts and promptStep', () => {
  const playbook = playbookFor('inc-checkout-500s');
  const [impact, dashboard, hypotheses, changes] = playbook.questions;

  it('lays the default schedule out as orientation, then two questions, then two more', () => {
    const schedule = [0, 10 * MIN, 30 * MIN];
    expect(planPrompts(playbook, schedule)).toEqual([
      { number: 1, delayMs: 0 },
      { number: 2, delayMs: 10 * MIN },
      { number: 3, delayMs: 30 * MIN },
    ]);
    expect(promptStep(playbook, 1, 3)).toEqual({ kind: 'orientation', number: 1, total: 3, tip: playbook.orientationTip });
    expect(promptStep(playbook, 2, 3)).toEqual({ kind: 'investigation', number: 2, total: 3, questions: [impact, dashboard] });
    expect(promptStep(playbook, 3, 3)).toEqual({ kind: 'investigation', number: 3, total: 3, questions: [hypotheses, changes] });
  });

  it('gives earlier prompts the extra question when the questions do not divide evenly', () => {
    expect([2, 3, 4].map((n) => promptStep(playbook, n, 4)!)).toEqual([
      { kind: 'investigation', number: 2, total: 4, questions: [impact, dashboard] },
      { kind: 'investigation', number: 3, total: 4, questions: [hypotheses] },
      { kind: 'investigation', number: 4, total: 4, questions: [changes] },
    ]);
  });

  it('drops schedule entries beyond the playbook instead of sending empty prompts', () => {
    const schedule = [0, 1, 2, 3, 4, 5, 6].map((m) => m * MIN);
    expect(promptCount(playbook, schedule)).toBe(5);
    expect(planPrompts(playbook, schedule).map((p) => p.number)).toEqual([1, 2, 3, 4, 5]);
    expect(promptStep(playbook, 5, 7)).toEqual({ kind: 'investigation', number: 5, total: 5, questions: [changes] });
    expect(promptStep(playbook, 6, 7)).toBeNull();
  });

  it('sends only the orientation on a schedule of one, and every question at once on a schedule of two', () => {
    expect(planPrompts(playbook, [0])).toEqual([{ number: 1, delayMs: 0 }]);
    expect(promptStep(playbook, 2, 1)).toBeNull();
    expect(promptStep(playbook, 2, 2)).toEqual({ kind: 'investigation', number: 2, total: 2, questions: playbook.questions });
  });

  it('has no prompt 0 and no fractional prompts', () => {
    expect(promptStep(playbook, 0, 3)).toBeNull();
    expect(promptStep(playbook, 1.5, 3)).toBeNull();
  });

  it('asks database questions in a database incident', () => {
    const db = playbookFor('inc-db-down');
    const step = promptStep(db, 2, 3);
    expect(step?.kind === 'investigation' && step.questions.map((q) => q.ask)).toEqual(['Which services and queries are hurt?', 'Where are the database\u2019s vital signs?']);
  });
});

describe('mentorExperienceLines', () => {
  it('says when this is their first fire', () => {
    const input = { level: 'junior' as const, startedOn: null, history: emptyHistory() };
    expect(mentorExperienceLines(input, now)).toEqual([
      'Level: junior',
      'This is their first fire.',
      `Experience score: ${experienceScore(input, now)} (lower means less experienced)`,
    ]);
  });

  it('counts earlier fires by role and how many were recent', () => {
    const history = historyOf(
      [
        { role: 'learner', joinedAt: new Date(now.getTime() - 2 * 86_400_000) },
        { role: 'learner', joinedAt: new Date('2025-01-10T10:00:00Z') },
        { role: 'volunteer', joinedAt: new Date(now.getTime() - 3 * 86_400_000) },
      ],
      now,
    );
    const input = { level: 'mid' as const, startedOn: null, history };
    expect(mentorExperienceLines(input, now)).toEqual([
      'Level: mid',
      `Fires before this one: 3 (2 as learner, 1 as volunteer), 2 in the last ${RECENT_DAYS} days`,
      `Experience score: ${experienceScore(input, now)} (lower means less experienced)`,
    ]);
  });
});

describe('validateReflection', () => {
  const good = { whatHappened: ' The primary ran out of disk. ', checkFirst: 'Disk usage graph', learned: 'WAL piles up when a replica lags' };

  it('trims and accepts three answers', () => {
    expect(validateReflection(good)).toEqual({
      ok: true,
      answers: { whatHappened: 'The primary ran out of disk.', checkFirst: 'Disk usage graph', learned: 'WAL piles up when a replica lags' },
    });
  });

  it('refuses empty, blank and missing answers, each with its own message', () => {
    expect(validateReflection({ whatHappened: '   ', checkFirst: null })).toEqual({
      ok: false,
      errors: {
        whatHappened: 'Please write a sentence or two about what happened.',
        checkFirst: 'Please name one thing you would check first next time.',
        learned: 'Please write down one thing you learned.',
      },
    });
  });

  it('refuses an oversized answer and says how long it is', () => {
    const long = 'x'.repeat(REFLECTION_MAX_CHARS + 1);
    expect(validateReflection({ ...good, learned: long })).toEqual({
      ok: false,
      errors: { learned: `Please keep this under ${REFLECTION_MAX_CHARS} characters (it has ${REFLECTION_MAX_CHARS + 1}).` },
    });
    expect(validateReflection({ ...good, learned: 'x'.repeat(REFLECTION_MAX_CHARS) }).ok).toBe(true);
  });
});
