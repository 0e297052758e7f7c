import { DEFAULT_LEARNERS_BY_SEVERITY, isSilentSeverity, learnerLimit, parseLearnersBySeverity, readSeverity } from '../../../src/domain/severity';

describe('readSeverity', () => {
  it.each([
    ['inc-sev1-checkout', 1],
    ['inc-SEV-0-payments', 0],
    ['inc_sev_3_search', 3],
    ['Sev 2: elevated 5xx on the API', 2],
    ['P1 - checkout down', 1],
    ['inc-p4-docs-typo', 4],
    ['Severity: critical · Incident lead: <@U0LEAD>', 1],
    ['severity = major', 2],
    ['Severity: minor', 3],
    ['severity: low', 4],
  ])('reads %p as %p', (text, severity) => {
    expect(readSeverity([text])).toBe(severity);
  });

  it.each([
    'inc-api-p1x', // p1 inside a word
    'inc-up1-gateway',
    'sev9 is not a level',
    'several people are looking',
    'severity: unknown',
    '',
  ])('finds no severity in %p', (text) => {
    expect(readSeverity([text])).toBeNull();
  });

  it('takes the first text that states one, in the order given', () => {
    expect(readSeverity(['inc-checkout', null, 'Topic: sev3 for now', 'Severity: critical'])).toBe(3);
    expect(readSeverity([undefined, '', 'nothing here'])).toBeNull();
  });

  it('accepts a custom pattern with a level group, a priority group or only a first group', () => {
    expect(readSeverity(['impact=high level=2'], /level=(?<level>\d)/i)).toBe(2);
    expect(readSeverity(['PRIO-3'], /prio-(\d)/i)).toBe(3);
    expect(readSeverity(['prio-9'], /prio-(\d)/i)).toBeNull();
  });
});

describe('LEARNERS_BY_SEVERITY', () => {
  it('parses the default', () => {
    expect([...parseLearnersBySeverity(DEFAULT_LEARNERS_BY_SEVERITY)]).toEqual([[0, 0], [1, 1], [2, 1], [3, 2], [4, 2], [5, 2]]);
  });

  it.each([
    ['1:1,1:2', 'severity 1 is given twice'],
    ['6:1', '"6:1" is not SEVERITY:LEARNERS like 1:1 (severity 0 to 5)'],
    ['1=1', '"1=1" is not SEVERITY:LEARNERS like 1:1 (severity 0 to 5)'],
    ['2:51', '"2:51": at most 50 learners'],
    ['', '"" is not SEVERITY:LEARNERS like 1:1 (severity 0 to 5)'],
  ])('refuses %p', (text, message) => {
    expect(() => parseLearnersBySeverity(text)).toThrow(message);
  });

  it('caps by severity when known and capped, and keeps the old numbers otherwise', () => {
    const caps = parseLearnersBySeverity('0:0,1:1,3:2');
    expect(learnerLimit(0, caps, 5)).toBe(0);
    expect(learnerLimit(1, caps, 5)).toBe(1);
    expect(learnerLimit(3, caps, 5)).toBe(2);
    expect(learnerLimit(2, caps, 5)).toBe(5);
    expect(learnerLimit(null, caps, 5)).toBe(5);
  });

  it('makes learners silent in sev0 and sev1 only', () => {
    expect([0, 1, 2, 5, null].map(isSilentSeverity)).toEqual([true, true, false, false, false]);
  });
});
