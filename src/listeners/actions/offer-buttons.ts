import type { ListenerRouter } from '../router';
import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { Deps } from '../../deps';
import { acceptOffer, declineOffer } from '../../flows/offer-flow';
import { ACTION } from '../../slack/ids';
import { onIdButton } from './id-button';

/**
 * An offer DM's "Join" / "Not now" (INVITE_MODE=offer): the value is the offer id. The DM itself is
 * updated by the flow; a new ephemeral message answers only what went wrong or was refused.
 */
export const onOfferButton = (deps: Deps) =>
  onIdButton(deps, (user, offerId, actionId) => (actionId === ACTION.offerJoin ? acceptOffer(deps, user, offerId) : declineOffer(deps, user, offerId)));

export function register(app: ListenerRouter, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.offerJoin, onOfferButton(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.offerNotNow, onOfferButton(deps));
}
