import type { ListenerRouter } from '../router';
import type { BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps';
import { publishHome } from '../../flows/home-flow';
import { chooseOwnLevel, parseLevelChoice } from '../../flows/level-flow';
import { afterAck } from '../after-ack';
import { ACTION } from '../../slack/ids';
import type { Message } from '../../slack/views/blocks';
import { replyTo, replacesOnlyEphemeral } from '../commands/volunteer';

/**
 * "I'm here to learn" / "I'm an experienced responder" (SPEC.md section 3). In a DM the answer is a
 * new message (the DM stays); on the Home tab the tab is published again with the choice marked.
 */
export function onLevelChoice(deps: Deps) {
  return async ({ ack, body, action, respond }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const user = body.user.id;
    const choice = parseLevelChoice(action.value);
    if (!choice) {
      deps.log.warn({ user, action: action.action_id, value: action.value }, 'level choice button with an unknown value; ignored');
      return;
    }
    const fromHome = action.action_id === ACTION.homeLevelChoice;
    const tell = (message: Message) => replyTo(deps, user, fromHome ? undefined : respond, message, { replace_original: replacesOnlyEphemeral(body) });
    afterAck(deps, { person: user, context: { action: action.action_id, value: choice } }, async () => {
      const answer = await chooseOwnLevel(deps, user, choice);
      if (fromHome) await publishHome(deps, user);
      else await tell(answer);
    }, tell);
  };
}

export function register(app: ListenerRouter, deps: Deps): void {
  for (const id of [ACTION.levelChoice, ACTION.homeLevelChoice]) app.action<BlockAction<ButtonAction>>(id, onLevelChoice(deps));
}
