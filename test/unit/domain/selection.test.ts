import { chooseLearners, type Candidate, type SelectionRules } from '../../../src/domain/selection';
import { emptyHistory, historyOf, RECENT_DAYS, type Role } from '../../../src/domain/experience';
import { parseWorkingDays, parseWorkingHours } from '../../../src/domain/working-time';
import { DEFAULT_AWAY_STATUS_PATTERN } from '../../../src/domain/availability';
import { DEFAULT_LEARNERS_BY_SEVERITY, parseLearnersBySeverity } from '../../../src/domain/severity';

const rules: SelectionRules = {
  invitesPerIncident: 2,
  maxVolunteersPerIncident: 3,
  maxAutoInvitesPerWeek: 2,
  workingTime: { hours: parseWorkingHours('09:00-18:00'), days: parseWorkingDays('Mon-Fri') },
  awayStatusPattern: new RegExp(DEFAULT_AWAY_STATUS_PATTERN, 'i'),
  learnersBySeverity: parseLearnersBySeverity(DEFAULT_LEARNERS_BY_SEVERITY),
  // Off here: most cases below are about ranking, in a channel whose creator is not on the roster.
  maxLearnersPerResponder: 0,
};

function person(slackId: string, over: Partial<Candidate> = {}): Candidate {
  return {
    slackId, name: slackId, timeZone: 'Europe/Berlin', level: 'junior', startedOn: null, isMentor: false,
    optedOut: false, active: true, history: emptyHistory(), lastJoinedAt: null, autoInvitesLast7d: 0,
    volunteerUntil: null, status: null, learningElsewhere: false, ...over,
  };
}

// Wednesday 2026-11-25 10:00 in Berlin (09:00 UTC)
const wednesdayMorningBerlin = new Date('2026-11-25T09:00:00Z');

function choose(candidates: Candidate[], now = wednesdayMorningBerlin, members: string[] = ['UCREATOR']) {
  return chooseLearners({ candidates, channelMembers: new Set(members), creatorId: 'UCREATOR', now, rules });
}

