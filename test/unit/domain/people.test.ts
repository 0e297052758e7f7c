import { readFixture } from '../../helpers/fixtures';
import { coachedOnSelfJoin, displayName, inEligibleGroups, whyNotEligible, type SlackMember } from '../../../src/domain/people';

const fixture = readFixture<{ members: SlackMember[] }>('docs.slack.dev/examples/users.list.success.json');
/** users.info as Slack's Java SDK samples it: an Enterprise Grid member with enterprise_user */
const gridFixture = readFixture<{ user: SlackMember }>('java-slack-sdk/api/users.info.json');

describe('whyNotEligible', () => {
  const home = { teamId: 'T1' };
  const human: SlackMember = { id: 'U1', team_id: 'T1', name: 'ana' };
  it('accepts a human member of the workspace, including the fixture users from Slack docs', () => {
    expect(whyNotEligible(human, home)).toBeNull();
    expect(whyNotEligible(fixture.members[0]!, { teamId: null })).toBeNull();
  });
  it('names why bots, Slackbot, deleted users, guests and external users are left out', () => {
    expect(whyNotEligible({ ...human, is_bot: true }, home)).toBe('bot');
    expect(whyNotEligible({ ...human, id: 'USLACKBOT' }, home)).toBe('slackbot');
    expect(whyNotEligible({ ...human, deleted: true }, home)).toBe('deleted');
    expect(whyNotEligible({ ...human, is_restricted: true }, home)).toBe('guest');
    expect(whyNotEligible({ ...human, is_ultra_restricted: true }, home)).toBe('guest');
    expect(whyNotEligible({ ...human, team_id: 'T2' }, home)).toBe('external');
    expect(whyNotEligible({ ...human, is_stranger: true }, home)).toBe('external');
  });
  it('leaves out app users (an app bot with a profile bot_id, a workflow bot) but not a human who authorised the app', () => {
    expect(whyNotEligible({ ...human, id: 'U0APP', is_bot: true, profile: { bot_id: 'B0APP', api_app_id: 'A0APP' } }, home)).toBe('bot');
    expect(whyNotEligible({ ...human, id: 'U0APP2', profile: { bot_id: 'B0APP2' } }, home)).toBe('bot');
    expect(whyNotEligible({ ...human, is_workflow_bot: true }, home)).toBe('bot');
    // Slack sets is_app_user on people who authorised the calling app: still a person.
    expect(whyNotEligible({ ...human, is_app_user: true }, home)).toBeNull();
  });
  it('leaves out pending invitees (is_invited_user), who never signed in', () => {
    expect(whyNotEligible({ ...human, is_invited_user: true }, home)).toBe('invited');
  });

  describe('on Enterprise Grid (auth.test returns enterprise_id)', () => {
    const grid = { teamId: 'T0WORKSPACE', enterpriseId: 'E0ORG' };
    const member = (id: string, teamId: string, enterpriseId = 'E0ORG'): SlackMember => ({ id, team_id: teamId, name: id.toLowerCase(), enterprise_user: { id, enterprise_id: enterpriseId, teams: [teamId] } });
    it('takes members whose team_id is this workspace, another workspace or the organisation, W… ids included', () => {
      expect(whyNotEligible(member('W0HERE', 'T0WORKSPACE'), grid)).toBeNull();
      expect(whyNotEligible(member('W0OTHERWS', 'T0OTHERWS'), grid)).toBeNull();
      expect(whyNotEligible(member('U0THIRDWS', 'T0THIRDWS'), grid)).toBeNull();
      expect(whyNotEligible(member('W0ORGLEVEL', 'E0ORG'), grid)).toBeNull();
    });
    it('takes a member without enterprise_user by id or team alone', () => {
      expect(whyNotEligible({ id: 'W0PLAIN', team_id: 'T0ELSEWHERE' }, grid)).toBeNull();
    });
    it('leaves out a stranger and a member of another organisation', () => {
      expect(whyNotEligible({ ...member('W0STRANGE', 'T0OTHERWS'), is_stranger: true }, grid)).toBe('external');
      expect(whyNotEligible(member('W0PARTNER', 'T0PARTNER', 'E0PARTNER'), grid)).toBe('external');
    });
    it('still leaves out guests, invitees, bots and deleted members of the organisation', () => {
      expect(whyNotEligible({ ...member('W0GUEST', 'T0OTHERWS'), is_restricted: true }, grid)).toBe('guest');
      expect(whyNotEligible({ ...member('W0INVITED', 'T0WORKSPACE'), is_invited_user: true }, grid)).toBe('invited');
      expect(whyNotEligible({ ...member('W0GONE', 'T0WORKSPACE'), deleted: true }, grid)).toBe('deleted');
      expect(whyNotEligible({ ...member('W0BOT', 'T0WORKSPACE'), is_bot: true }, grid)).toBe('bot');
    });
    it("reads Slack's Grid user sample: same organisation is in, another is out", () => {
      const sample = { ...gridFixture.user, is_bot: false, deleted: false, profile: { real_name: 'Sample' } };
      expect(whyNotEligible(sample, { teamId: 'T0SOMEWHERE', enterpriseId: sample.enterprise_user!.enterprise_id })).toBeNull();
      expect(whyNotEligible(sample, { teamId: 'T0SOMEWHERE', enterpriseId: 'E0ANOTHER' })).toBe('external');
    });
  });

  it('prefers the real name for display', () => {
    expect(displayName(fixture.members[0]!)).toBe('Egon Spengler');
    expect(displayName({ id: 'U9' })).toBe('U9');
  });
});

describe('inEligibleGroups (ELIGIBLE_USERGROUPS)', () => {
  it('lets everyone in when no group is named', () => {
    expect(inEligibleGroups(new Set(), [])).toBe(true);
  });
  it('lets in members of any named group, and nobody else; membership can come and go', () => {
    expect(inEligibleGroups(new Set(['S0ENG']), ['S0ENG', 'S0SRE'])).toBe(true);
    expect(inEligibleGroups(new Set(['S0SRE']), ['S0ENG', 'S0SRE'])).toBe(true);
    expect(inEligibleGroups(new Set(['S0SALES']), ['S0ENG', 'S0SRE'])).toBe(false);
    expect(inEligibleGroups(new Set(), ['S0ENG'])).toBe(false);
  });
});

describe('coachedOnSelfJoin', () => {
  const base = { candidate: true, experienced: false, pastFires: 0 };
  it('coaches a junior candidate, and nobody who is not a candidate or said they are experienced', () => {
    expect(coachedOnSelfJoin({ ...base, level: 'junior' })).toBe(true);
    expect(coachedOnSelfJoin({ ...base, level: 'junior', candidate: false })).toBe(false);
    expect(coachedOnSelfJoin({ ...base, level: 'junior', experienced: true })).toBe(false);
    expect(coachedOnSelfJoin({ ...base, level: 'mid' })).toBe(false);
  });
  it('coaches someone unknown only with fewer than 3 recorded fires', () => {
    expect(coachedOnSelfJoin({ ...base, level: 'unknown', pastFires: 2 })).toBe(true);
    expect(coachedOnSelfJoin({ ...base, level: 'unknown', pastFires: 3 })).toBe(false);
    expect(coachedOnSelfJoin({ ...base, level: 'unknown', pastFires: 6 })).toBe(false);
  });
});
