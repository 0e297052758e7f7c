import type { App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps';
import { pressNoLearners } from '../../flows/stand-down-flow';
import { afterAck } from '../after-ack';
import { ACTION } from '../../slack/ids';
import type { Message } from '../../slack/views/blocks';
import { incidentGoneReply } from '../../slack/views/volunteer-replies';
import { replyTo } from '../commands/volunteer';

/** "No learners this time" on the intro message: the value is the incident id; the answer is ephemeral. */
export function onNoLearners(deps: Deps) {
  return async ({ ack, body, action, respond }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const user = body.user.id;
    const tell = (message: Message) => replyTo(deps, user, respond, message, { replace_original: false });
    const incidentId = Number(action.value);
    afterAck(deps, { person: user, context: { action: ACTION.noLearners, incident: action.value } }, async () => {
      if (!Number.isSafeInteger(incidentId) || incidentId <= 0) {
        deps.log.warn({ user, value: action.value }, 'no-learners button with a malformed incident id');
        await tell(incidentGoneReply());
        return;
      }
      await tell(await pressNoLearners(deps, user, incidentId));
    }, tell);
  };
}

export function register(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.noLearners, onNoLearners(deps));
}