describe('chooseLearners', () => {
  it('invites the least experienced eligible people, two by default', () => {
    const veteran = historyOf([{ role: 'learner', joinedAt: new Date('2026-11-01') }], wednesdayMorningBerlin);
    const result = choose([person('UA', { history: veteran, lastJoinedAt: new Date('2026-11-01') }), person('UB'), person('UC'), person('UD', { level: 'senior' })]);
    expect(result.learners.map((l) => l.slackId)).toEqual(['UB', 'UC']);
    expect(result.learners.every((l) => l.source === 'auto_invite')).toBe(true);
  });

  it('returns nobody for an empty roster, and no mentor: the creator is not the mentor for being the creator', () => {
    expect(choose([])).toEqual({
      learners: [], mentor: null,
      excluded: { inactive: 0, opted_out: 0, in_channel: 0, away: 0, learning_elsewhere: 0, outside_hours: 0, weekly_cap: 0 },
      cap: { limit: null, by: null },
    });
  });

  it('leaves out opted-out, inactive (bots, guests, deleted), capped and in-channel people', () => {
    const result = choose([
      person('UOPT', { optedOut: true }),
      person('UBOT', { active: false }),
      person('UCAP', { autoInvitesLast7d: 2 }),
      person('UCREATOR'),
      person('UOK'),
    ]);
    expect(result.learners.map((l) => l.slackId)).toEqual(['UOK']);
    expect(result.excluded).toEqual({ inactive: 1, opted_out: 1, in_channel: 1, away: 0, learning_elsewhere: 0, outside_hours: 0, weekly_cap: 1 });
  });

  it('uses each person\'s own time zone on both sides of midnight', () => {
    // 09:00 UTC Wednesday: 10:00 in Berlin, 01:00 in Los Angeles, 22:00 in Auckland, 14:30 in Kolkata
    const result = choose([
      person('ULA', { timeZone: 'America/Los_Angeles' }),
      person('UAKL', { timeZone: 'Pacific/Auckland' }),
      person('UKOL', { timeZone: 'Asia/Kolkata' }),
    ]);
    expect(result.learners.map((l) => l.slackId)).toEqual(['UKOL']);
    expect(result.excluded.outside_hours).toBe(2);
  });

  it('applies working days locally: Friday evening UTC is Saturday in Auckland', () => {
    const fridayUtc = new Date('2026-11-27T21:30:00Z'); // Sat 10:30 in Auckland, Fri 13:30 in LA
    const result = choose([person('UAKL', { timeZone: 'Pacific/Auckland' }), person('ULA', { timeZone: 'America/Los_Angeles' })], fridayUtc);
    expect(result.learners.map((l) => l.slackId)).toEqual(['ULA']);
  });

  it('follows a DST change: 08:30 UTC is 09:30 in Berlin before the switch and 10:30 after', () => {
    const startAt = { hours: parseWorkingHours('10:00-18:00'), days: parseWorkingDays('Mon-Sun') };
    const before = new Date('2026-03-27T08:30:00Z'); // CET, UTC+1: 09:30 local
    const after = new Date('2026-03-30T08:30:00Z'); // CEST, UTC+2: 10:30 local
    const pick = (now: Date) => chooseLearners({ candidates: [person('UB')], channelMembers: new Set(), creatorId: null, now, rules: { ...rules, workingTime: startAt } });
    expect(pick(before).learners).toHaveLength(0);
    expect(pick(after).learners.map((l) => l.slackId)).toEqual(['UB']);
  });

  it('breaks ties by who joined least recently, then by id, deterministically', () => {
    const h = (d: string) => historyOf([{ role: 'learner', joinedAt: new Date(d) }], wednesdayMorningBerlin);
    const candidates = [
      person('UZ', { history: h('2026-11-20'), lastJoinedAt: new Date('2026-11-20') }),
      person('UY', { history: h('2026-11-10'), lastJoinedAt: new Date('2026-11-10') }),
      person('UX', { history: h('2026-11-20'), lastJoinedAt: new Date('2026-11-20') }),
    ];
    expect(choose(candidates).learners.map((l) => l.slackId)).toEqual(['UY', 'UX']);
    expect(choose([...candidates].reverse()).learners.map((l) => l.slackId)).toEqual(['UY', 'UX']);
  });

  describe('orders by recent exposure, then by waiting time, then by experience score (SPEC.md 10.1)', () => {
    const daysAgo = (n: number) => new Date(wednesdayMorningBerlin.getTime() - n * 86_400_000);
    const withFires = (slackId: string, ages: number[], over: Partial<Candidate> = {}, role: Role = 'learner') =>
      person(slackId, {
        history: historyOf(ages.map((age) => ({ role, joinedAt: daysAgo(age) })), wednesdayMorningBerlin),
        lastJoinedAt: ages.length ? daysAgo(Math.min(...ages)) : null,
        ...over,
      });

    it('lets a new hire with one fire rotate with everyone instead of going first until their lifetime total catches up', () => {
      const candidates = [
        withFires('UVETERAN', [RECENT_DAYS + 12, RECENT_DAYS + 40, RECENT_DAYS + 60]), // 3 fires, none lately
        withFires('UNEWHIRE', [2]),
        withFires('UOTHER', [10]),
      ];
      // by lifetime score the new hire (1 point) would beat the veteran (1.5 points)
      expect(choose(candidates).learners.map((l) => l.slackId)).toEqual(['UVETERAN', 'UOTHER']);
    });

    it('among equal recent exposure, invites whoever has waited longest, even with more fires in total', () => {
      const result = choose([withFires('UFEW', [5]), withFires('UMANY', [20, 120, 150, 200, 250, 300])]);
      expect(result.learners.map((l) => l.slackId)).toEqual(['UMANY', 'UFEW']);
      expect(result.learners[0]!.reason).toBe(`among the least experienced people in working hours right now (1 fire in the last ${RECENT_DAYS} days, experience score 3.5)`);
    });

    it('keeps the level base in recent exposure: a mid waits behind juniors until a junior has had 8 points of fires lately', () => {
      const oneInvite = { ...rules, invitesPerIncident: 1 };
      const pick = (candidates: Candidate[]) => chooseLearners({ candidates, channelMembers: new Set(), creatorId: null, now: wednesdayMorningBerlin, rules: oneInvite }).learners.map((l) => l.slackId);
      expect(pick([person('UMID', { level: 'mid' }), withFires('UJUNIOR', [3, 9, 15, 20])])).toEqual(['UJUNIOR']);
      expect(pick([person('UMID', { level: 'mid' }), withFires('UBUSY', [9, 11, 13, 15, 17, 19, 21, 23, 25])])).toEqual(['UMID']);
    });

    it('among people who never joined a fire, invites the newest first', () => {
      const result = choose([
        person('ULONGSERVING', { startedOn: daysAgo(3 * 365 + 10) }),
        person('UNEW', { startedOn: daysAgo(20) }),
        person('UMIDDLE', { startedOn: daysAgo(400) }),
      ]);
      expect(result.learners.map((l) => l.slackId)).toEqual(['UNEW', 'UMIDDLE']);
    });
  });

  it('puts active volunteers first, even opted-out ones, up to the volunteer cap, outside the weekly cap', () => {
    const until = new Date('2026-11-25T17:00:00Z');
    const experienced = historyOf([{ role: 'responder', joinedAt: new Date('2026-11-01') }], wednesdayMorningBerlin);
    const result = choose([
      person('UNEW'),
      person('UNEW2'),
      person('UVOL', { volunteerUntil: until, history: experienced, lastJoinedAt: new Date('2026-11-01'), optedOut: true, autoInvitesLast7d: 5 }),
      person('UEXPIRED', { volunteerUntil: new Date('2026-11-25T08:00:00Z'), level: 'senior' }),
    ]);
    expect(result.learners.map((l) => [l.slackId, l.source])).toEqual([['UVOL', 'volunteer'], ['UNEW', 'auto_invite'], ['UNEW2', 'auto_invite']]);
  });

  it('names a mentor-flagged person in the channel before a senior, and never a learner', () => {
    const result = choose(
      [person('USEN', { level: 'senior' }), person('UMEN', { level: 'mid', isMentor: true }), person('UJ')],
      wednesdayMorningBerlin,
      ['UCREATOR', 'USEN', 'UMEN'],
    );
    expect(result.mentor).toEqual({ slackId: 'UMEN', reason: 'mentor' });
    const seniorOnly = choose([person('USEN', { level: 'staff' }), person('UJ')], wednesdayMorningBerlin, ['UCREATOR', 'USEN']);
    expect(seniorOnly.mentor).toEqual({ slackId: 'USEN', reason: 'senior' });
  });

  it('never names the lead as mentor, however senior; nor a senior creator who leads', () => {
    const people = [person('ULEAD', { level: 'staff', isMentor: true }), person('USEN', { level: 'senior' }), person('UJ')];
    const members = new Set(['UBOT', 'ULEAD', 'USEN']);
    const withLead = chooseLearners({ candidates: people, channelMembers: members, creatorId: 'UBOT', leadId: 'ULEAD', now: wednesdayMorningBerlin, rules });
    expect(withLead.mentor).toEqual({ slackId: 'USEN', reason: 'senior' });
    const leadAlone = chooseLearners({ candidates: people, channelMembers: new Set(['ULEAD']), creatorId: 'ULEAD', leadId: 'ULEAD', now: wednesdayMorningBerlin, rules });
    expect(leadAlone.mentor).toBeNull();
  });
});

