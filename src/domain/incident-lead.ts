/**
 * Who leads an incident, read from the channel (issue "Reads the incident before it adds
 * people"; SPEC.md section 4). Pure: the creator and the first messages in, a Slack id out.
 *
 * Incident tools (incident.io, Rootly, FireHydrant, PagerDuty) create the channel with their bot
 * and name the lead in their first message, e.g. "Severity: SEV1 · Incident lead: <@U123>" or
 * "Commander: <@U123|sam>". A bot is never the lead.
 */

/**
 * A mention after "Incident lead", "Incident commander", "Commander", "Lead" or "IC", with up to a
 * few separator characters between (`:`, `-`, `=`, `*` for bold, spaces). Mentions are `<@U…>` or
 * `<@W…>` (Enterprise Grid), optionally with `|name`.
 */
export const LEAD_MENTION = /(?:^|[^a-z])(?:incident\s+lead|incident\s+commander|commander|lead|ic)[\s:*_=-]{0,6}<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/i;

/** The person a message names as lead, if it does. */
export function namedLead(text: string | null | undefined): string | null {
  if (!text) return null;
  return LEAD_MENTION.exec(text)?.[1] ?? null;
}

export interface ChannelMessage {
  user: string | null;
  text: string | null;
  /** posted by a bot or an app (bot_id set, or a bot user) */
  fromBot: boolean;
}

export interface LeadInput {
  creatorId: string | null;
  /** whether the creator is a human (not a bot, an app or Slackbot) */
  creatorIsHuman: boolean;
  /** the channel's first messages, oldest first */
  messages: readonly ChannelMessage[];
  /** whether a Slack id is a human, for ids named in messages */
  isHuman: (slackId: string) => boolean;
}

export type LeadReason = 'creator' | 'named' | 'first_poster';

/**
 * The lead: the creator when a human; otherwise the human a message names as lead (the incident
 * tool's announcement), else the first human who posted. Null while nobody qualifies yet.
 */
export function findLead(input: LeadInput): { slackId: string; reason: LeadReason } | null {
  if (input.creatorId && input.creatorIsHuman) return { slackId: input.creatorId, reason: 'creator' };
  for (const message of input.messages) {
    const named = namedLead(message.text);
    if (named && input.isHuman(named)) return { slackId: named, reason: 'named' };
  }
  const poster = input.messages.find((m) => !m.fromBot && m.user && input.isHuman(m.user));
  return poster?.user ? { slackId: poster.user, reason: 'first_poster' } : null;
}
