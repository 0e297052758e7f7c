import type { App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../../deps';
import { openReflection } from '../../../flows/prompt-flow';
import { ACTION } from '../../ids';

/** The "write my reflection" button in the DM sent at resolution: opens the reflection form. */
export function onOpenReflection(deps: Deps) {
  return async ({ ack, body, action }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const incidentId = Number(action.value);
    if (!Number.isSafeInteger(incidentId) || incidentId <= 0) {
      deps.log.warn({ user: body.user.id, value: action.value }, 'reflection button with a malformed incident id; ignored');
      return;
    }
    // trigger_id is valid for 3 seconds, so the modal opens right here rather than from a job.
    await openReflection(deps, { userId: body.user.id, incidentId, triggerId: body.trigger_id });
  };
}

export function register(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.openReflection, onOpenReflection(deps));
}
