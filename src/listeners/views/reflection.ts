import type { ListenerRouter } from '../router';
import type { SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { Deps } from '../../deps';
import { submitReflection } from '../../flows/prompt-flow';
import type { ReflectionField } from '../../domain/prompts';
import { GROWTH_BLOCK, REFLECTION_BLOCK, VIEW } from '../../slack/ids';

const FIELDS = Object.keys(REFLECTION_BLOCK) as ReflectionField[];

type SubmittedView = ViewSubmitAction['view'];

/** The three answers of a reflection form (reflectionInputs), as typed; a practice's closing form has the same. */
export function reflectionValues(view: SubmittedView): Partial<Record<ReflectionField, string | null | undefined>> {
  const values: Partial<Record<ReflectionField, string | null | undefined>> = {};
  for (const field of FIELDS) values[field] = view.state.values[REFLECTION_BLOCK[field]]?.[REFLECTION_BLOCK[field]]?.value;
  return values;
}

/** Field errors keyed by the form's blocks, for `response_action: 'errors'`. */
export function reflectionErrors(errors: Partial<Record<ReflectionField, string>>): Record<string, string> {
  const byBlock: Record<string, string> = {};
  for (const field of FIELDS) {
    const message = errors[field];
    if (message) byBlock[REFLECTION_BLOCK[field]] = message;
  }
  return byBlock;
}

/**
 * A submitted reflection form. The acknowledgement carries the verdict (field errors keep the
 * modal open, an empty ack closes it), so it comes after validation and the one-row write.
 */
export function onReflectionSubmitted(deps: Deps) {
  return async ({ ack, body, view }: SlackViewMiddlewareArgs<ViewSubmitAction>): Promise<void> => {
    const values = reflectionValues(view);
    // "Share with my mentor": a form from before the checkbox existed has no such block and shares, as the default does.
    const shareBlock = view.state.values[GROWTH_BLOCK.share]?.[GROWTH_BLOCK.share];
    const share = shareBlock ? (shareBlock.selected_options ?? []).some((o) => o.value === 'share') : true;
    const result = await submitReflection(deps, { userId: body.user.id, privateMetadata: view.private_metadata, values, share });
    if (result.ok) {
      await ack();
      return;
    }
    await ack({ response_action: 'errors', errors: reflectionErrors(result.errors) });
  };
}

export function register(app: ListenerRouter, deps: Deps): void {
  app.view<ViewSubmitAction>(VIEW.reflection, onReflectionSubmitted(deps));
}
