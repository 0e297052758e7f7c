import { actions, button, channelLink, context, section, type Message } from './blocks';
import { ACTION, OFFER_BUTTONS_BLOCK } from '../ids';
import { formatDuration } from '../../domain/duration';

// INVITE_MODE=offer (SPEC.md section 4): the DM that asks a chosen person first, and what it
// becomes once answered, timed out, withdrawn or outlived by the incident (chat.update).

export interface OfferInput {
  offerId: number;
  channelId: string;
  source: 'volunteer' | 'auto_invite';
  timeoutMs: number;
}

export function offerDm({ offerId, channelId, source, timeoutMs }: OfferInput): Message {
  const why =
    source === 'volunteer'
      ? 'You volunteered, so you are first in line.'
      : 'Fires are where engineers learn fastest, and you have been to fewer of them lately than most people working right now.';
  const text = `There is a fire in ${channelLink(channelId)}: would you like to join it to learn?`;
  return {
    text,
    blocks: [
      section(`:fire_engine: ${text} ${why}`),
      section('Watching is fine: nobody expects you to fix anything, and a mentor or a responder answers questions in a thread.'),
      context(`No answer within ${formatDuration(timeoutMs)} counts as "Not now", and nobody minds either way.`),
      actions(OFFER_BUTTONS_BLOCK, button('Join', ACTION.offerJoin, String(offerId), 'primary'), button('Not now', ACTION.offerNotNow, String(offerId))),
    ],
  };
}

/** How an offer ended, as its DM then says it. */
export type OfferEnd = 'accepted' | 'declined' | 'expired' | 'withdrawn' | 'resolved';

const ENDINGS: Record<OfferEnd, (channel: string) => string> = {
  accepted: (c) => `You joined ${c}. A welcome note with who leads and where to ask follows.`,
  declined: (c) => `Not now for ${c}: no problem. Someone else is asked instead.`,
  expired: (c) => `This offer for ${c} timed out, so someone else was asked. No harm done.`,
  withdrawn: (c) => `The responders in ${c} asked to keep the channel small, so this offer is withdrawn.`,
  resolved: (c) => `${c} was resolved before you answered, so this offer is closed.`,
};

/** The offer DM after it ended: the buttons are gone. */
export function offerEndedDm({ channelId, end }: { channelId: string; end: OfferEnd }): Message {
  const text = ENDINGS[end](channelLink(channelId));
  return { text, blocks: [section(text)] };
}

/** The ephemeral answer to a button of an offer that already ended (a second press, a stale DM). */
export function offerClosedReply({ channelId, end }: { channelId: string; end: OfferEnd }): Message {
  const text = `This offer is closed. ${ENDINGS[end](channelLink(channelId))}`;
  return { text, blocks: [section(text)] };
}

/** A button pressed by someone the offer was not made to (a forwarded or forged payload). */
export function notYourOfferReply(): Message {
  const text = 'This offer was made to someone else, so nothing changed.';
  return { text, blocks: [section(text)] };
}
