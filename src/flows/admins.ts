import type { Deps } from '../deps';

/**
 * Who is an admin for the reports (SPEC.md section 11): the people in ADMIN_USER_IDS, and the
 * members of the user groups in ADMIN_USERGROUPS. Group members are asked of Slack at most every
 * 5 minutes per process (usergroups.list is Tier 2): a cache of Slack's answer, not state, so a
 * change in a group shows within 5 minutes and a restart loses nothing.
 */
export const USERGROUP_CACHE_MS = 5 * 60_000;

const cache = new WeakMap<object, { at: number; members: ReadonlySet<string> }>();

async function usergroupAdmins(deps: Pick<Deps, 'config' | 'slack' | 'log'>): Promise<ReadonlySet<string>> {
  const cached = cache.get(deps.slack);
  if (cached && Date.now() - cached.at < USERGROUP_CACHE_MS) return cached.members;
  const found = await deps.slack.usergroupMembers(deps.config.adminUsergroups);
  if (!found.ok) {
    // Reports are not worth failing a Home tab for: without Slack's answer only ADMIN_USER_IDS count, until it answers.
    deps.log.warn({ error: found.error }, 'could not read the ADMIN_USERGROUPS members; only ADMIN_USER_IDS are admins for now');
    return cached?.members ?? new Set();
  }
  if (found.value.unknown.length > 0) deps.log.warn({ unknown: found.value.unknown }, 'ADMIN_USERGROUPS names user groups that do not exist');
  const members = new Set(found.value.members);
  cache.set(deps.slack, { at: Date.now(), members });
  return members;
}

export async function isAdmin(deps: Pick<Deps, 'config' | 'slack' | 'log'>, slackId: string): Promise<boolean> {
  if (deps.config.adminUserIds.has(slackId)) return true;
  if (deps.config.adminUsergroups.length === 0) return false;
  return (await usergroupAdmins(deps)).has(slackId);
}
