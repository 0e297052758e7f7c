import type { App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps';
import { joinAsVolunteer } from '../../flows/join-flow';
import { afterAck } from '../after-ack';
import { ACTION } from '../../slack/ids';
import type { Message } from '../../slack/views/blocks';
import { incidentGoneReply } from '../../slack/views/volunteer-replies';
import { replyTo } from '../commands/volunteer';

/** A Join button from a `/volunteer` reply: the value is the incident id. The list it came from stays. */
export function onJoinIncident(deps: Deps) {
  return async ({ ack, body, action, respond }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const user = body.user.id;
    const tell = (message: Message) => replyTo(deps, user, respond, message, { replace_original: false });
    const incidentId = Number(action.value);
    afterAck(deps, { person: user, context: { action: ACTION.joinIncident, incident: action.value } }, async () => {
      if (!Number.isSafeInteger(incidentId) || incidentId <= 0) {
        deps.log.warn({ user, value: action.value }, 'join button with a malformed incident id');
        await tell(incidentGoneReply());
        return;
      }
      await tell(await joinAsVolunteer(deps, user, incidentId));
    }, tell);
  };
}

export function register(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.joinIncident, onJoinIncident(deps));
}
