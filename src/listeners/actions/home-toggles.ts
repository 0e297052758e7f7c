import type { ListenerRouter } from '../router';
import type { BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps';
import { applyHomeSwitch, parseHomeSwitch } from '../../flows/home-flow';
import { afterAck } from '../after-ack';
import { ACTION } from '../../slack/ids';

/** The Home tab's switches: each button names the state it switches to; the tab is published again after. */
export function onHomeToggle(deps: Deps) {
  return async ({ ack, body, action }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const change = parseHomeSwitch(action.action_id, action.value);
    if (!change) {
      deps.log.warn({ user: body.user.id, action: action.action_id, value: action.value }, 'home tab button with an unknown value; ignored');
      return;
    }
    afterAck(deps, { person: body.user.id, context: { action: action.action_id } }, () => applyHomeSwitch(deps, body.user.id, change));
  };
}

export function register(app: ListenerRouter, deps: Deps): void {
  for (const id of [ACTION.toggleVolunteer, ACTION.toggleOptOut, ACTION.toggleDigest]) {
    app.action<BlockAction<ButtonAction>>(id, onHomeToggle(deps));
  }
}
