/**
 * The user groups the app watches, named in ELIGIBLE_USERGROUPS (who may be invited, coached,
 * offered a Join and sent digests), ADMIN_USERGROUPS (admins beside ADMIN_USER_IDS) and
 * TEAM_USERGROUPS (teams in the reports). Names are
 * handles or ids in the configuration; from start-up on they are ids, since a handle can be renamed.
 */
export interface ListedUsergroup {
  id: string;
  handle: string;
}

export interface WatchedUsergroups {
  /** empty: every eligible human is a candidate */
  eligible: readonly string[];
  admin: readonly string[];
  /** TEAM_USERGROUPS, in the configured order: teams of the reports for people the roster gives none */
  teams?: readonly ListedUsergroup[];
}

export const NO_USERGROUPS: WatchedUsergroups = { eligible: [], admin: [], teams: [] };

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
  return [...new Set([...groups.eligible, ...groups.admin, ...(groups.teams ?? []).map((t) => t.id)])];
}

/**
 * A person's team in the reports: the roster's `team` column when it has one, else the handle of
 * the first TEAM_USERGROUPS group (in the configured order) they are a member of, else none.
 */
export function teamOf(rosterTeam: string | null, memberOf: ReadonlySet<string>, teams: readonly ListedUsergroup[]): string | null {
  if (rosterTeam) return rosterTeam;
  return teams.find((t) => memberOf.has(t.id))?.handle ?? null;
}
