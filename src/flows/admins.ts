import type { Deps } from '../deps';
import { inAnyUsergroup } from '../db/usergroups';

/**
 * Who is an admin (SPEC.md sections 6 and 11): the people in ADMIN_USER_IDS, and the members of the
 * user groups in ADMIN_USERGROUPS, as stored by the roster sync and the subteam events
 * (flows/usergroups-flow.ts): one indexed read, no Slack call.
 */
export async function isAdmin(deps: Pick<Deps, 'config' | 'db' | 'usergroups'>, slackId: string): Promise<boolean> {
  if (deps.config.adminUserIds.has(slackId)) return true;
  return inAnyUsergroup(deps.db, slackId, deps.usergroups?.admin ?? []);
}

/** Whether being an admin can depend on a user group (so it cannot be told without the database). */
export function hasAdminUsergroups(deps: Pick<Deps, 'usergroups'>): boolean {
  return (deps.usergroups?.admin.length ?? 0) > 0;
}
