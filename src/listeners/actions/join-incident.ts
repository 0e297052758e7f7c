import type { ListenerRouter } from '../router';
import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { Deps } from '../../deps';
import { joinAsVolunteer } from '../../flows/join-flow';
import { ACTION } from '../../slack/ids';
import { onIdButton } from './id-button';

/** A Join button from a `/volunteer` reply: the value is the incident id. The list it came from stays. */
export const onJoinIncident = (deps: Deps) => onIdButton(deps, (user, incidentId) => joinAsVolunteer(deps, user, incidentId));

export function register(app: ListenerRouter, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.joinIncident, onJoinIncident(deps));
}