describe('chooseLearners reads the incident: severity, size, availability', () => {
  const until = new Date('2026-11-25T17:00:00Z');
  const juniors = ['UJ1', 'UJ2', 'UJ3', 'UJ4'].map((id) => person(id));
  const volunteers = ['UV1', 'UV2', 'UV3'].map((id) => person(id, { volunteerUntil: until }));
  const responders = [person('UR1', { level: 'senior' }), person('UR2', { level: 'mid' })];
  const sized = { ...rules, maxLearnersPerResponder: 1 };
  const pick = (severity: number | null, members: string[], candidates = [...juniors, ...responders], r: SelectionRules = rules) =>
    chooseLearners({ candidates, channelMembers: new Set(members), creatorId: null, severity, now: wednesdayMorningBerlin, rules: r });

  it('caps a known severity, volunteers included: sev0 none, sev1 one, sev3 two', () => {
    expect(pick(0, ['UR1']).learners).toEqual([]);
    expect(pick(1, ['UR1'], [...volunteers, ...juniors]).learners.map((l) => l.slackId)).toEqual(['UV1']);
    expect(pick(3, ['UR1'], [...volunteers, ...juniors]).learners.map((l) => l.source)).toEqual(['volunteer', 'volunteer']);
    expect(pick(3, ['UR1']).cap).toEqual({ limit: 2, by: 'severity' });
  });

  it('keeps today\'s numbers when the severity is unknown: two automatic invites plus up to three volunteers', () => {
    const result = pick(null, ['UR1'], [...volunteers, ...juniors]);
    expect(result.learners.map((l) => l.source)).toEqual(['volunteer', 'volunteer', 'volunteer', 'auto_invite', 'auto_invite']);
    expect(result.cap).toEqual({ limit: null, by: null });
  });

  it('takes at most MAX_LEARNERS_PER_RESPONDER per human in the channel, and nobody when nobody responds yet', () => {
    expect(pick(null, ['UR1', 'UR2', 'UBOT'], [...volunteers, ...juniors, ...responders], sized).learners.map((l) => l.slackId)).toEqual(['UV1', 'UV2']);
    expect(pick(null, ['UR1'], [...volunteers, ...responders], sized).cap).toEqual({ limit: 1, by: 'responders' });
    expect(pick(null, ['UBOT'], [...juniors, ...responders], sized).learners).toEqual([]);
    // the lower of the two caps wins
    expect(pick(1, ['UR1', 'UR2'], [...juniors, ...responders], sized).cap).toEqual({ limit: 1, by: 'severity' });
  });

  it('skips whoever is away by their Slack status, and whoever is learning in another open incident, volunteers too', () => {
    const result = pick(null, ['UR1'], [
      person('UAWAY', { status: { text: 'On vacation 🌴', emoji: ':palm_tree:' } }),
      person('USICK', { status: { text: '', emoji: ':face_with_thermometer:' }, volunteerUntil: until }),
      person('UBUSY', { learningElsewhere: true }),
      person('UMEETING', { status: { text: 'In a meeting', emoji: ':calendar:' } }),
      person('UFREE'),
    ]);
    expect(result.learners.map((l) => l.slackId)).toEqual(['UFREE', 'UMEETING']);
    expect(result.excluded).toMatchObject({ away: 2, learning_elsewhere: 1 });
  });
});
