import { ConfigError, type Config } from '../config';
import type { Deps } from '../deps';
import { replaceUsergroupMembers, usergroupsOfUser } from '../db/usergroups';
import { inEligibleGroups } from '../domain/people';
import { resolveUsergroupNames, watchedIds, NO_USERGROUPS, type WatchedUsergroups } from '../domain/usergroups';
import { RetryableError } from '../errors';
import type { Logger } from '../log';
import type { SlackGateway } from '../slack/gateway';

/**
 * ELIGIBLE_USERGROUPS, ADMIN_USERGROUPS and TEAM_USERGROUPS at start-up: each name (handle or id) becomes a group id
 * (usergroups.list). A name that matches no group stops start-up with one line naming it, like any
 * other bad configuration; so does a Slack that cannot list the groups, since without them nobody
 * could be told apart.
 */
export async function resolveWatchedUsergroups(
  slack: SlackGateway,
  log: Logger,
  config: Pick<Config, 'eligibleUsergroups' | 'adminUsergroups'> & Partial<Pick<Config, 'teamUsergroups'>>,
): Promise<WatchedUsergroups> {
  const named: Array<[variable: string, names: readonly string[]]> = [
    ['ELIGIBLE_USERGROUPS', config.eligibleUsergroups],
    ['ADMIN_USERGROUPS', config.adminUsergroups],
    ['TEAM_USERGROUPS', config.teamUsergroups ?? []],
  ];
  if (named.every(([, names]) => names.length === 0)) return NO_USERGROUPS;
  const listed = await slack.listUserGroups();
  const resolved: string[][] = [];
  for (const [variable, names] of named) {
    if (names.length === 0) {
      resolved.push([]);
      continue;
    }
    if (!listed.ok) throw new ConfigError(variable, `the user groups could not be read (usergroups.list: ${listed.error})`);
    const { ids, unknown } = resolveUsergroupNames(names, listed.value);
    const [missing] = unknown;
    if (missing !== undefined) {
      throw new ConfigError(variable, /^S[A-Z0-9]+$/.test(missing) ? `"${missing}" is not a user group id in this workspace` : `"@${missing}" is not a user group handle in this workspace`);
    }
    resolved.push(ids);
  }
  const handleOf = new Map((listed.ok ? listed.value : []).map((g) => [g.id, g.handle]));
  const groups: WatchedUsergroups = { eligible: resolved[0]!, admin: resolved[1]!, teams: resolved[2]!.map((id) => ({ id, handle: handleOf.get(id) ?? id })) };
  log.info({ eligibleUsergroups: groups.eligible, adminUsergroups: groups.admin, teamUsergroups: groups.teams }, 'user groups watched');
  return groups;
}

/**
 * One watched group's members, read again from Slack (usergroups.users.list) and stored. A group
 * that was disabled or deleted since start-up (`no_such_subteam`) has no members any more.
 */
export async function refreshUsergroup(deps: Pick<Deps, 'db' | 'slack' | 'log' | 'clock'>, usergroupId: string): Promise<void> {
  const users = await deps.slack.userGroupMembers(usergroupId);
  if (!users.ok && users.retryable) throw new RetryableError(users.error, `usergroups.users.list failed for ${usergroupId}`);
  if (!users.ok && users.error !== 'no_such_subteam') throw new Error(`usergroups.users.list failed for ${usergroupId}: ${users.error}`);
  const members = users.ok ? users.value : [];
  if (!users.ok) deps.log.warn({ usergroup: usergroupId }, 'a watched user group is disabled or gone: it has no members now');
  const { added, removed } = await replaceUsergroupMembers(deps.db, usergroupId, members, deps.clock());
  deps.log.info({ usergroup: usergroupId, members: members.length, added, removed }, 'user group members stored');
}

/** Every watched group, with the roster sync (hourly and at start). */
export async function syncUsergroups(deps: Pick<Deps, 'db' | 'slack' | 'log' | 'clock' | 'usergroups'>): Promise<void> {
  for (const id of watchedIds(deps.usergroups ?? NO_USERGROUPS)) await refreshUsergroup(deps, id);
}

/**
 * `subteam_members_changed` / `subteam_updated`: a watched group changed, so its members are read
 * again. Slack's list is the truth, whatever order the events come in; other groups are ignored.
 */
export async function onUsergroupChanged(deps: Deps, usergroupId: string): Promise<void> {
  if (!watchedIds(deps.usergroups ?? NO_USERGROUPS).includes(usergroupId)) return;
  await refreshUsergroup(deps, usergroupId);
}

/**
 * A candidate (SPEC.md section 3): an active human member and, when ELIGIBLE_USERGROUPS names
 * groups, a member of one of them. Only candidates are invited, coached, offered a Join and sent digests.
 */
export async function isCandidate(deps: Pick<Deps, 'db' | 'usergroups'>, engineer: { slackId: string; active: boolean }): Promise<boolean> {
  if (!engineer.active) return false;
  const eligible = deps.usergroups?.eligible ?? [];
  return inEligibleGroups(eligible.length === 0 ? new Set() : await usergroupsOfUser(deps.db, engineer.slackId, eligible), eligible);
}
