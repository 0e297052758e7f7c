import type { ListenerRouter } from '../router';
import { z } from 'zod';
import type { Deps } from '../../deps';
import { HANDLED_EVENT_TYPES, isUnwantedMessage, parseEvent, type ReceivedEnvelope } from '../../domain/slack-events';
import { ingestEvent } from '../../flows/event-flow';

const envelopeSchema = z.object({
  type: z.literal('event_callback'),
  event_id: z.string().min(1).max(128),
  event_time: z.number().optional(),
  event: z.object({ type: z.string() }).passthrough(),
});

/**
 * Reads an Events API envelope into plain values. The event is kept as Slack sent it (the event
 * job checks it again against the same schema), but only once it fits one the app handles.
 */
export function readEnvelope(body: unknown): ReceivedEnvelope {
  const outer = envelopeSchema.safeParse(body);
  if (!outer.success) return { kind: 'invalid', problem: 'not an event_callback envelope' };
  if (isUnwantedMessage(outer.data.event)) return { kind: 'ignored' };
  const inner = parseEvent(outer.data.event);
  if (!inner.ok) return { kind: 'invalid', problem: inner.problem, eventId: outer.data.event_id };
  const teamId = (body as { team_id?: unknown }).team_id;
  return {
    kind: 'event',
    type: inner.event.type,
    eventId: outer.data.event_id,
    ...(outer.data.event_time !== undefined ? { eventTime: outer.data.event_time } : {}),
    ...(typeof teamId === 'string' ? { teamId } : {}),
    event: outer.data.event,
  };
}

/**
 * Every Events API event the app acts on is stored before it is acknowledged and processed by a
 * durable job; the listener itself does nothing else, so the acknowledgement stays fast.
 * (The HTTP receiver runs with processBeforeResponse, so a failed store answers 500 and Slack retries.)
 */
export function onStoredEvent(deps: Deps) {
  return async ({ body }: { body: unknown }): Promise<void> => {
    await ingestEvent(deps, readEnvelope(body));
  };
}

/**
 * One listener for every stored type, matched by one pattern: Bolt runs the middleware chain of
 * every registered listener for every request, so a listener per type cost about 0.2 ms of CPU on
 * each acknowledgement (BENCHMARKS.md, ack).
 */
export const STORED_EVENT_TYPES = new RegExp(`^(?:${HANDLED_EVENT_TYPES.join('|')})$`);

export function register(app: ListenerRouter, deps: Deps): void {
  app.event(STORED_EVENT_TYPES, onStoredEvent(deps));
}
