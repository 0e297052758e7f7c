import { readFixture } from '../../helpers/fixtures';
import { whyNotEligible, displayName, type SlackMember } from '../../../src/domain/people';

const fixture = readFixture<{ members: SlackMember[] }>('docs.slack.dev/examples/users.list.success.json');

describe('whyNotEligible', () => {
  const human: SlackMember = { id: 'U1', team_id: 'T1', name: 'ana' };
  it('accepts a human member of the workspace, including the fixture users from Slack docs', () => {
    expect(whyNotEligible(human, 'T1')).toBeNull();
    expect(whyNotEligible(fixture.members[0]!, null)).toBeNull();
  });
  it('names why bots, Slackbot, deleted users, guests and external users are left out', () => {
    expect(whyNotEligible({ ...human, is_bot: true }, 'T1')).toBe('bot');
    expect(whyNotEligible({ ...human, id: 'USLACKBOT' }, 'T1')).toBe('slackbot');
    expect(whyNotEligible({ ...human, deleted: true }, 'T1')).toBe('deleted');
    expect(whyNotEligible({ ...human, is_restricted: true }, 'T1')).toBe('guest');
    expect(whyNotEligible({ ...human, is_ultra_restricted: true }, 'T1')).toBe('guest');
    expect(whyNotEligible({ ...human, team_id: 'T2' }, 'T1')).toBe('external');
    expect(whyNotEligible({ ...human, is_stranger: true }, 'T1')).toBe('external');
  });
  it('prefers the real name for display', () => {
    expect(displayName(fixture.members[0]!)).toBe('Egon Spengler');
    expect(displayName({ id: 'U9' })).toBe('U9');
  });
});
