import { figureLines } from '../../../src/domain/report-text';
import { exposureReport, groupFigures, personWeekRows, reportsOf, type ReportInput, type ReportPerson, type ReportParticipation } from '../../../src/domain/report';

// Wednesday; this ISO week started on Monday 2026-11-23.
const now = new Date('2026-11-25T12:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(now.getTime() - days * DAY);
const longAgo = new Date('2026-01-01T00:00:00Z');

function person(slackId: string, level: ReportPerson['level'], extra: Partial<ReportPerson> = {}): ReportPerson {
  return { slackId, name: slackId.toLowerCase(), level, startedOn: null, firstSeen: longAgo, optedOut: false, team: null, manager: null, ...extra };
}
const fire = (slackId: string, at: Date, role: ReportParticipation['role'] = 'learner', stayedMs: number | null = null): ReportParticipation => ({
  slackId, role, at, joinedAt: at, leftAt: stayedMs === null ? null : new Date(at.getTime() + stayedMs),
});

const people = [
  person('J1', 'junior', { team: 'A', manager: 'U0MANAGE1' }),
  person('J2', 'junior', { team: 'A', manager: 'm1@example.com' }),
  person('J3', 'junior', { team: 'B' }),
  person('J4', 'junior', { team: 'B', optedOut: true }),
  person('N1', 'junior', { startedOn: new Date('2026-11-05T00:00:00Z'), firstSeen: new Date('2026-11-05T00:00:00Z') }),
  person('N2', 'mid', { startedOn: new Date('2026-10-01T00:00:00Z') }),
  person('N3', 'mid', { startedOn: new Date('2026-10-26T00:00:00Z') }),
  person('S1', 'senior'),
  person('S2', 'staff'),
];

const input: ReportInput = {
  now,
  weeks: 13,
  people,
  participations: [
    fire('J1', ago(1)), fire('J1', ago(10)), fire('J1', ago(40)),
    fire('J2', ago(35), 'volunteer', 2 * 60_000),
    fire('J4', ago(3)),
    fire('N1', new Date('2026-11-07T12:00:00Z')),
    fire('N3', new Date('2026-10-27T00:00:00Z')),
    // A responder who left at once is not a learner who left early.
    fire('S1', ago(1), 'responder', 60_000),
    // Before the period: no figure counts it.
    fire('J3', ago(100)),
  ],
  mentoring: [
    { slackId: 'S1', at: ago(1) }, { slackId: 'S1', at: ago(10) }, { slackId: 'S1', at: ago(40) }, { slackId: 'S1', at: ago(100) },
    { slackId: 'S2', at: ago(1) },
  ],
  learnings: [{ slackId: 'J1', at: ago(1) }, { slackId: 'N1', at: new Date('2026-11-08T10:00:00Z') }, { slackId: 'J1', at: ago(100) }],
  happenings: [
    { kind: 'offers_declined', slackId: 'J2', at: ago(2) }, { kind: 'offers_declined', slackId: 'J2', at: ago(9) },
    { kind: 'no_learners_presses', slackId: 'S1', at: ago(1) },
    { kind: 'stages_reached', slackId: 'J1', at: ago(1) },
    // Before the period, and someone outside the group: neither counts.
    { kind: 'offers_declined', slackId: 'J1', at: ago(100) }, { kind: 'stages_reached', slackId: 'X9', at: ago(1) },
  ],
};

describe('the exposure report, worked by hand', () => {
  const all = groupFigures(input, people);

  it('coverage: juniors employed all of the last 4 weeks and not opted out, with a fire in them', () => {
    // Counted: J1, J2, J3 (J4 opted out; N1 started 20 days ago). Only J1 had a fire in the last 28 days.
    expect(all.coverage).toEqual({
      share: 0.333, measured: 3, covered: 1,
      without: [{ slackId: 'J2', name: 'j2' }, { slackId: 'J3', name: 'j3' }],
      optedOut: 1,
    });
  });

  it('Gini of fires per week employed, over juniors employed at least 4 weeks (fairness.ts)', () => {
    // J1 3/13, J2 1/13, J3 0: sum |xi - xj| = 12, 2 n^2 mean = 2 * 9 * 4/3 = 24, so 0.5.
    expect(all.gini).toEqual({ value: 0.5, juniors: 3 });
  });

  it('time to first fire for people who started in the last 90 days; none counts as never', () => {
    expect(all.firstFire.people.map((p) => [p.slackId, p.days])).toEqual([['N1', 2.5], ['N2', null], ['N3', 1]]);
    // 1, 2.5, never: the median is 2.5.
    expect(all.firstFire.medianDays).toBe(2.5);
  });

  it('mentor load: turns this week and over the period, median of weekly means and the most in one week', () => {
    expect(all.mentorLoad.mentors).toEqual([{ slackId: 'S1', name: 's1', thisWeek: 1, period: 3 }, { slackId: 'S2', name: 's2', thisWeek: 1, period: 1 }]);
    // S1 3/13 = 0.231, S2 1/13 = 0.077: median 0.154; nobody mentored twice in one week.
    expect(all.mentorLoad.median).toBe(0.15);
    expect(all.mentorLoad.max).toBe(1);
  });

  it('fires, roles, learners who left within 5 minutes and reflections written in the period', () => {
    expect(all.fires).toBe(7);
    expect(all.byRole).toEqual({ learner: 6, volunteer: 1, responder: 1, mentor: 0 });
    expect(all.leftWithin5m).toBe(1);
    expect(all.reflections).toBe(2);
  });

  it('offers declined, "No learners this time" presses and stages reached, by whom and when', () => {
    expect(all.happenings).toEqual({ offers_declined: 2, no_learners_presses: 1, stages_reached: 1 });
    const rows = personWeekRows(input);
    expect(rows.find((r) => r.slackId === 'J2' && r.week === '2026-11-16')!.happenings.offers_declined).toBe(1);
    expect(rows.find((r) => r.slackId === 'S1' && r.week === '2026-11-23')!.happenings.no_learners_presses).toBe(1);
  });

  it('splits by team, people without one under "(no team)", ', () => {
    const report = exposureReport(input, 'everyone');
    expect(report.teams.map((t) => [t.team, t.figures.people])).toEqual([['A', 2], ['B', 2], ['(no team)', 5]]);
    const a = report.teams[0]!.figures;
    // J1 3/13 and J2 1/13: sum |xi - xj| = 4, 2 n^2 mean = 16.
    expect([a.coverage.share, a.gini.value, a.fires]).toEqual([0.5, 0.25, 4]);
  });

  it('weekly exposure by role over 13 ISO weeks, the current one last', () => {
    const { weekly } = exposureReport(input, 'everyone');
    expect(weekly).toHaveLength(13);
    expect(weekly.at(-1)).toEqual({ week: '2026-11-23', byRole: { learner: 1, volunteer: 0, responder: 1, mentor: 0 } });
    // J4 on Sunday 22nd and J1 ten days ago (Sunday 15th) fall in the weeks before.
    expect(weekly.at(-2)).toEqual({ week: '2026-11-16', byRole: { learner: 1, volunteer: 0, responder: 0, mentor: 0 } });
    expect(weekly.at(-3)).toEqual({ week: '2026-11-09', byRole: { learner: 1, volunteer: 0, responder: 0, mentor: 0 } });
    expect(weekly[0]!.week).toBe('2026-08-31');
    expect(weekly.reduce((n, w) => n + w.byRole.learner + w.byRole.volunteer, 0)).toBe(7);
  });

  it('one CSV row per person and week', () => {
    const rows = personWeekRows(input);
    expect(rows).toHaveLength(9 * 13);
    const j2 = rows.find((r) => r.slackId === 'J2' && r.week === '2026-10-19')!;
    expect([j2.byRole.volunteer, j2.fires, j2.leftWithin5m, j2.team, j2.manager]).toEqual([1, 1, 1, 'A', 'm1@example.com']);
    const s1 = rows.find((r) => r.slackId === 'S1' && r.week === '2026-11-23')!;
    expect([s1.mentoring, s1.byRole.responder, s1.fires]).toEqual([1, 1, 0]);
  });

  it("a manager's reports are named by their Slack ID or their email", () => {
    expect(reportsOf(people, { slackId: 'U0MANAGE1', email: 'M1@example.com' }).map((p) => p.slackId)).toEqual(['J1', 'J2']);
    expect(reportsOf(people, { slackId: 'U0NOBODY1', email: null })).toEqual([]);
  });
});

describe('practice fires in the report', () => {
  it('shows coverage with practice fires beside real coverage, over the same juniors, and leaves every fire figure alone', () => {
    // J2 practised 5 days ago, J4 (opted out) too, J3 before the 4 weeks: only J2 is newly covered.
    const practices = [{ slackId: 'J2', at: ago(5) }, { slackId: 'J4', at: ago(5) }, { slackId: 'J3', at: ago(40) }];
    const withPractice = groupFigures({ ...input, practices }, people);
    const without = groupFigures(input, people);
    expect(withPractice.practiceCoverage).toEqual({ share: 0.667, covered: 2, practices: 3 });
    expect(withPractice.coverage).toEqual(without.coverage);
    expect([withPractice.fires, withPractice.gini, withPractice.byRole]).toEqual([without.fires, without.gini, without.byRole]);
    expect(without.practiceCoverage).toEqual({ share: 0.333, covered: 1, practices: 0 });
    expect(figureLines(withPractice, 'md')[2]).toBe('**Coverage with practice fires**: 2 of 3 juniors had a fire or a practice fire in the last 4 weeks (67%); 3 practice fires finished in the period');
    expect(figureLines(without, 'md').join('\n')).not.toContain('practice');
  });
});
