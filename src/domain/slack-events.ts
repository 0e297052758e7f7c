import { z } from 'zod';

/**
 * Pure zod schemas of the Slack events the app keeps: the listener checks a payload with them
 * before it is stored, and the event job checks the stored row again before acting on it, so
 * both sides import them from here, below flows.
 *
 * The inner events the app acts on, validated before anything is stored: a payload that does not
 * fit is acknowledged (Slack must not retry garbage) and logged, and writes nothing.
 */
const slackId = z.string().regex(/^[A-Z0-9]{2,64}$/);
// Slack channel names are at most 80 characters; a longer one is not from Slack, and is refused before any pattern runs on it.
export const MAX_CHANNEL_NAME = 80;
const channelName = z.string().min(1).max(MAX_CHANNEL_NAME);
const CONVERT_TO_PRIVATE = 'channel_convert_to_private';

export const EVENT_SCHEMAS = {
  channel_created: z.object({
    type: z.literal('channel_created'),
    channel: z.object({ id: slackId, name: channelName, created: z.number().optional(), creator: slackId.optional() }),
  }),
  channel_rename: z.object({
    type: z.literal('channel_rename'),
    channel: z.object({ id: slackId, name: channelName, created: z.number().optional() }),
  }),
  group_rename: z.object({
    type: z.literal('group_rename'),
    channel: z.object({ id: slackId, name: channelName, created: z.number().optional() }),
  }),
  channel_archive: z.object({ type: z.literal('channel_archive'), channel: slackId, user: slackId.optional() }),
  group_archive: z.object({ type: z.literal('group_archive'), channel: slackId }),
  channel_deleted: z.object({ type: z.literal('channel_deleted'), channel: slackId }),
  group_deleted: z.object({ type: z.literal('group_deleted'), channel: slackId }),
  channel_unarchive: z.object({ type: z.literal('channel_unarchive'), channel: slackId, user: slackId.optional() }),
  group_unarchive: z.object({ type: z.literal('group_unarchive'), channel: slackId, user: slackId.optional() }),
  member_joined_channel: z.object({ type: z.literal('member_joined_channel'), user: slackId, channel: slackId, inviter: slackId.optional() }),
  member_left_channel: z.object({ type: z.literal('member_left_channel'), user: slackId, channel: slackId }),
  // A watched user group changed (ELIGIBLE_USERGROUPS, ADMIN_USERGROUPS): its members are read again.
  subteam_members_changed: z.object({ type: z.literal('subteam_members_changed'), subteam_id: slackId, added_users: z.array(slackId).optional(), removed_users: z.array(slackId).optional() }),
  subteam_updated: z.object({ type: z.literal('subteam_updated'), subteam: z.object({ id: slackId, handle: z.string().optional(), date_delete: z.number().optional() }) }),
  // Only this subtype is stored: Slack reports a channel made private in no other event.
  message: z.object({ type: z.literal('message'), subtype: z.literal(CONVERT_TO_PRIVATE), channel: slackId, user: slackId.optional() }),
} as const;

/**
 * The message subscriptions (manifest bot_events) that deliver `message` events from public and
 * private channels; the app is only in incident channels, and keeps only CONVERT_TO_PRIVATE.
 */
export const MESSAGE_SUBSCRIPTIONS = ['message.channels', 'message.groups'] as const;

/** Any other message (people talking in an incident channel): acknowledged, not stored, not logged. */
export function isUnwantedMessage(raw: { type: string; subtype?: unknown }): boolean {
  return raw.type === 'message' && raw.subtype !== CONVERT_TO_PRIVATE;
}

export type HandledEventType = keyof typeof EVENT_SCHEMAS;
export type HandledEvent = { [K in HandledEventType]: z.infer<(typeof EVENT_SCHEMAS)[K]> }[HandledEventType];

export const HANDLED_EVENT_TYPES = Object.keys(EVENT_SCHEMAS) as HandledEventType[];

export function parseEvent(raw: unknown): { ok: true; event: HandledEvent } | { ok: false; problem: string } {
  const type = (raw as { type?: unknown })?.type;
  if (typeof type !== 'string' || !(type in EVENT_SCHEMAS)) return { ok: false, problem: `unhandled event type ${String(type)}` };
  const parsed = EVENT_SCHEMAS[type as HandledEventType].safeParse(raw);
  if (!parsed.success) return { ok: false, problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  return { ok: true, event: parsed.data as HandledEvent };
}

/** What the events listener read from an Events API envelope, as plain values for the event flow. */
export type ReceivedEnvelope =
  | { kind: 'event'; type: HandledEventType; eventId: string; eventTime?: number; teamId?: string; event: Record<string, unknown> }
  /** a message the app does not keep (people talking): acknowledged, not stored, not logged */
  | { kind: 'ignored' }
  | { kind: 'invalid'; problem: string; eventId?: string };
