import type { ListenerRouter } from '../router';
import type { BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps';
import { decideStage } from '../../flows/mentor-loop-flow';
import { afterAck } from '../after-ack';
import { ACTION } from '../../slack/ids';
import type { Message } from '../../slack/views/blocks';
import { mentorLoopReply, mentorReplyModal, notYetModal } from '../../slack/views/growth-messages';
import { replyTo } from '../commands/volunteer';

/**
 * The buttons of the mentor's reflection DM (SPEC.md "Growth"). Reply and "Not yet" open their
 * form at once with the click's trigger_id (valid 3 seconds), before any read: whether the presser
 * is the incident's mentor is checked when the form is sent. "Ready for the next step" is answered
 * after the acknowledgement, in a new ephemeral message; the DM stays as it is.
 */
function learningIdOf(value: string | undefined): number | null {
  const id = Number(value);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

export function onOpenMentorForm(deps: Deps, form: 'reply' | 'not_yet') {
  return async ({ ack, body, action, respond }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const user = body.user.id;
    const learningId = learningIdOf(action.value);
    if (learningId === null) {
      deps.log.warn({ user, action: action.action_id, value: action.value }, 'mentor button with a malformed learning id; ignored');
      return;
    }
    const opening = deps.slack.openModal(body.trigger_id, form === 'reply' ? mentorReplyModal(learningId) : notYetModal(learningId));
    const tell = (message: Message) => replyTo(deps, user, respond, message, { replace_original: false });
    afterAck(deps, { person: user, context: { action: action.action_id, learning: learningId } }, async () => {
      const opened = await opening;
      if (!opened.ok) {
        deps.log.warn({ user, learning: learningId, error: opened.error }, 'a mentor form could not be opened');
        await tell(mentorLoopReply(`I could not open the form (Slack said \`${opened.error}\`). Please press the button again.`));
      }
    }, tell);
  };
}

export function onStageReady(deps: Deps) {
  return async ({ ack, body, action, respond }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const user = body.user.id;
    const learningId = learningIdOf(action.value);
    if (learningId === null) {
      deps.log.warn({ user, value: action.value }, 'stage button with a malformed learning id; ignored');
      return;
    }
    const tell = (message: Message) => replyTo(deps, user, respond, message, { replace_original: false });
    afterAck(deps, { person: user, context: { action: action.action_id, learning: learningId } }, async () => {
      const decided = await decideStage(deps, { userId: user, learningId, decision: 'ready' });
      await tell(decided.ok ? decided.reply : mentorLoopReply(decided.error));
    }, tell);
  };
}

export function register(app: ListenerRouter, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.mentorReply, onOpenMentorForm(deps, 'reply'));
  app.action<BlockAction<ButtonAction>>(ACTION.stageNotYet, onOpenMentorForm(deps, 'not_yet'));
  app.action<BlockAction<ButtonAction>>(ACTION.stageReady, onStageReady(deps));
}
