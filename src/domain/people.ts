/** The fields of a Slack user (users.list, users.info) that Smokejumper reads. */
export interface SlackMember {
  id: string;
  team_id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_app_user?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  is_stranger?: boolean;
  tz?: string | null;
  profile?: { real_name?: string; display_name?: string; email?: string; team?: string; bot_id?: string; status_text?: string; status_emoji?: string; status_expiration?: number };
}

export type NotEligibleReason = 'bot' | 'deleted' | 'guest' | 'external' | 'slackbot';

/**
 * Whether a Slack user is a person Smokejumper may invite: a human member of this workspace
 * (SPEC.md section 3). Returns why not otherwise, for logs and the roster report.
 */
export function whyNotEligible(member: SlackMember, workspaceTeamId: string | null): NotEligibleReason | null {
  if (member.id === 'USLACKBOT') return 'slackbot';
  if (member.is_bot) return 'bot';
  if (member.deleted) return 'deleted';
  if (member.is_restricted || member.is_ultra_restricted) return 'guest';
  // Slack Connect users from another organisation appear with their own team id, or as strangers.
  if (member.is_stranger || (workspaceTeamId && member.team_id && member.team_id !== workspaceTeamId)) return 'external';
  return null;
}

export function displayName(member: SlackMember): string {
  return member.profile?.real_name || member.real_name || member.profile?.display_name || member.name || member.id;
}
