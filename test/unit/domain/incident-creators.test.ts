import { mayStartIncident, parseCreators } from '../../../src/domain/incident-creators';

describe('INCIDENT_CREATORS', () => {
  it('reads user ids, bot ids and user group handles, with or without @', () => {
    expect(parseCreators(' U012AB3CD, B0123ABCD ,@oncall,sre-team ')).toEqual({ userIds: ['U012AB3CD'], botIds: ['B0123ABCD'], handles: ['oncall', 'sre-team'] });
    expect(parseCreators('')).toBeNull();
    expect(parseCreators(' , ')).toBeNull();
  });

  it('names the first entry it cannot read', () => {
    expect(() => parseCreators('U012AB3CD,On Call')).toThrow('"On Call" is neither a Slack user id (U…), a bot id (B…) nor a user group handle (@name)');
  });

  it('lets anyone start an incident without a rule, and only those named with one', () => {
    expect(mayStartIncident(null, { userId: 'U0ANYONE1' })).toBe(true);
    const rule = { userIds: new Set(['U0ONCALL1']), botIds: new Set(['B0PAGERDY']) };
    expect(mayStartIncident(rule, { userId: 'U0ONCALL1' })).toBe(true);
    expect(mayStartIncident(rule, { userId: 'U0PAGERBT', botId: 'B0PAGERDY' })).toBe(true);
    expect(mayStartIncident(rule, { userId: 'U0ANYONE1' })).toBe(false);
    expect(mayStartIncident(rule, { userId: null })).toBe(false);
  });
});
