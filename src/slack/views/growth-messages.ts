import type { InputBlock, ModalView } from '@slack/types';
import { ACTION, GROWTH_BLOCK, VIEW } from '../ids';
import { actions, button, channelLink, context, listOf, mention, plainText, section, type Block, type Message } from './blocks';
import { MENTOR_LOOP_COPY, progressText, REPLY_MAX_CHARS, STAGE_COPY, stageLabel } from '../../domain/prompts';
import type { MentorDecision, Progress, Stage } from '../../domain/progression';
import type { IncidentRef } from '../../domain/digest';
import type { DigestGrowth } from '../../domain/digest-growth';

// The growth path in Slack (SPEC.md section "Growth"): the stage in the welcome DM and the
// mentor's DM, the mentor's reflection DM with its buttons and modals, and the learner's answers.

/** The welcome DM's stage part: "your role this time: scribe", what that means and how to do it. */
export function stageWelcomeBlocks(stage: Stage): Block[] {
  const copy = STAGE_COPY[stage];
  return [section(`:dart: *Your role this time: ${copy.label}*: ${copy.meaning}\n${copy.welcome}`)];
}

/** The mentor's pairing DM's stage part: the learner's stage, ways to give them that role, what the next stage needs. */
export function mentorStageBlocks(input: { stage: Stage; progress: Progress }): Block[] {
  const copy = STAGE_COPY[input.stage];
  return [
    section(`${MENTOR_LOOP_COPY.stageHeading(copy.label)}: ${copy.meaning}\n${copy.mentorIdeas.map((idea) => `• ${idea}`).join('\n')}`),
    context(progressText(input.progress, 'they')),
  ];
}

/** One line for a prompt: the question through the stage's eyes (the orientation gets the stage's first task). */
export function stagePromptBlocks(stage: Stage, orientation: boolean): Block[] {
  return [context(orientation ? STAGE_COPY[stage].orientationTask : STAGE_COPY[stage].promptTip)];
}

/** The stage in `/volunteer stats` and on the Home tab, with what the next one needs. */
export function stageStatsBlocks(progress: Progress): Block[] {
  const held = progress.heldWithNote ? `\n${MENTOR_LOOP_COPY.note(progress.heldWithNote)}` : '';
  return [section(`*Stage*: ${stageLabel(progress.stage)}: ${STAGE_COPY[progress.stage].meaning}\n${progressText(progress)}${held}`)];
}

export interface MentorReflectionInput {
  learningId: number;
  learnerId: string;
  channelId: string;
  /** null when the learner kept the text to themselves */
  answers: { whatHappened: string; checkFirst: string; learned: string } | null;
  stage: Stage;
  progress: Progress;
}

/** The mentor's after-incident DM: the reflection (when shared) with Reply, and the stage buttons. */
export function mentorReflectionDm(input: MentorReflectionInput): Message {
  const learner = mention(input.learnerId);
  const channel = channelLink(input.channelId);
  const text = input.answers ? MENTOR_LOOP_COPY.shared(learner, channel) : MENTOR_LOOP_COPY.private(learner, channel);
  const value = String(input.learningId);
  const blocks: Block[] = [section(`:seedling: ${text}`)];
  if (input.answers) {
    blocks.push(
      section(`*What happened?*\n${quoteText(input.answers.whatHappened)}`),
      section(`*What would you check first next time?*\n${quoteText(input.answers.checkFirst)}`),
      section(`*One thing learned*\n${quoteText(input.answers.learned)}`),
    );
  }
  blocks.push(...mentorStageBlocks({ stage: input.stage, progress: input.progress }));
  const stageButtons = input.progress.next ? [button(MENTOR_LOOP_COPY.ready, ACTION.stageReady, value, 'primary'), button(MENTOR_LOOP_COPY.notYet, ACTION.stageNotYet, value)] : [];
  const buttons = [...(input.answers ? [button(MENTOR_LOOP_COPY.reply, ACTION.mentorReply, value)] : []), ...stageButtons];
  if (buttons.length > 0) blocks.push(actions(GROWTH_BLOCK.mentorButtons, ...buttons));
  return { text, blocks };
}

/** The learner's own words, quoted, with mentions and links made inert. */
function quoteText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

function textModal(input: { callbackId: string; learningId: number; title: string; intro: string; label: string; placeholder: string; submit: string; optional: boolean }): ModalView {
  const field: InputBlock = {
    type: 'input',
    block_id: GROWTH_BLOCK.text,
    optional: input.optional,
    label: plainText(input.label),
    element: { type: 'plain_text_input', action_id: GROWTH_BLOCK.text, multiline: true, max_length: REPLY_MAX_CHARS, placeholder: plainText(input.placeholder) },
  };
  return {
    type: 'modal',
    callback_id: input.callbackId,
    private_metadata: JSON.stringify({ learningId: input.learningId }),
    title: plainText(input.title),
    submit: plainText(input.submit),
    close: plainText(MENTOR_LOOP_COPY.cancel),
    blocks: [section(input.intro), field],
  };
}

