import type { ListenerRouter } from '../router';
import type { BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps';
import { askToAttendReview } from '../../flows/postmortem-flow';
import { afterAck } from '../after-ack';
import { ACTION } from '../../slack/ids';
import type { Message } from '../../slack/views/blocks';
import { attendReviewReply } from '../../slack/views/postmortem-messages';
import { replyTo } from '../commands/volunteer';

/** "I'd like to attend the review" in a postmortem DM: the value is the incident id. The DM stays as it was. */
export function onAttendReview(deps: Deps) {
  return async ({ ack, body, action, respond }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const user = body.user.id;
    const tell = (message: Message) => replyTo(deps, user, respond, message, { replace_original: false });
    const incidentId = Number(action.value);
    afterAck(deps, { person: user, context: { action: ACTION.attendReview, incident: action.value } }, async () => {
      if (!Number.isSafeInteger(incidentId) || incidentId <= 0) {
        deps.log.warn({ user, value: action.value }, 'attend-review button with a malformed incident id');
        await tell(attendReviewReply('not_a_learner', null));
        return;
      }
      await tell(await askToAttendReview(deps, { userId: user, incidentId }));
    }, tell);
  };
}

export function register(app: ListenerRouter, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.attendReview, onAttendReview(deps));
}
