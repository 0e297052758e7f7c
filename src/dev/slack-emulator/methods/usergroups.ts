import { SLACKBOT_USER_ID, type EmulatedUserGroup } from '../types';
import type { Methods, Workspace } from '../state';
import { bool, fail, ok, str, type Body } from '../wire';

function userGroupJson(ws: Workspace, g: EmulatedUserGroup, withUsers: boolean): Body {
  const body: Body = {
    id: g.id,
    team_id: ws.teamId,
    is_usergroup: true,
    name: g.name,
    description: '',
    handle: g.handle,
    is_external: false,
    date_create: 0,
    date_update: 0,
    date_delete: g.disabled ? 1 : 0,
    auto_type: null,
    created_by: SLACKBOT_USER_ID,
    updated_by: SLACKBOT_USER_ID,
    deleted_by: null,
    prefs: { channels: [], groups: [] },
    user_count: String(g.users.length),
  };
  if (withUsers) body.users = [...g.users];
  return body;
}

export const usergroupsMethods: Methods = {
  'usergroups.list': (ws, args) => {
    const groups = [...ws.userGroups.values()].filter((g) => bool(args, 'include_disabled') || !g.disabled);
    return ok({ usergroups: groups.map((g) => userGroupJson(ws, g, bool(args, 'include_users'))) });
  },

  'usergroups.users.list': (ws, args) => {
    const id = str(args, 'usergroup');
    if (!id) return fail('missing_argument');
    const group = ws.userGroups.get(id);
    if (!group || (group.disabled && !bool(args, 'include_disabled'))) return fail('no_such_subteam');
    return ok({ users: [...group.users] });
  },
};
