/**
 * Whether a person's Slack status says they are away (issue "Reads the incident before it adds
 * people"; SPEC.md section 4): nobody on holiday or sick leave is invited to a fire. Pure.
 */

/**
 * The default AWAY_STATUS_PATTERN, matched case-insensitively against the status text and the
 * status emoji: vacation, holiday(s), OOO, out of office, sick, leave (parental, annual, ...),
 * and the emoji people set for them (:palm_tree:, :airplane:, :face_with_thermometer:, ...).
 */
export const DEFAULT_AWAY_STATUS_PATTERN =
  '\\b(?:vacation|vacationing|holidays?|ooo|out of (?:the )?office|sick|leave|parental|pto)\\b|:(?:palm_tree|desert_island|airplane|face_with_thermometer|sick|thermometer|baby|beach_with_umbrella):';

export interface SlackStatus {
  text?: string | null;
  emoji?: string | null;
  /** Unix seconds; 0 or absent means the status does not expire */
  expiration?: number | null;
}

/** True when the status (not yet expired at `now`) matches the pattern. */
export function isAway(status: SlackStatus | null | undefined, now: Date, pattern: RegExp = new RegExp(DEFAULT_AWAY_STATUS_PATTERN, 'i')): boolean {
  if (!status) return false;
  if (status.expiration && status.expiration * 1000 <= now.getTime()) return false;
  const matcher = new RegExp(pattern.source, pattern.flags.replace('g', ''));
  return [status.text, status.emoji].some((part) => Boolean(part) && matcher.test(part!));
}
