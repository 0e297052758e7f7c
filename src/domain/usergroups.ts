/**
 * The user groups the app watches, named in ELIGIBLE_USERGROUPS (who may be invited, coached,
 * offered a Join and sent digests) and ADMIN_USERGROUPS (admins beside ADMIN_USER_IDS). Names are
 * handles or ids in the configuration; from start-up on they are ids, since a handle can be renamed.
 */
export interface WatchedUsergroups {
  /** empty: every eligible human is a candidate */
  eligible: readonly string[];
  admin: readonly string[];
}

export const NO_USERGROUPS: WatchedUsergroups = { eligible: [], admin: [] };

export interface ListedUsergroup {
  id: string;
  handle: string;
}

/** Configured names (handles without @, or ids) -> group ids; names that match no group come back in `unknown`. */
export function resolveUsergroupNames(names: readonly string[], groups: readonly ListedUsergroup[]): { ids: string[]; unknown: string[] } {
  const ids: string[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const group = groups.find((g) => g.id === name || g.handle.toLowerCase() === name.toLowerCase());
    if (group) {
      if (!ids.includes(group.id)) ids.push(group.id);
    } else {
      unknown.push(name);
    }
  }
  return { ids, unknown };
}

/** Every group id watched, once. */
export function watchedIds(groups: WatchedUsergroups): string[] {
  return [...new Set([...groups.eligible, ...groups.admin])];
}
