import { composeDigest, learningWeek, trendLine, type DigestInput, type LearningFact, type ParticipationFact } from '../../../src/domain/digest';
import { digestDueAt, lastDueWeek, parseWeekStart, weekBounds, weekStartOf } from '../../../src/domain/iso-week';

const MON_0900 = { weekday: 1, minute: 9 * 60 };
const at = (iso: string) => new Date(iso);

describe('ISO weeks in a person’s own time zone', () => {
  it('accepts a Monday and explains anything else', () => {
    expect(parseWeekStart('2026-11-16')).toBe('2026-11-16');
    expect(() => parseWeekStart('2026-11-18')).toThrow('2026-11-18 is a Wednesday; an ISO week starts on a Monday (that week starts on 2026-11-16)');
    expect(() => parseWeekStart('2026-11-22')).toThrow('2026-11-22 is a Sunday; an ISO week starts on a Monday (that week starts on 2026-11-16)');
    expect(() => parseWeekStart('2026-02-30')).toThrow('"2026-02-30" is not a date like 2026-11-16 (YYYY-MM-DD)');
    expect(() => parseWeekStart('16/11/2026')).toThrow('"16/11/2026" is not a date like 2026-11-16 (YYYY-MM-DD)');
  });

  it('puts the same instant in different weeks in different zones', () => {
    // Sunday 22 Nov 20:30 UTC is already Monday in Auckland (09:30) and Kolkata (02:00).
    const instant = at('2026-11-22T20:30:00Z');
    expect(weekStartOf(instant, 'Pacific/Auckland')).toBe('2026-11-23');
    expect(weekStartOf(instant, 'Asia/Kolkata')).toBe('2026-11-23');
    expect(weekStartOf(instant, 'Europe/Berlin')).toBe('2026-11-16');
    expect(weekStartOf(instant, 'America/Los_Angeles')).toBe('2026-11-16');
    expect(weekStartOf(instant, 'Not/AZone')).toBe('2026-11-16');
  });

  it('gives a week with a daylight-saving change its real length', () => {
    // Berlin leaves summer time on Sunday 25 Oct 2026: that week lasts 169 hours.
    expect(weekBounds('2026-10-19', 'Europe/Berlin')).toEqual({ start: at('2026-10-18T22:00:00Z'), end: at('2026-10-25T23:00:00Z') });
    // Los Angeles does on Sunday 1 Nov 2026.
    expect(weekBounds('2026-10-26', 'America/Los_Angeles')).toEqual({ start: at('2026-10-26T07:00:00Z'), end: at('2026-11-02T08:00:00Z') });
  });

  it('falls due at the schedule’s local time once the week is over', () => {
    expect(digestDueAt('2026-11-16', 'Pacific/Auckland', MON_0900)).toEqual(at('2026-11-22T20:00:00Z'));
    expect(digestDueAt('2026-11-16', 'Asia/Kolkata', MON_0900)).toEqual(at('2026-11-23T03:30:00Z'));
    expect(digestDueAt('2026-11-16', 'Europe/Berlin', MON_0900)).toEqual(at('2026-11-23T08:00:00Z'));
    expect(digestDueAt('2026-11-16', 'America/Los_Angeles', MON_0900)).toEqual(at('2026-11-23T17:00:00Z'));
    // After the change, 09:00 is an hour later in UTC than the week before.
    expect(digestDueAt('2026-10-19', 'Europe/Berlin', MON_0900)).toEqual(at('2026-10-26T08:00:00Z'));
    expect(digestDueAt('2026-10-12', 'Europe/Berlin', MON_0900)).toEqual(at('2026-10-19T07:00:00Z'));
    expect(digestDueAt('2026-10-26', 'America/Los_Angeles', MON_0900)).toEqual(at('2026-11-02T17:00:00Z'));
    // Another schedule: the first Sunday 18:00 after the week is over.
    expect(digestDueAt('2026-11-16', 'Europe/Berlin', { weekday: 0, minute: 18 * 60 })).toEqual(at('2026-11-29T17:00:00Z'));
  });

  it('knows the latest week due, not before its minute', () => {
    expect(lastDueWeek(at('2026-10-26T07:59:00Z'), 'Europe/Berlin', MON_0900)).toEqual({ weekStart: '2026-10-12', dueAt: at('2026-10-19T07:00:00Z') });
    expect(lastDueWeek(at('2026-10-26T08:00:00Z'), 'Europe/Berlin', MON_0900)).toEqual({ weekStart: '2026-10-19', dueAt: at('2026-10-26T08:00:00Z') });
    expect(lastDueWeek(at('2026-11-22T20:00:00Z'), 'Pacific/Auckland', MON_0900)).toEqual({ weekStart: '2026-11-16', dueAt: at('2026-11-22T20:00:00Z') });
    expect(lastDueWeek(at('2026-11-22T20:00:00Z'), 'America/Los_Angeles', MON_0900)).toEqual({ weekStart: '2026-11-09', dueAt: at('2026-11-16T17:00:00Z') });
  });
});

