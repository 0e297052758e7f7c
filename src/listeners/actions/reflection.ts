import type { ListenerRouter } from '../router';
import type { BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps';
import { REFLECTION_COPY } from '../../domain/prompts';
import { fillReflection } from '../../flows/prompt-flow';
import { afterAck } from '../after-ack';
import { ACTION } from '../../slack/ids';
import { section, type Message } from '../../slack/views/blocks';
import { reflectionLoadingModal } from '../../slack/views/reflection-modal';
import { replyTo } from '../commands/volunteer';

/**
 * The "write my reflection" button in the DM sent at resolution. trigger_id is valid for 3
 * seconds, so the modal opens straight away, before any queue or database, with a loading view;
 * the saved answers are filled in afterwards with views.update. If it cannot open (the trigger
 * expired, Slack is slow), the person is told so instead of seeing nothing.
 */
export function onOpenReflection(deps: Deps) {
  return async ({ ack, body, action, respond }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const user = body.user.id;
    const incidentId = Number(action.value);
    if (!Number.isSafeInteger(incidentId) || incidentId <= 0) {
      deps.log.warn({ user, value: action.value }, 'reflection button with a malformed incident id; ignored');
      return;
    }
    const opening = deps.slack.openModal(body.trigger_id, reflectionLoadingModal());
    // A new message, never replacing the DM the button is in.
    const tell = (message: Message) => replyTo(deps, user, respond, message, { replace_original: false });
    afterAck(deps, { person: user, context: { action: ACTION.openReflection, incident: incidentId } }, async () => {
      const opened = await opening;
      if (!opened.ok) {
        deps.log.warn({ user, incident: incidentId, error: opened.error }, 'the reflection form could not be opened');
        const text = REFLECTION_COPY.notOpened(opened.error);
        await tell({ text, blocks: [section(`:warning: ${text}`)] });
        return;
      }
      await fillReflection(deps, { userId: user, incidentId, viewId: opened.value.id, hash: opened.value.hash });
    }, tell);
  };
}

export function register(app: ListenerRouter, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.openReflection, onOpenReflection(deps));
}
