import type { ListenerRouter } from '../router';
import type { SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { Deps } from '../../deps';
import { answerPractice, submitPracticeReflection } from '../../flows/practice-flow';
import type { ReflectionField } from '../../domain/prompts';
import { PRACTICE_ANSWER_BLOCK, REFLECTION_BLOCK, VIEW } from '../../slack/ids';

const FIELDS = Object.keys(REFLECTION_BLOCK) as ReflectionField[];

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
    const values: Partial<Record<ReflectionField, string | null | undefined>> = {};
    for (const field of FIELDS) values[field] = view.state.values[REFLECTION_BLOCK[field]]?.[REFLECTION_BLOCK[field]]?.value;
    const result = await submitPracticeReflection(deps, { userId: body.user.id, privateMetadata: view.private_metadata, values });
    if (result.ok) return void (await ack());
    const errors: Record<string, string> = {};
    for (const field of FIELDS) {
      const message = result.errors[field];
      if (message) errors[REFLECTION_BLOCK[field]] = message;
    }
    await ack({ response_action: 'errors', errors });
  };
}

export function register(app: ListenerRouter, deps: Deps): void {
  app.view<ViewSubmitAction>(VIEW.practiceAnswer, onPracticeAnswerSubmitted(deps));
  app.view<ViewSubmitAction>(VIEW.practiceReflection, onPracticeReflectionSubmitted(deps));
}
