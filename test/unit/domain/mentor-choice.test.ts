import { canMentor, mentorInChannel, mentorWaitEndsAt, nextOutsideMentor, withinMentorWait, type MentorCandidate } from '../../../src/domain/mentor-choice';
import { parseWorkingDays, parseWorkingHours } from '../../../src/domain/working-time';

const working = { hours: parseWorkingHours('09:00-18:00'), days: parseWorkingDays('Mon-Fri') };
// Wednesday 2026-11-25 10:00 in Berlin, 01:00 in Los Angeles
const now = new Date('2026-11-25T09:00:00Z');
const p = (slackId: string, over: Partial<MentorCandidate> = {}): MentorCandidate => ({ slackId, level: 'junior', isMentor: false, active: true, ...over });

describe('canMentor', () => {
  it('is a mentor-flagged or senior/staff active human', () => {
    expect(canMentor(p('U1', { isMentor: true }))).toBe(true);
    expect(canMentor(p('U2', { level: 'senior' }))).toBe(true);
    expect(canMentor(p('U3', { level: 'staff' }))).toBe(true);
    expect(canMentor(p('U4', { level: 'mid' }))).toBe(false);
    expect(canMentor(p('U5', { level: 'staff', active: false }))).toBe(false);
  });
});

describe('mentorInChannel', () => {
  it('prefers the mentor-flagged, then the most senior, and leaves out the excluded (lead, learners) and those outside', () => {
    const people = [p('USTAFF', { level: 'staff' }), p('USEN', { level: 'senior' }), p('UMEN', { isMentor: true }), p('UOUT', { isMentor: true })];
    expect(mentorInChannel(people, new Set(['USTAFF', 'USEN', 'UMEN']), new Set())).toEqual({ slackId: 'UMEN', reason: 'mentor' });
    expect(mentorInChannel(people, new Set(['USTAFF', 'USEN', 'UMEN']), new Set(['UMEN']))).toEqual({ slackId: 'USTAFF', reason: 'senior' });
    expect(mentorInChannel(people, new Set(['USTAFF']), new Set(['USTAFF']))).toBeNull();
  });
});

describe('MENTOR_WAIT', () => {
  it('lets a join count up to and including the end of the wait', () => {
    const selected = new Date('2026-11-25T09:00:00Z');
    expect(withinMentorWait(selected, new Date('2026-11-25T09:04:00Z'), 600_000)).toBe(true);
    expect(withinMentorWait(selected, new Date('2026-11-25T09:10:00Z'), 600_000)).toBe(true);
    expect(withinMentorWait(selected, new Date('2026-11-25T09:10:01Z'), 600_000)).toBe(false);
    expect(mentorWaitEndsAt(selected, 600_000)).toEqual(new Date('2026-11-25T09:10:00Z'));
  });
});

describe('nextOutsideMentor', () => {
  it('asks someone in working hours with the fewest turns this week, then by id', () => {
    const people = [
      { slackId: 'UBUSY', timeZone: 'Europe/Berlin', turnsThisWeek: 2 },
      { slackId: 'UNIGHT', timeZone: 'America/Los_Angeles', turnsThisWeek: 0 },
      { slackId: 'UFREE2', timeZone: 'Europe/Paris', turnsThisWeek: 1 },
      { slackId: 'UFREE1', timeZone: 'Europe/Berlin', turnsThisWeek: 1 },
    ];
    expect(nextOutsideMentor(people, now, working)).toBe('UFREE1');
    expect(nextOutsideMentor(people.filter((x) => x.slackId !== 'UFREE1' && x.slackId !== 'UFREE2'), now, working)).toBe('UBUSY');
    expect(nextOutsideMentor([people[1]!], now, working)).toBeNull();
  });
});
