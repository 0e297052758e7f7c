import type { ListenerRouter } from '../router';
import type { BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps';
import { answerMentorAsk } from '../../flows/mentor-flow';
import { afterAck } from '../after-ack';
import { ACTION } from '../../slack/ids';
import type { Message } from '../../slack/views/blocks';
import { replyTo } from '../commands/volunteer';

/**
 * "I'll coach" / "Not this time" on the DM asking a mentor outside the channel (SPEC.md section 4).
 * The value is the ask's id; the flow updates the DM itself, and replies only when the ask is closed.
 */
export function onMentorAnswer(deps: Deps, answer: 'accept' | 'decline') {
  return async ({ ack, body, action, respond }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const user = body.user.id;
    const tell = (message: Message) => replyTo(deps, user, respond, message, { replace_original: false });
    afterAck(deps, { person: user, context: { action: action.action_id, ask: action.value } }, async () => {
      const reply = await answerMentorAsk(deps, user, Number(action.value), answer);
      if (reply) await tell(reply);
    }, tell);
  };
}

export function register(app: ListenerRouter, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.mentorAccept, onMentorAnswer(deps, 'accept'));
  app.action<BlockAction<ButtonAction>>(ACTION.mentorDecline, onMentorAnswer(deps, 'decline'));
}
