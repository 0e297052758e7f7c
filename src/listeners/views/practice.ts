import type { ListenerRouter } from '../router';
import type { SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { Deps } from '../../deps';
import { answerPractice, submitPracticeReflection } from '../../flows/practice-flow';
import { PRACTICE_ANSWER_BLOCK, VIEW } from '../../slack/ids';
import { reflectionErrors, reflectionValues } from './reflection';

/**
 * A practice round's answer: the acknowledgement carries the verdict (an error keeps the modal
 * open), so it comes after validation and the one-row write; the next round is a queued job.
 */
export function onPracticeAnswerSubmitted(deps: Deps) {
  return async ({ ack, body, view }: SlackViewMiddlewareArgs<ViewSubmitAction>): Promise<void> => {
    const answer = view.state.values[PRACTICE_ANSWER_BLOCK]?.[PRACTICE_ANSWER_BLOCK]?.value;
    const result = await answerPractice(deps, { userId: body.user.id, privateMetadata: view.private_metadata, answer });
    if (result.ok) return void (await ack());
    await ack({ response_action: 'errors', errors: { [PRACTICE_ANSWER_BLOCK]: result.error } });
  };
}

/** The closing reflection of a practice, validated like a real fire's. */
export function onPracticeReflectionSubmitted(deps: Deps) {
  return async ({ ack, body, view }: SlackViewMiddlewareArgs<ViewSubmitAction>): Promise<void> => {
    const result = await submitPracticeReflection(deps, { userId: body.user.id, privateMetadata: view.private_metadata, values: reflectionValues(view) });
    if (result.ok) return void (await ack());
    await ack({ response_action: 'errors', errors: reflectionErrors(result.errors) });
  };
}

export function register(app: ListenerRouter, deps: Deps): void {
  app.view<ViewSubmitAction>(VIEW.practiceAnswer, onPracticeAnswerSubmitted(deps));
  app.view<ViewSubmitAction>(VIEW.practiceReflection, onPracticeReflectionSubmitted(deps));
}
