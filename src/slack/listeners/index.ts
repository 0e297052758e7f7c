import type { App } from '@slack/bolt';
import type { Deps } from '../../deps';
import { register as registerEvents } from './events';

/** Every surface registers its own listeners; this is the one list of them. */
export function registerListeners(app: App, deps: Deps): void {
  registerEvents(app, deps);
}
