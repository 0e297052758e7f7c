import type { App, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../../deps';
import { afterAck, publishHome } from '../../../flows/volunteer-flow';

/**
 * app_home_opened is not stored like the incident events: a lost one only means a Home tab that
 * is published on the next visit. The publish runs after the acknowledgement, to keep it fast.
 */
export function onAppHomeOpened(deps: Deps) {
  return async ({ event }: SlackEventMiddlewareArgs<'app_home_opened'>): Promise<void> => {
    if (event.tab !== 'home') return;
    afterAck(deps, { user: event.user, event: 'app_home_opened' }, () => publishHome(deps, event.user));
  };
}

export function register(app: App, deps: Deps): void {
  app.event('app_home_opened', onAppHomeOpened(deps));
}
