/** The fields of a Slack user (users.list, users.info) that Smokejumper reads. */
export interface SlackMember {
  id: string;
  team_id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_app_user?: boolean;
  is_workflow_bot?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  is_stranger?: boolean;
  /** invited to the workspace and never signed in */
  is_invited_user?: boolean;
  /** Enterprise Grid: the organisation the person belongs to */
  enterprise_user?: { id?: string; enterprise_id?: string; teams?: string[] };
  tz?: string | null;
  profile?: { real_name?: string; display_name?: string; email?: string; team?: string; bot_id?: string; api_app_id?: string; status_text?: string; status_emoji?: string; status_expiration?: number };
}

export type NotEligibleReason = 'bot' | 'deleted' | 'guest' | 'external' | 'slackbot' | 'invited';

/** Where the app is installed, as auth.test tells it: the workspace, and on Enterprise Grid the organisation. */
export interface HomeTeam {
  teamId: string | null;
  /** auth.test `enterprise_id`; null or absent outside Enterprise Grid */
  enterpriseId?: string | null;
}

export const SLACKBOT_ID = 'USLACKBOT';

/**
 * Whether a Slack user is a person Smokejumper may ever invite or coach: a human member of this
 * workspace or, on Enterprise Grid, of this organisation (SPEC.md section 3). Returns why not
 * otherwise, for logs and the roster report. A user group rule (ELIGIBLE_USERGROUPS) comes on top:
 * see inEligibleGroups.
 */
export function whyNotEligible(member: SlackMember, home: HomeTeam): NotEligibleReason | null {
  if (member.id === SLACKBOT_ID) return 'slackbot';
  // An app's bot user is listed with is_bot (and a profile bot_id); workflow bots with is_workflow_bot.
  // `is_app_user` is not among them: Slack sets it on humans who authorised the calling app.
  if (member.is_bot || member.is_workflow_bot || member.profile?.bot_id) return 'bot';
  if (member.deleted) return 'deleted';
  if (member.is_restricted || member.is_ultra_restricted) return 'guest';
  if (isExternal(member, home)) return 'external';
  // Someone invited who never signed in has no history only because they are not here yet.
  if (member.is_invited_user) return 'invited';
  return null;
}

/**
 * Another organisation's person (Slack Connect). On Enterprise Grid a member's `team_id` is the
 * organisation's or their home workspace's and ids may start with W, so neither tells: only
 * `is_stranger` or an `enterprise_user.enterprise_id` other than the app's does (FACTS.md section 10).
 */
export function isExternal(member: SlackMember, home: HomeTeam): boolean {
  if (member.is_stranger) return true;
  if (home.enterpriseId) {
    const theirs = member.enterprise_user?.enterprise_id;
    return theirs !== undefined && theirs !== '' && theirs !== home.enterpriseId;
  }
  return Boolean(home.teamId && member.team_id && member.team_id !== home.teamId);
}

/**
 * ELIGIBLE_USERGROUPS: with no group named, every eligible human is a candidate; otherwise only
 * members of at least one of the named groups (by id, as resolved at start).
 */
export function inEligibleGroups(memberOf: ReadonlySet<string>, eligibleGroupIds: readonly string[]): boolean {
  return eligibleGroupIds.length === 0 || eligibleGroupIds.some((id) => memberOf.has(id));
}

export function displayName(member: SlackMember): string {
  return member.profile?.real_name || member.real_name || member.profile?.display_name || member.name || member.id;
}

/** Someone `unknown` with this many recorded fires or more is taken for experienced when they join on their own. */
export const UNKNOWN_COACHED_BELOW_FIRES = 3;

/**
 * Whether someone who joins an incident channel on their own is coached as a learner (SPEC.md
 * section 4): a candidate who has not said they are experienced, and either a junior, or `unknown`
 * with fewer than UNKNOWN_COACHED_BELOW_FIRES past fires in their recorded history (a senior the
 * roster never classified must not be told "nobody expects you to fix anything").
 */
export function coachedOnSelfJoin(person: { candidate: boolean; level: string; experienced: boolean; pastFires: number }): boolean {
  if (!person.candidate || person.experienced) return false;
  if (person.level === 'junior') return true;
  return person.level === 'unknown' && person.pastFires < UNKNOWN_COACHED_BELOW_FIRES;
}