describe('trendLine', () => {
  it('draws eight weeks relative to the busiest, with ▁ for none', () => {
    expect(trendLine([0, 0, 1, 0, 3, 2, 0, 1])).toBe('▁▁▃▁█▆▁▃');
    expect(trendLine([0, 0, 0, 0, 0, 0, 0, 0])).toBe('▁▁▁▁▁▁▁▁');
    expect(trendLine([1, 1, 1, 1, 1, 1, 1, 1])).toBe('████████');
    expect(trendLine([10, 0, 0, 0, 0, 0, 0, 1])).toBe('█▁▁▁▁▁▁▂');
  });
});

const jo = { id: 7, slackId: 'U0JO', name: 'Jo', timeZone: 'Europe/Berlin', level: 'junior' as const, knownSince: new Date('2026-01-05T00:00:00Z') };
const incident = (incidentId: number, channelName: string) => ({ incidentId, channelId: `C0${incidentId}`, channelName });

function participation(p: Partial<ParticipationFact> & { incidentId: number; joinedAt: Date }): ParticipationFact {
  return { ...incident(p.incidentId, `inc-${p.incidentId}`), role: 'learner', leftAt: null, resolvedAt: null, ...p };
}

function learning(l: Partial<LearningFact> & { incidentId: number; createdAt: Date }): LearningFact {
  return { ...incident(l.incidentId, `inc-${l.incidentId}`), learned: `learned in ${l.incidentId}`, joinedAt: null, ...l };
}

