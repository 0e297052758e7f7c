import { digestContent, DIGEST_CONTENT, firstDigestOfQuarter, invitationWeek, quarterDays, quarterOf, quarterSummary, systemOf } from '../../../src/domain/digest-rules';

const at = (iso: string) => new Date(iso);

describe('digestContent', () => {
  it('names what a week holds, in the list order; nothing for a quiet week', () => {
    expect(DIGEST_CONTENT.map((c) => c.name)).toEqual(['fires', 'reflections', 'quarter']);
    expect(digestContent({ incidents: [1], learnings: [1] })).toEqual(['fires', 'reflections']);
    expect(digestContent({ incidents: [], learnings: [], quarter: { fires: 2, reflections: 0 } })).toEqual(['quarter']);
    expect(digestContent({ incidents: [], learnings: [], quarter: { fires: 0, reflections: 0 } })).toEqual([]);
    expect(digestContent({ incidents: [], learnings: [] })).toEqual([]);
  });
});

describe('invitationWeek', () => {
  const week = (start: string, end: string) => ({ start: at(start), end: at(end) });
  const junior = { level: 'junior' as const, knownSince: at('2026-01-01T00:00:00Z'), lastFireAt: at('2026-10-01T12:00:00Z') };
  it('is the one week whose end is the first 28 days or more after the last fire', () => {
    expect(invitationWeek(junior, week('2026-10-19T00:00:00Z', '2026-10-26T00:00:00Z'))).toBe(false);
    expect(invitationWeek(junior, week('2026-10-26T00:00:00Z', '2026-11-02T00:00:00Z'))).toBe(true);
    expect(invitationWeek(junior, week('2026-11-02T00:00:00Z', '2026-11-09T00:00:00Z'))).toBe(false);
  });
  it('counts from when the app first knew someone with no fire, and never invites above junior', () => {
    const newcomer = { ...junior, knownSince: at('2026-10-01T12:00:00Z'), lastFireAt: null };
    expect(invitationWeek(newcomer, week('2026-10-26T00:00:00Z', '2026-11-02T00:00:00Z'))).toBe(true);
    expect(invitationWeek({ ...junior, level: 'mid' }, week('2026-10-26T00:00:00Z', '2026-11-02T00:00:00Z'))).toBe(false);
  });
});

describe('the quarter', () => {
  it('is first summed up by the digest of the week that falls due in the next quarter', () => {
    expect(quarterOf('2026-09-28')).toBe('2026-Q3');
    expect(firstDigestOfQuarter('2026-09-28')).toBe(true); // due Mon 5 Oct
    expect(firstDigestOfQuarter('2026-09-21')).toBe(false); // due Mon 28 Sep
    expect(firstDigestOfQuarter('2026-12-28')).toBe(true); // due Mon 4 Jan 2027
    expect(quarterDays('2026-12-28')).toEqual({ first: '2026-10-01', last: '2026-12-31' });
    expect(quarterDays('2026-02-10')).toEqual({ first: '2026-01-01', last: '2026-03-31' });
  });

  it('counts fires by role (and by stage once fires carry one), systems from channel names and playbooks, and reflections', () => {
    const summary = quarterSummary('2026-Q3', [
      { role: 'learner', channelName: 'inc-db-replica-lag' },
      { role: 'volunteer', channelName: 'inc-checkout-500s' },
      { role: 'learner', channelName: 'incident-payments-timeouts' },
      { role: 'learner', channelName: 'resolved-sec-leaked-key' },
    ], 2);
    expect(summary).toEqual({
      quarter: '2026-Q3',
      fires: 4,
      byRole: [{ role: 'learner', fires: 3 }, { role: 'volunteer', fires: 1 }],
      byStage: [],
      systems: ['checkout', 'database', 'payments', 'security'],
      reflections: 2,
    });
    expect(quarterSummary('2026-Q3', [{ role: 'learner', channelName: 'inc-a', stage: 'observer' }, { role: 'learner', channelName: 'inc-b', stage: 'scribe' }, { role: 'learner', channelName: 'inc-c', stage: 'observer' }], 0).byStage).toEqual([
      { stage: 'observer', fires: 2 },
      { stage: 'scribe', fires: 1 },
    ]);
  });

  it('reads the system from a channel name without its incident prefix', () => {
    expect(systemOf('inc-checkout-500s')).toBe('checkout');
    expect(systemOf('incident-2026-11-search')).toBe('search');
    expect(systemOf('inc')).toBeNull();
  });
});