/** "Reply": the mentor writes to the learner about their reflection. */
export function mentorReplyModal(learningId: number): ModalView {
  return textModal({
    callbackId: VIEW.mentorReply,
    learningId,
    title: MENTOR_LOOP_COPY.replyTitle,
    intro: 'Your reply goes to them by DM and is kept with their reflection.',
    label: MENTOR_LOOP_COPY.replyLabel,
    placeholder: MENTOR_LOOP_COPY.replyPlaceholder,
    submit: MENTOR_LOOP_COPY.replySubmit,
    optional: false,
  });
}

/** "Not yet": an optional note the learner reads. */
export function notYetModal(learningId: number): ModalView {
  return textModal({
    callbackId: VIEW.stageNotYet,
    learningId,
    title: MENTOR_LOOP_COPY.notYetTitle,
    intro: 'They stay at their stage for now; they are told, with your note if you write one.',
    label: MENTOR_LOOP_COPY.notYetLabel,
    placeholder: MENTOR_LOOP_COPY.notYetPlaceholder,
    submit: MENTOR_LOOP_COPY.notYetSubmit,
    optional: true,
  });
}

/** The mentor's reply, delivered to the learner. */
export function mentorReplyToLearnerDm(input: { mentorId: string; channelId: string; reply: string }): Message {
  const head = MENTOR_LOOP_COPY.replyToLearner(mention(input.mentorId), channelLink(input.channelId));
  return { text: `${head} ${input.reply}`, blocks: [section(`:speech_balloon: ${head}`), section(quoteText(input.reply))] };
}

/** The mentor's stage answer, delivered to the learner. */
export function stageDecisionDm(input: { mentorId: string; decision: MentorDecision; stage: Stage; note: string | null }): Message {
  const mentor = mention(input.mentorId);
  const copy = STAGE_COPY[input.stage];
  const head = input.decision === 'ready' ? MENTOR_LOOP_COPY.reachedStage(mentor, copy.label, copy.meaning) : MENTOR_LOOP_COPY.heldAtStage(mentor, copy.label);
  const blocks: Block[] = [section(`${input.decision === 'ready' ? ':tada:' : ':seedling:'} ${head}`)];
  if (input.note) blocks.push(section(MENTOR_LOOP_COPY.note(quoteText(input.note).replace(/^> /gm, ''))));
  return { text: head, blocks };
}

/** The next working morning: a debrief with each learner who reflected and has no reply yet. */
export function debriefNudgeDm(input: { channelId: string; learnerIds: string[] }): Message {
  const text = MENTOR_LOOP_COPY.debrief(listOf(input.learnerIds.map(mention)), channelLink(input.channelId));
  return { text, blocks: [section(`:coffee: ${text}`), context(MENTOR_LOOP_COPY.debriefFooter)] };
}

/** An answer to the mentor, after a button or a modal (ephemeral). */
export function mentorLoopReply(text: string): Message {
  return { text, blocks: [section(text)] };
}

/** `/volunteer admin stage`: what changed (the person is not told by DM: their next welcome DM says it). */
export function stageSetReply(userId: string, stage: Stage, previous: Stage): Message {
  const text = previous === stage ? `${mention(userId)} was already ${stageLabel(stage)}; nothing changed.` : `${mention(userId)} is now ${stageLabel(stage)} (was ${stageLabel(previous)}), from their next fire.`;
  return { text, blocks: [section(text)] };
}

/** The digest's growth section, in the digest's style (Block Kit mrkdwn or plain text): stage, progress, a stage reached, the mentor's replies. */
export function digestGrowthLines(growth: DigestGrowth, s: { bold(text: string): string; channel(incident: IncidentRef): string; quote(text: string): string }): string[] {
  const copy = STAGE_COPY[growth.progress.stage];
  const lines = [
    growth.reached
      ? `${s.bold('Stage reached this week')}: ${STAGE_COPY[growth.reached].label}, ${STAGE_COPY[growth.reached].meaning}`
      : `${s.bold('Your stage')}: ${copy.label}, ${copy.meaning}`,
    progressText(growth.progress),
  ];
  for (const r of growth.replies.slice(0, MAX_DIGEST_REPLIES)) {
    lines.push(`${s.bold('Your mentor replied')} about ${s.channel(r)}: “${s.quote(r.text.replace(/\s+/g, ' ').trim().slice(0, MAX_DIGEST_REPLY_CHARS))}”`);
  }
  return lines;
}

export const MAX_DIGEST_REPLIES = 3;
export const MAX_DIGEST_REPLY_CHARS = 280;
