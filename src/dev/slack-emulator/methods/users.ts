import type { EmulatedUser } from '../types';
import type { Methods, Workspace } from '../state';
import { fail, nowSec, ok, paginate, str, type Body } from '../wire';

function tzInfo(tz: string): { tz_label: string; tz_offset: number } {
  const at = new Date();
  const partOf = (timeZoneName: 'long' | 'longOffset'): string | undefined =>
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value;
  const offsetText = partOf('longOffset') ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(offsetText);
  const tz_offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : 0;
  return { tz_label: partOf('long') ?? tz, tz_offset };
}

/** A user as users.info and users.list describe one (docs.slack.dev examples). */
function userJson(ws: Workspace, u: EmulatedUser): Body {
  const tz = u.tz ?? 'UTC';
  const realName = u.real_name ?? u.name;
  const profile: Body = {
    avatar_hash: '',
    status_text: u.status_text ?? '',
    status_emoji: u.status_emoji ?? '',
    status_expiration: u.status_expiration ?? 0,
    real_name: realName,
    display_name: u.name,
    real_name_normalized: realName,
    display_name_normalized: u.name,
    team: u.team_id ?? ws.teamId,
  };
  if (u.email !== undefined) profile.email = u.email;
  if (u.bot_id !== undefined) profile.bot_id = u.bot_id;
  if (u.id === ws.botUserId) {
    profile.bot_id = ws.botId;
    profile.api_app_id = ws.appId;
    profile.always_active = true;
  }
  return {
    id: u.id,
    team_id: u.team_id ?? ws.teamId,
    name: u.name,
    deleted: u.deleted ?? false,
    color: '9f69e7',
    real_name: realName,
    tz,
    ...tzInfo(tz),
    profile,
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: u.is_restricted ?? false,
    is_ultra_restricted: u.is_ultra_restricted ?? false,
    is_bot: u.is_bot ?? false,
    updated: nowSec(),
    is_app_user: u.is_app_user ?? false,
    has_2fa: false,
    ...(u.is_stranger ? { is_stranger: true } : {}),
    ...(u.is_invited_user ? { is_invited_user: true } : {}),
    // Enterprise Grid: every user carries the organisation they belong to (users.info fixture, java-slack-sdk).
    ...(ws.enterpriseId !== undefined
      ? {
          enterprise_user: { id: u.id, enterprise_id: u.enterprise_id ?? ws.enterpriseId, enterprise_name: 'Emulated Grid', is_admin: false, is_owner: false, is_primary_owner: false, teams: [u.team_id ?? ws.teamId] },
          enterprise_id: u.enterprise_id ?? ws.enterpriseId,
        }
      : {}),
  };
}

export const usersMethods: Methods = {
  'users.list': (ws, args) => {
    // users.list covers the workspace's own members; external Slack Connect users are not part of it.
    const ids = [...ws.users.values()].filter((u) => !ws.isExternal(u)).map((u) => u.id);
    const result = paginate(ids, args, 200);
    if ('error' in result) return fail(result.error);
    return ok({
      members: result.page.map((id) => userJson(ws, ws.requireUser(id))),
      cache_ts: nowSec(),
      response_metadata: { next_cursor: result.nextCursor },
    });
  },

  'users.info': (ws, args) => {
    const u = ws.users.get(str(args, 'user') ?? '');
    return u ? ok({ user: userJson(ws, u) }) : fail('user_not_found');
  },

  'users.lookupByEmail': (ws, args) => {
    const email = (str(args, 'email') ?? '').toLowerCase();
    const u = [...ws.users.values()].find((x) => email !== '' && x.email?.toLowerCase() === email);
    return u ? ok({ user: userJson(ws, u) }) : fail('users_not_found');
  },
};
