import type { App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps';
import { acceptOffer, declineOffer } from '../../flows/offer-flow';
import { afterAck } from '../after-ack';
import { ACTION } from '../../slack/ids';
import type { Message } from '../../slack/views/blocks';
import { incidentGoneReply } from '../../slack/views/volunteer-replies';
import { replyTo } from '../commands/volunteer';

/**
 * An offer DM's "Join" / "Not now" (INVITE_MODE=offer): the value is the offer id. The DM itself is
 * updated by the flow; a new ephemeral message answers only what went wrong or was refused.
 */
export function onOfferButton(deps: Deps) {
  return async ({ ack, body, action, respond }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const user = body.user.id;
    const tell = (message: Message) => replyTo(deps, user, respond, message, { replace_original: false });
    const offerId = Number(action.value);
    afterAck(deps, { person: user, context: { action: action.action_id, offer: action.value } }, async () => {
      if (!Number.isSafeInteger(offerId) || offerId <= 0) {
        deps.log.warn({ user, value: action.value }, 'offer button with a malformed offer id');
        await tell(incidentGoneReply());
        return;
      }
      const answer = action.action_id === ACTION.offerJoin ? await acceptOffer(deps, user, offerId) : await declineOffer(deps, user, offerId);
      if (answer) await tell(answer);
    }, tell);
  };
}

export function register(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.offerJoin, onOfferButton(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.offerNotNow, onOfferButton(deps));
}
