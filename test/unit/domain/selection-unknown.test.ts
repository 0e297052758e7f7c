import { chooseLearners, chooseMentor, type Candidate, type SelectionRules } from '../../../src/domain/selection';
import { emptyHistory } from '../../../src/domain/experience';
import { parseWorkingDays, parseWorkingHours } from '../../../src/domain/working-time';
import { DEFAULT_AWAY_STATUS_PATTERN } from '../../../src/domain/availability';
import { DEFAULT_LEARNERS_BY_SEVERITY, parseLearnersBySeverity } from '../../../src/domain/severity';

// Issue 14: `unknown` ranks with juniors; a self-declared experienced person is never a learner but may mentor.
const rules: SelectionRules = {
  invitesPerIncident: 2,
  maxVolunteersPerIncident: 3,
  maxAutoInvitesPerWeek: 2,
  workingTime: { hours: parseWorkingHours('09:00-18:00'), days: parseWorkingDays('Mon-Fri') },
  awayStatusPattern: new RegExp(DEFAULT_AWAY_STATUS_PATTERN, 'i'),
  learnersBySeverity: parseLearnersBySeverity(DEFAULT_LEARNERS_BY_SEVERITY),
  maxLearnersPerResponder: 0,
};
const now = new Date('2026-11-25T09:00:00Z'); // Wednesday 10:00 in Berlin

function person(slackId: string, over: Partial<Candidate> = {}): Candidate {
  return {
    slackId, name: slackId, timeZone: 'Europe/Berlin', level: 'unknown', startedOn: null, isMentor: false,
    optedOut: false, active: true, history: emptyHistory(), lastJoinedAt: null, autoInvitesLast7d: 0,
    volunteerUntil: null, status: null, learningElsewhere: false, ...over,
  };
}

const choose = (candidates: Candidate[], members: string[] = ['UCREATOR']) => chooseLearners({ candidates, channelMembers: new Set(members), creatorId: 'UCREATOR', now, rules });

describe('selection with people nobody classified', () => {
  it('invites unknown people like juniors, ahead of mids', () => {
    const result = choose([person('UMID', { level: 'mid' }), person('UUNKNOWN'), person('UJUNIOR', { level: 'junior' })]);
    expect(result.learners.map((l) => l.slackId).sort()).toEqual(['UJUNIOR', 'UUNKNOWN']);
  });

  it('never invites someone who said they are experienced, not even while volunteering, and counts them as opted out', () => {
    const result = choose([person('UEXP', { experienced: true, volunteerUntil: new Date(now.getTime() + 3_600_000) }), person('UMID', { level: 'mid' })]);
    expect(result.learners.map((l) => l.slackId)).toEqual(['UMID']);
    expect(result.excluded.opted_out).toBe(1);
  });

  it('takes someone experienced in the channel as the mentor; nobody else is (the creator leads, not mentors)', () => {
    const input = { candidates: [person('UEXP', { experienced: true }), person('UNEW')], channelMembers: new Set(['UCREATOR', 'UEXP']), creatorId: 'UCREATOR', now, rules };
    expect(chooseMentor(input)).toEqual({ slackId: 'UEXP', reason: 'senior' });
    expect(chooseMentor({ ...input, candidates: [person('UEXP'), person('UNEW')] })).toBeNull();
  });
});
