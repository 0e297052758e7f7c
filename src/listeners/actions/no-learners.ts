import type { ListenerRouter } from '../router';
import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { Deps } from '../../deps';
import { pressNoLearners } from '../../flows/stand-down-flow';
import { ACTION } from '../../slack/ids';
import { onIdButton } from './id-button';

/** "No learners this time" on the intro message: the value is the incident id; the answer is ephemeral. */
export const onNoLearners = (deps: Deps) => onIdButton(deps, (user, incidentId) => pressNoLearners(deps, user, incidentId));

export function register(app: ListenerRouter, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.noLearners, onNoLearners(deps));
}
