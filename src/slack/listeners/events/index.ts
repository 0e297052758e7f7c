import type { App } from '@slack/bolt';
import type { Deps } from '../../../deps';
import { ingestEvent } from '../../../flows/event-flow';
import { HANDLED_EVENT_TYPES } from '../../event-schemas';

/**
 * Every Events API event the app acts on is stored before it is acknowledged and processed by a
 * durable job; the listener itself does nothing else, so the acknowledgement stays fast.
 * (The HTTP receiver runs with processBeforeResponse, so a failed store answers 500 and Slack retries.)
 */
export function register(app: App, deps: Deps): void {
  for (const type of HANDLED_EVENT_TYPES) {
    app.event(type, async ({ body }) => {
      await ingestEvent(deps, body);
    });
  }
}
