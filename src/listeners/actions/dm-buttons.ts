import type { ListenerRouter } from '../router';
import type { BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps';
import { parseDmButton, runVolunteerCommand } from '../../flows/volunteer-command-flow';
import { afterAck } from '../after-ack';
import { ACTION } from '../../slack/ids';
import type { Message } from '../../slack/views/blocks';
import { replyTo, replacesOnlyEphemeral } from '../commands/volunteer';

/**
 * The buttons of the DMs (welcome, weekly digest): each does what its `/volunteer` command does
 * and answers with an ephemeral message of its own, leaving the DM it came from as it was.
 */
export function onDmButton(deps: Deps) {
  return async ({ ack, body, action, respond }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const user = body.user.id;
    const command = parseDmButton(action.action_id, action.value);
    if (!command) {
      deps.log.warn({ user, action: action.action_id, value: action.value }, 'DM button with an unknown value; ignored');
      return;
    }
    const tell = (message: Message) => replyTo(deps, user, respond, message, { replace_original: replacesOnlyEphemeral(body) });
    afterAck(deps, { person: user, context: { action: action.action_id, value: action.value } }, async () => {
      await tell(await runVolunteerCommand(deps, user, command));
    }, tell);
  };
}

export function register(app: ListenerRouter, deps: Deps): void {
  for (const id of [ACTION.dmVolunteer, ACTION.dmInvites, ACTION.dmDigest, ACTION.dmStats]) {
    app.action<BlockAction<ButtonAction>>(id, onDmButton(deps));
  }
}
