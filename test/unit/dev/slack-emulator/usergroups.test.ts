import type { WebClient } from '@slack/web-api';
import { readFileSync } from 'node:fs';
import type { SlackEmulator } from '../../../../src/dev/slack-emulator';
import { fixturePath } from '../../../helpers/fixtures';
import { rejection, useStartedEmulator } from './support';

describe('SlackEmulator: usergroups', () => {
  let emu: SlackEmulator;
  let client: WebClient;
  useStartedEmulator((started) => ({ emu, client } = started));

  it('usergroups.list and usergroups.users.list describe user groups like the fixtures', async () => {
    const fixture = JSON.parse(readFileSync(fixturePath('docs.slack.dev/examples/usergroups.list.success.json'), 'utf8')) as { usergroups: Array<Record<string, unknown>> };
    const oncall = emu.addUserGroup({ handle: 'oncall', name: 'On call', users: ['U0ALICE', 'U0BOB'] });
    emu.addUserGroup({ handle: 'old-team', users: ['U0BOB'], disabled: true });
    const listed = await client.usergroups.list();
    expect(listed.usergroups?.map((g) => g.handle)).toEqual(['oncall']);
    expect(Object.keys(listed.usergroups![0]!).sort()).toEqual(Object.keys(fixture.usergroups[0]!).sort());
    expect(listed.usergroups![0]).toMatchObject({ id: oncall.id, user_count: '2' });
    expect((await client.usergroups.list({ include_users: true, include_disabled: true })).usergroups?.map((g) => [g.handle, g.users])).toEqual([['oncall', ['U0ALICE', 'U0BOB']], ['old-team', ['U0BOB']]]);
    expect((await client.usergroups.users.list({ usergroup: oncall.id })).users).toEqual(['U0ALICE', 'U0BOB']);
    expect((await rejection(client.usergroups.users.list({ usergroup: 'S0NOPE' }))).data.error).toBe('no_such_subteam');
  });

  it('usergroups.list names each group with its handle; usergroups.users.list gives its members', async () => {
    const id = emu.addUserGroup({ handle: 'sre-leads', name: 'SRE leads', users: ['U0ALICE', 'U0BOB'] }).id;
    const list = await client.usergroups.list({});
    expect(list.usergroups?.map((g) => [g.id, g.handle, g.name, g.user_count])).toEqual([[id, 'sre-leads', 'SRE leads', '2']]);
    expect((await client.usergroups.users.list({ usergroup: id })).users).toEqual(['U0ALICE', 'U0BOB']);
    expect((await rejection(client.usergroups.users.list({ usergroup: 'S0NOPE' }))).data.error).toBe('no_such_subteam');
  });
});
