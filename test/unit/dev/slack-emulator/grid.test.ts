import type { WebClient } from '@slack/web-api';
import { SlackEmulator } from '../../../../src/dev/slack-emulator';
import { whyNotEligible, type SlackMember } from '../../../../src/domain/people';
import { readFixture } from '../../../helpers/fixtures';
import { useStartedEmulator, webClient } from './support';

/** Slack's users.info sample for an Enterprise Grid member (java-slack-sdk), for its field names. */
const gridSample = readFixture<{ user: { enterprise_user: Record<string, unknown> } }>('java-slack-sdk/api/users.info.json');

describe('SlackEmulator: Enterprise Grid', () => {
  let emu: SlackEmulator;
  let client: WebClient;
  beforeEach(async () => {
    emu = new SlackEmulator({ teamId: 'T0HOMEWS1', enterpriseId: 'E0ORG0001' });
    await emu.start();
    client = webClient(emu);
    emu.addUser({ id: 'W0HOME001', name: 'hana', team_id: 'T0HOMEWS1' });
    emu.addUser({ id: 'W0OTHER01', name: 'otto', team_id: 'T0OTHERWS' });
    emu.addUser({ id: 'U0THIRD01', name: 'thea', team_id: 'T0THIRDWS' });
    emu.addUser({ id: 'W0PARTNER', name: 'pat', team_id: 'T0PARTNER', enterprise_id: 'E0PARTNER' });
    emu.addUser({ id: 'W0STRANGE', name: 'sid', team_id: 'T0OTHERWS', is_stranger: true });
    emu.addUser({ id: 'W0INVITED', name: 'ivo', team_id: 'T0HOMEWS1', is_invited_user: true });
  });
  afterEach(async () => emu.stop());

  it('auth.test names the enterprise', async () => {
    expect(await client.auth.test()).toMatchObject({ ok: true, team_id: 'T0HOMEWS1', enterprise_id: 'E0ORG0001' });
  });

  it("users.list lists the organisation's members from every workspace, each with enterprise_user, and no outsider", async () => {
    const members = ((await client.users.list({})).members ?? []) as SlackMember[];
    const people = members.filter((m) => !m.is_bot && m.id !== 'USLACKBOT');
    expect(people.map((m) => [m.id, m.team_id]).sort()).toEqual([
      ['U0THIRD01', 'T0THIRDWS'],
      ['W0HOME001', 'T0HOMEWS1'],
      ['W0INVITED', 'T0HOMEWS1'],
      ['W0OTHER01', 'T0OTHERWS'],
    ]);
    for (const m of people) {
      expect(Object.keys(m.enterprise_user!)).toEqual(expect.arrayContaining(Object.keys(gridSample.user.enterprise_user)));
      expect(m.enterprise_user!.enterprise_id).toBe('E0ORG0001');
    }
    expect(people.find((m) => m.id === 'W0INVITED')!.is_invited_user).toBe(true);
    const home = { teamId: 'T0HOMEWS1', enterpriseId: 'E0ORG0001' };
    expect(people.map((m) => [m.id, whyNotEligible(m, home)]).sort()).toEqual([
      ['U0THIRD01', null],
      ['W0HOME001', null],
      ['W0INVITED', 'invited'],
      ['W0OTHER01', null],
    ]);
  });

  it('users.info describes a partner and a stranger so that they read as external', async () => {
    const home = { teamId: 'T0HOMEWS1', enterpriseId: 'E0ORG0001' };
    const partner = (await client.users.info({ user: 'W0PARTNER' })).user as SlackMember;
    const stranger = (await client.users.info({ user: 'W0STRANGE' })).user as SlackMember;
    expect(partner.enterprise_user!.enterprise_id).toBe('E0PARTNER');
    expect(stranger.is_stranger).toBe(true);
    expect([whyNotEligible(partner, home), whyNotEligible(stranger, home)]).toEqual(['external', 'external']);
  });
});

describe('SlackEmulator: user group events', () => {
  let emu: SlackEmulator;
  let client: WebClient;
  useStartedEmulator((started) => ({ emu, client } = started));

  it('a change of members answers usergroups.users.list at once and gives the subteam_members_changed delta', async () => {
    const group = emu.addUserGroup({ handle: 'engineering', users: ['U0ALICE'] });
    const event = emu.setUserGroupMembers(group.id, ['U0ALICE', 'U0BOB']);
    expect(event).toMatchObject({ type: 'subteam_members_changed', subteam_id: group.id, team_id: emu.teamId, added_users: ['U0BOB'], added_users_count: '1', removed_users: [], removed_users_count: '0' });
    expect((await client.usergroups.users.list({ usergroup: group.id })).users).toEqual(['U0ALICE', 'U0BOB']);
    expect(emu.setUserGroupMembers(group.id, ['U0ALICE', 'U0BOB'])).toBeNull();
  });

  it('an update gives subteam_updated with the group and its users; a disabled group is no_such_subteam', async () => {
    const group = emu.addUserGroup({ handle: 'engineering', users: ['U0ALICE'] });
    const event = emu.updateUserGroup(group.id, { handle: 'eng', disabled: true }) as { type: string; subteam: Record<string, unknown> };
    expect(event.type).toBe('subteam_updated');
    expect(event.subteam).toMatchObject({ id: group.id, handle: 'eng', users: ['U0ALICE'], user_count: 1 });
    expect(event.subteam.date_delete).not.toBe(0);
    await expect(client.usergroups.users.list({ usergroup: group.id })).rejects.toMatchObject({ data: { error: 'no_such_subteam' } });
  });
});
