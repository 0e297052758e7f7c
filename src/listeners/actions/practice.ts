import type { ListenerRouter } from '../router';
import type { BlockAction, ButtonAction, RespondFn, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps';
import { publishHome } from '../../flows/home-flow';
import { practiceReflectionOf, resumePracticeFor, startPractice, stopPracticeFor } from '../../flows/practice-flow';
import { afterAck } from '../after-ack';
import { ACTION } from '../../slack/ids';
import { section, type Message } from '../../slack/views/blocks';
import { practiceAnswerModal, practiceReflectionModal } from '../../slack/views/practice-messages';
import { REFLECTION_COPY } from '../../domain/prompts';
import { replyTo } from '../commands/volunteer';

/**
 * The buttons of a practice fire (SPEC.md "Practice fires"): start (offer DM, Home tab), answer
 * and reflect (they open a modal with the click's trigger at once), stop, resume (Home tab).
 * Answers are new messages; the DM's rounds stay as they are.
 */
type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

const fromHomeTab = (body: BlockAction) => (body.container as { type?: string } | undefined)?.type === 'view';
const positiveId = (text: string | undefined) => (/^\d{1,9}$/.test(text ?? '') && Number(text) > 0 ? Number(text) : null);

function teller(deps: Deps, body: BlockAction, respond: RespondFn | undefined) {
  // A Home tab button has no response_url: the answer goes to the DM, where the practice is.
  const via = fromHomeTab(body) ? undefined : respond;
  return (message: Message) => replyTo(deps, body.user.id, via, message, { replace_original: false });
}

export function onPracticeStart(deps: Deps) {
  return async ({ ack, body, respond }: Args): Promise<void> => {
    await ack();
    const user = body.user.id;
    const tell = teller(deps, body, respond);
    afterAck(deps, { person: user, context: { action: ACTION.practiceStart } }, async () => {
      await tell(await startPractice(deps, user));
      if (fromHomeTab(body)) await publishHome(deps, user);
    }, tell);
  };
}

export function onPracticeStop(deps: Deps) {
  return async ({ ack, body, action, respond }: Args): Promise<void> => {
    await ack();
    const user = body.user.id;
    const id = positiveId(action.value);
    if (id === null) return void deps.log.warn({ user, value: action.value }, 'practice button with a malformed id; ignored');
    const tell = teller(deps, body, respond);
    afterAck(deps, { person: user, context: { action: ACTION.practiceStop, practice: id } }, async () => tell(await stopPracticeFor(deps, user, id)), tell);
  };
}

export function onPracticeResume(deps: Deps) {
  return async ({ ack, body, action }: Args): Promise<void> => {
    await ack();
    const user = body.user.id;
    const id = positiveId(action.value);
    if (id === null) return void deps.log.warn({ user, value: action.value }, 'practice button with a malformed id; ignored');
    afterAck(deps, { person: user, context: { action: ACTION.practiceResume, practice: id } }, async () => {
      await resumePracticeFor(deps, user, id);
      await publishHome(deps, user);
    });
  };
}

/** "Answer": the short form opens at once (a trigger lasts 3 seconds); it needs nothing from the database. */
export function onPracticeAnswer(deps: Deps) {
  return async ({ ack, body, action, respond }: Args): Promise<void> => {
    await ack();
    const user = body.user.id;
    const match = /^(\d{1,9}):([1-9])$/.exec(action.value ?? '');
    if (!match) return void deps.log.warn({ user, value: action.value }, 'practice answer button with a malformed value; ignored');
    const opening = deps.slack.openModal(body.trigger_id, practiceAnswerModal(Number(match[1]), Number(match[2])));
    const tell = teller(deps, body, respond);
    afterAck(deps, { person: user, context: { action: ACTION.practiceAnswer } }, async () => {
      const opened = await opening;
      if (!opened.ok) await tell(notOpened(opened.error));
    }, tell);
  };
}

/** "Write my reflection" at the end of a practice: opens at once, then shows what was saved, if anything. */
export function onPracticeReflect(deps: Deps) {
  return async ({ ack, body, action, respond }: Args): Promise<void> => {
    await ack();
    const user = body.user.id;
    const id = positiveId(action.value);
    if (id === null) return void deps.log.warn({ user, value: action.value }, 'practice button with a malformed id; ignored');
    const opening = deps.slack.openModal(body.trigger_id, practiceReflectionModal(id));
    const tell = teller(deps, body, respond);
    afterAck(deps, { person: user, context: { action: ACTION.practiceReflect, practice: id } }, async () => {
      const opened = await opening;
      if (!opened.ok) return void (await tell(notOpened(opened.error)));
      const saved = await practiceReflectionOf(deps, user, id);
      if (saved?.whatHappened) await deps.slack.updateModal(opened.value.id, practiceReflectionModal(id, saved), opened.value.hash);
    }, tell);
  };
}

function notOpened(error: string): Message {
  const text = REFLECTION_COPY.notOpened(error);
  return { text, blocks: [section(`:warning: ${text}`)] };
}

export function register(app: ListenerRouter, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.practiceStart, onPracticeStart(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.practiceStop, onPracticeStop(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.practiceResume, onPracticeResume(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.practiceAnswer, onPracticeAnswer(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.practiceReflect, onPracticeReflect(deps));
}
