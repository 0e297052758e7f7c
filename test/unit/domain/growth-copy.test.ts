import { checkMentorText, progressText, STAGE_COPY } from '../../../src/domain/prompts';
import { progressOf, STAGES } from '../../../src/domain/progression';
import { nextWorkingMorning, parseWorkingDays, parseWorkingHours } from '../../../src/domain/working-time';

const working = { hours: parseWorkingHours('09:00-18:00'), days: parseWorkingDays('Mon-Fri') };

describe('nextWorkingMorning', () => {
  it('is the start of working hours on the next working day in the zone', () => {
    // Wednesday 10:00 in Berlin (UTC+1 in November): Thursday 09:00 there.
    expect(nextWorkingMorning(new Date('2026-11-25T09:00:00Z'), 'Europe/Berlin', working)).toEqual(new Date('2026-11-26T08:00:00Z'));
    // Friday evening: Monday.
    expect(nextWorkingMorning(new Date('2026-11-27T17:30:00Z'), 'Europe/Berlin', working)).toEqual(new Date('2026-11-30T08:00:00Z'));
    // Early Thursday morning in the zone is still Thursday there: the morning after is Friday.
    expect(nextWorkingMorning(new Date('2026-11-25T23:30:00Z'), 'Europe/Berlin', working)).toEqual(new Date('2026-11-27T08:00:00Z'));
  });

  it('crosses a daylight-saving change at local 09:00, and reads an unknown zone as UTC', () => {
    // Friday 27 March 2026 in Berlin; the clocks go forward on Sunday the 29th.
    expect(nextWorkingMorning(new Date('2026-03-27T12:00:00Z'), 'Europe/Berlin', working)).toEqual(new Date('2026-03-30T07:00:00Z'));
    expect(nextWorkingMorning(new Date('2026-11-25T09:00:00Z'), 'Mars/Olympus', working)).toEqual(new Date('2026-11-26T09:00:00Z'));
  });
});

describe('stage copy', () => {
  it('has a welcome, prompts and mentor ideas for every stage', () => {
    for (const stage of STAGES) {
      const copy = STAGE_COPY[stage];
      expect(copy.welcome.length).toBeGreaterThan(20);
      expect(copy.orientationTask).toContain(copy.label === 'observer' ? 'observer' : copy.label);
      expect(copy.mentorIdeas.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('says what the next stage needs', () => {
    expect(progressText(progressOf([]))).toBe('Next: scribe, after 2 fires at this stage with a reflection each and your mentor confirming (0 fires at this stage so far, 0 with a reflection).');
    const ready = progressOf([
      { incidentId: 1, stage: 'observer', joinedAt: new Date(1), reflected: true, decision: null },
      { incidentId: 2, stage: 'observer', joinedAt: new Date(2), reflected: true, decision: null },
    ]);
    expect(progressText(ready)).toBe('Next: scribe. 2 fires at this stage so far, 2 with a reflection; only your mentor\'s "Ready for the next step" is needed.');
    expect(progressText(ready, 'they')).toContain('only your "Ready for the next step" is needed');
    expect(progressText(progressOf([], [{ stage: 'lead_shadow', at: new Date(0) }]))).toBe('You are at the last stage: keep leading alongside the leads.');
  });

  it("checks a mentor's reply (required) and note (optional)", () => {
    expect(checkMentorText('  Well done  ', true)).toEqual({ ok: true, text: 'Well done' });
    expect(checkMentorText('   ', true)).toEqual({ ok: false, error: 'Please write a reply, or press Cancel.' });
    expect(checkMentorText(undefined, false)).toEqual({ ok: true, text: null });
    expect(checkMentorText('x'.repeat(2001), false)).toEqual({ ok: false, error: 'Please keep this under 2000 characters (it has 2001).' });
  });
});
