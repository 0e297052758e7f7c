import type { ListenerRouter } from '../router';
import type { SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps';
import { publishHome } from '../../flows/home-flow';
import { afterAck } from '../after-ack';

/**
 * app_home_opened is not stored like the incident events: a lost one only means a Home tab that
 * is published on the next visit. The publish runs after the acknowledgement, to keep it fast.
 */
export function onAppHomeOpened(deps: Deps) {
  return async ({ event }: SlackEventMiddlewareArgs<'app_home_opened'>): Promise<void> => {
    if (event.tab !== 'home') return;
    // A tab opened ten times in a second publishes once, plus once more if it changed meanwhile.
    afterAck(deps, { person: event.user, coalesce: 'publish_home', context: { event: 'app_home_opened' } }, () => publishHome(deps, event.user));
  };
}

export function register(app: ListenerRouter, deps: Deps): void {
  app.event('app_home_opened', onAppHomeOpened(deps));
}
