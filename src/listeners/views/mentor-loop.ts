import type { ListenerRouter } from '../router';
import type { SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { Deps } from '../../deps';
import { submitMentorReply, submitNotYet } from '../../flows/mentor-loop-flow';
import { GROWTH_BLOCK, VIEW } from '../../slack/ids';

function learningIdOf(privateMetadata: string): number {
  try {
    const id = (JSON.parse(privateMetadata) as { learningId?: unknown }).learningId;
    return typeof id === 'number' ? id : 0;
  } catch {
    return 0;
  }
}

/**
 * The mentor's Reply and "Not yet" forms (SPEC.md "Growth"). The acknowledgement carries the
 * verdict: an error (not the mentor, answered already, an empty reply) keeps the form open with the
 * message under the text; an empty ack closes it once the answer is stored and its DM queued.
 */
export function onMentorFormSubmitted(deps: Deps, form: 'reply' | 'not_yet') {
  return async ({ ack, body, view }: SlackViewMiddlewareArgs<ViewSubmitAction>): Promise<void> => {
    const text = view.state.values[GROWTH_BLOCK.text]?.[GROWTH_BLOCK.text]?.value;
    const input = { userId: body.user.id, learningId: learningIdOf(view.private_metadata) };
    const result = form === 'reply' ? await submitMentorReply(deps, { ...input, text }) : await submitNotYet(deps, { ...input, note: text });
    if (result.ok) {
      await ack();
      return;
    }
    await ack({ response_action: 'errors', errors: { [GROWTH_BLOCK.text]: result.error } });
  };
}

export function register(app: ListenerRouter, deps: Deps): void {
  app.view<ViewSubmitAction>(VIEW.mentorReply, onMentorFormSubmitted(deps, 'reply'));
  app.view<ViewSubmitAction>(VIEW.stageNotYet, onMentorFormSubmitted(deps, 'not_yet'));
}
