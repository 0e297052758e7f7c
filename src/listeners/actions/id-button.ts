import type { BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps';
import { afterAck } from '../after-ack';
import type { Message } from '../../slack/views/blocks';
import { incidentGoneReply } from '../../slack/views/volunteer-replies';
import { replyTo } from '../commands/volunteer';

/**
 * A button whose value is the id of a row (an incident, an offer): acknowledged at once, the id
 * checked, then `run` after the acknowledgement. Its answer, if any, is a new ephemeral message
 * (by DM when the button came without a response_url); the message the button is in stays.
 */
export function onIdButton(deps: Deps, run: (user: string, id: number, actionId: string) => Promise<Message | null>) {
  return async ({ ack, body, action, respond }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const user = body.user.id;
    const tell = (message: Message) => replyTo(deps, user, respond, message, { replace_original: false });
    const id = Number(action.value);
    afterAck(deps, { person: user, context: { action: action.action_id, value: action.value } }, async () => {
      if (!Number.isSafeInteger(id) || id <= 0) {
        deps.log.warn({ user, action: action.action_id, value: action.value }, 'button with a malformed id');
        await tell(incidentGoneReply());
        return;
      }
      const answer = await run(user, id, action.action_id);
      if (answer) await tell(answer);
    }, tell);
  };
}
