import { z } from 'zod';

/**
 * The inner events the app acts on, validated before anything is stored: a payload that does not
 * fit is acknowledged (Slack must not retry garbage) and logged, and writes nothing.
 */
const slackId = z.string().regex(/^[A-Z0-9]{2,64}$/);
const channelName = z.string().min(1).max(255);

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
  member_joined_channel: z.object({ type: z.literal('member_joined_channel'), user: slackId, channel: slackId, inviter: slackId.optional() }),
  member_left_channel: z.object({ type: z.literal('member_left_channel'), user: slackId, channel: slackId }),
} as const;

export type HandledEventType = keyof typeof EVENT_SCHEMAS;
export type HandledEvent = { [K in HandledEventType]: z.infer<(typeof EVENT_SCHEMAS)[K]> }[HandledEventType];

export const HANDLED_EVENT_TYPES = Object.keys(EVENT_SCHEMAS) as HandledEventType[];

export const envelopeSchema = z.object({
  type: z.literal('event_callback'),
  event_id: z.string().min(1).max(128),
  event_time: z.number().optional(),
  event: z.object({ type: z.string() }).passthrough(),
});

export function parseEvent(raw: unknown): { ok: true; event: HandledEvent } | { ok: false; problem: string } {
  const type = (raw as { type?: unknown })?.type;
  if (typeof type !== 'string' || !(type in EVENT_SCHEMAS)) return { ok: false, problem: `unhandled event type ${String(type)}` };
  const parsed = EVENT_SCHEMAS[type as HandledEventType].safeParse(raw);
  if (!parsed.success) return { ok: false, problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  return { ok: true, event: parsed.data as HandledEvent };
}