describe('composeDigest', () => {
  // The week of 19 Oct 2026 in Berlin, with the change back to winter time on its last day.
  const base: DigestInput = {
    person: jo,
    weekStart: '2026-10-19',
    schedule: MON_0900,
    now: at('2026-10-26T08:00:00Z'),
    participations: [
      // Tuesday 14:05 CEST, left after 80 minutes; resolved later.
      participation({ incidentId: 1, channelName: 'inc-db-down', joinedAt: at('2026-10-20T12:05:00Z'), leftAt: at('2026-10-20T13:25:00Z'), resolvedAt: at('2026-10-20T14:00:00Z') }),
      // Sunday 23:30 CET: still this week, and still open when it ends half an hour later.
      participation({ incidentId: 2, channelName: 'inc-late', role: 'volunteer', joinedAt: at('2026-10-25T22:30:00Z') }),
      // Monday 00:10 CET: next week.
      participation({ incidentId: 3, joinedAt: at('2026-10-25T23:10:00Z') }),
      // Earlier weeks, for the trend: 6 Oct, and 1 Sep (the first of the eight weeks).
      participation({ incidentId: 4, role: 'responder', joinedAt: at('2026-10-06T10:00:00Z'), resolvedAt: at('2026-10-06T12:00:00Z') }),
      participation({ incidentId: 5, joinedAt: at('2026-09-01T10:00:00Z'), resolvedAt: at('2026-09-01T12:00:00Z') }),
      // Sunday 30 Aug: before the eight weeks.
      participation({ incidentId: 6, joinedAt: at('2026-08-30T10:00:00Z') }),
    ],
    learnings: [
      learning({ incidentId: 1, learned: 'Check the connection pool first.', createdAt: at('2026-10-20T15:00:00Z'), joinedAt: at('2026-10-20T12:05:00Z') }),
      // About 6 Oct, written this week: shown this week.
      learning({ incidentId: 4, learned: 'Replication lag shows on the second dashboard.', createdAt: at('2026-10-21T09:00:00Z'), joinedAt: at('2026-10-06T10:00:00Z') }),
    ],
  };

  it('sums up the week: incidents in local time, time spent, learnings, trend and a next step', () => {
    expect(composeDigest(base)).toEqual({
      person: { slackId: 'U0JO', name: 'Jo', timeZone: 'Europe/Berlin' },
      weekStart: '2026-10-19',
      weekEnd: '2026-10-25',
      soFar: false,
      kind: 'summary',
      content: ['fires', 'reflections'],
      quarter: null,
      incidents: [
        { incidentId: 1, channelId: 'C01', channelName: 'inc-db-down', role: 'learner', joinedAt: at('2026-10-20T12:05:00Z'), joinedLocal: 'Tue 20 Oct, 14:05', minutes: 80, open: false },
        { incidentId: 2, channelId: 'C02', channelName: 'inc-late', role: 'volunteer', joinedAt: at('2026-10-25T22:30:00Z'), joinedLocal: 'Sun 25 Oct, 23:30', minutes: 30, open: true },
      ],
      totalMinutes: 110,
      learnings: [
        { incidentId: 1, channelId: 'C01', channelName: 'inc-1', learned: 'Check the connection pool first.' },
        { incidentId: 4, channelId: 'C04', channelName: 'inc-4', learned: 'Replication lag shows on the second dashboard.' },
      ],
      trend: { counts: [1, 0, 0, 0, 0, 1, 0, 2], line: '▅▁▁▁▁▅▁█' },
      nextStep: { kind: 'take-a-step' },
    });
  });

  it('shows a learning written before the digest beside its incident, and only there', () => {
    // Joined Sunday 18 Oct (week of 12 Oct), written Monday 19 Oct 08:00 CEST, before that week's digest at 09:00.
    const early = learning({ incidentId: 9, createdAt: at('2026-10-19T06:00:00Z'), joinedAt: at('2026-10-18T18:00:00Z') });
    expect(learningWeek(early, 'Europe/Berlin', MON_0900)).toBe('2026-10-12');
    expect(composeDigest({ ...base, learnings: [early] }).learnings).toEqual([]);
    // Written at 09:30, after it went out: it belongs to the week it was written in.
    const late = { ...early, createdAt: at('2026-10-19T07:30:00Z') };
    expect(learningWeek(late, 'Europe/Berlin', MON_0900)).toBe('2026-10-19');
    expect(composeDigest({ ...base, learnings: [late] }).learnings).toEqual([{ incidentId: 9, channelId: 'C09', channelName: 'inc-9', learned: 'learned in 9' }]);
  });

  it('asks for a reflection on the latest resolved incident that has none', () => {
    const summary = composeDigest({ ...base, learnings: [] });
    expect(summary.nextStep).toEqual({ kind: 'reflect', incident: { incidentId: 1, channelId: 'C01', channelName: 'inc-db-down' } });
  });

  it('chooses the next step from the roles of the week', () => {
    const week = (role: ParticipationFact['role'], extra: ParticipationFact[] = []) =>
      composeDigest({ ...base, learnings: [], participations: [participation({ incidentId: 1, role, joinedAt: at('2026-10-20T12:05:00Z') }), ...extra] }).nextStep;
    expect(week('mentor')).toEqual({ kind: 'mentor' });
    expect(week('responder')).toEqual({ kind: 'narrate' });
    expect(week('learner')).toEqual({ kind: 'ask' });
    expect(week('learner', [participation({ incidentId: 8, joinedAt: at('2026-10-01T10:00:00Z') }), participation({ incidentId: 9, joinedAt: at('2026-09-20T10:00:00Z') })])).toEqual({ kind: 'take-a-step' });
  });

  it('is quiet for someone who joined nothing and wrote nothing, long after their one invitation', () => {
    expect(composeDigest({ ...base, participations: [], learnings: [] })).toMatchObject({ kind: 'quiet', content: [], quarter: null });
  });

  it('invites a junior once, in the week that ends 4 weeks or more after their last fire (or after the app first knew them)', () => {
    // Berlin's week of 19 Oct runs from 18 Oct 22:00 UTC to 25 Oct 23:00 UTC.
    const lastFire = participation({ incidentId: 9, joinedAt: at('2026-09-22T12:00:00Z'), resolvedAt: at('2026-09-22T13:00:00Z') });
    const week = (weekStart: string, now: string) => composeDigest({ ...base, weekStart, now: at(now), participations: [lastFire], learnings: [] }).kind;
    expect([week('2026-10-12', '2026-10-19T08:00:00Z'), week('2026-10-19', '2026-10-26T08:00:00Z'), week('2026-10-26', '2026-11-02T08:00:00Z')]).toEqual(['quiet', 'invitation', 'quiet']);
    // Nobody above junior level is invited; someone the app has known for only two weeks is not yet.
    expect(composeDigest({ ...base, person: { ...jo, level: 'mid' }, participations: [lastFire], learnings: [] }).kind).toBe('quiet');
    expect(composeDigest({ ...base, person: { ...jo, knownSince: at('2026-10-12T09:00:00Z') }, participations: [], learnings: [] }).kind).toBe('quiet');
    expect(composeDigest({ ...base, person: { ...jo, knownSince: at('2026-09-22T12:00:00Z') }, participations: [], learnings: [] })).toEqual({
      person: { slackId: 'U0JO', name: 'Jo', timeZone: 'Europe/Berlin' },
      weekStart: '2026-10-19',
      weekEnd: '2026-10-25',
      soFar: false,
      kind: 'invitation',
      content: [],
      quarter: null,
      incidents: [],
      totalMinutes: 0,
      learnings: [],
      trend: { counts: [0, 0, 0, 0, 0, 0, 0, 0], line: '▁▁▁▁▁▁▁▁' },
      nextStep: { kind: 'volunteer' },
    });
  });

  it('gives the current week so far, counting open incidents up to now', () => {
    const summary = composeDigest({ ...base, now: at('2026-10-20T13:00:00Z') });
    expect(summary.soFar).toBe(true);
    expect(summary.incidents).toEqual([
      { incidentId: 1, channelId: 'C01', channelName: 'inc-db-down', role: 'learner', joinedAt: at('2026-10-20T12:05:00Z'), joinedLocal: 'Tue 20 Oct, 14:05', minutes: 55, open: true },
    ]);
    expect(summary.learnings).toEqual([]);
    expect(summary.trend.counts).toEqual([1, 0, 0, 0, 0, 1, 0, 1]);
  });

  it('uses the person’s own zone for the week and the local join time (Los Angeles, DST week)', () => {
    const summary = composeDigest({
      person: { ...jo, timeZone: 'America/Los_Angeles' },
      weekStart: '2026-10-26',
      schedule: MON_0900,
      now: at('2026-11-02T17:00:00Z'),
      participations: [
        participation({ incidentId: 1, joinedAt: at('2026-11-02T07:30:00Z'), leftAt: at('2026-11-02T07:45:00Z') }),
        participation({ incidentId: 2, joinedAt: at('2026-11-02T08:10:00Z') }),
      ],
      learnings: [],
    });
    expect(summary.incidents.map((i) => [i.incidentId, i.joinedLocal, i.minutes])).toEqual([[1, 'Sun 1 Nov, 23:30', 15]]);
    expect(summary.person.timeZone).toBe('America/Los_Angeles');
  });
});

describe('composeDigest with practice fires', () => {
  const input: DigestInput = { person: jo, weekStart: '2026-10-19', schedule: MON_0900, now: at('2026-10-26T08:00:00Z'), participations: [], learnings: [] };

  it('counts the practices finished in the week apart from the fires, and leaves the fires alone', () => {
    const practicesFinishedAt = [at('2026-10-20T10:00:00Z'), at('2026-10-25T22:59:00Z'), at('2026-10-12T10:00:00Z'), at('2026-10-25T23:10:00Z')];
    const summary = composeDigest({ ...input, practicesFinishedAt });
    expect(summary.practices).toBe(2);
    expect(summary.incidents).toEqual([]);
    expect(summary.trend.counts).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('has no practices field when there were none', () => {
    expect(composeDigest(input)).not.toHaveProperty('practices');
  });
});
