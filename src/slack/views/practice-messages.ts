import type { InputBlock, KnownBlock, ModalView } from '@slack/types';
import type { PracticeLine } from '../../domain/practice';
import { REFLECTION_MAX_CHARS, type ReflectionAnswers } from '../../domain/prompts';
import { ACTION, PRACTICE_ANSWER_BLOCK, VIEW } from '../ids';
import { reflectionInputs } from './reflection-modal';
import { actions, button, channelLink, context, plainText, section, type Message } from './blocks';

/**
 * The messages and forms of a practice fire (SPEC.md "Practice fires"): the weekly offer, each
 * round in the DM, the answer and reflection modals, the Home tab's lines. The Messages tab is
 * read-only, so every step is a button.
 */
export const PRACTICE_COPY = {
  offer: 'Try a practice fire? about 15 minutes',
  offerBody:
    'It has been a while since your last fire, so here is a real one from the past, replayed: you see how it started, say what you would check, then see what the responders really did. People are shown by role, never by name.',
  start: 'Start a practice fire',
  answer: 'Answer',
  stop: 'Stop here',
  resume: 'Resume my practice fire',
  reflect: 'Write my reflection',
  firstQuestion: 'What would you check first?',
  nextQuestion: 'What would you check or do next?',
  round: (round: number, rounds: number) => `Practice fire · round ${round} of ${rounds}`,
  opening: 'How it started: the first report and what the channel knew in its first minutes.',
  next: 'What happened next.',
  ending: 'How it ended.',
  revealed: (channel: string) => `This was ${channel}. Write a reflection, like after a real fire: what happened, what you would check first, one thing you learned.`,
  postmortem: (link: string) => `The postmortem: ${link}`,
  noPostmortem: 'No postmortem was linked in the channel.',
  more: (n: number) => `…and ${n} more ${n === 1 ? 'message' : 'messages'}.`,
  started: 'Your practice fire is in your DM with me: round one is there.',
  resumed: 'Your practice fire goes on in your DM with me.',
  stopped: (round: number, rounds: number) => `Stopped at round ${round} of ${rounds}. Resume it from my Home tab whenever you like.`,
  notRunning: 'That practice fire is not running any more; the Home tab shows where you are.',
  nothingToReplay: 'There is no past incident I can replay to you right now. I will offer one when there is.',
  notYours: 'That practice fire belongs to someone else.',
  answerTitle: 'Practice fire',
  answerSubmit: 'Send',
  close: 'Later',
  answerLabel: 'Your answer',
  answerPlaceholder: 'A dashboard, a log, a question to ask, a change to look at…',
  answerEmpty: 'Write a few words, even "I do not know yet".',
  answerTooLong: `At most ${REFLECTION_MAX_CHARS} characters, please.`,
  alreadyAnswered: 'This round is already answered, or the practice was stopped; the Home tab shows where you are.',
  reflectionTitle: 'Practice reflection',
  reflectionSaved: 'Saved: thank you. It shows up in your weekly digest.',
  homeTitle: '*Practice fire*',
  homeStopped: (round: number, rounds: number) => `You stopped a practice fire at round ${round} of ${rounds}.`,
  homeRunning: (round: number, rounds: number) => `A practice fire is under way: round ${round} of ${rounds} is in your DM with me.`,
  homeIdle: 'Replay a past incident, round by round, whenever no real fire comes: about 15 minutes.',
  homeDone: (n: number) => `You finished ${n} practice ${n === 1 ? 'fire' : 'fires'}.`,
  excluded: (channel: string) => `${channel} will never be used for a practice fire.`,
  alreadyExcluded: (channel: string) => `${channel} was already kept out of practice fires.`,
};

/** Slack allows 3000 characters in a section's text; a line is cut well before, a round split over sections. */
const SECTION_MAX = 2900;
const LINE_MAX = 1200;
/** Lines of one round shown at most; a long round is counted, not listed (a message holds at most 50 blocks). */
const ROUND_MAX_LINES = 25;

export interface RoundView {
  practiceId: number;
  round: number;
  rounds: number;
  /** the round's messages, already anonymised */
  lines: PracticeLine[];
  /** the first message of the incident: times are shown as minutes after it */
  startedAt: Date;
  /** for the last round: the channel, revealed, and its postmortem link if any */
  reveal?: { channelId: string; postmortem: { url: string; label: string | null } | null };
}

const minutesAfter = (at: Date, start: Date) => `+${Math.max(0, Math.round((at.getTime() - start.getTime()) / 60_000))} min`;
const cut = (text: string) => (Array.from(text).length > LINE_MAX ? `${Array.from(text).slice(0, LINE_MAX - 1).join('')}…` : text);

/** The lines as sections of at most SECTION_MAX characters each. */
function lineSections(lines: readonly PracticeLine[], start: Date): KnownBlock[] {
  const shown = lines.slice(0, ROUND_MAX_LINES).map((l) => `*${l.who}* · ${minutesAfter(l.at, start)}\n${cut(l.text)}`);
  const blocks: KnownBlock[] = [];
  let chunk = '';
  for (const line of shown) {
    if (chunk && chunk.length + line.length + 2 > SECTION_MAX) {
      blocks.push(section(chunk));
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n\n${line}` : line;
  }
  if (chunk) blocks.push(section(chunk));
  if (lines.length > ROUND_MAX_LINES) blocks.push(context(PRACTICE_COPY.more(lines.length - ROUND_MAX_LINES)));
  return blocks;
}

export const questionOf = (round: number): string => (round === 1 ? PRACTICE_COPY.firstQuestion : PRACTICE_COPY.nextQuestion);

/** One round in the DM: what the channel said, then the question (or, last, the reveal and the reflection). */
export function practiceRoundMessage(view: RoundView): Message {
  const title = PRACTICE_COPY.round(view.round, view.rounds);
  const intro = view.round === 1 ? PRACTICE_COPY.opening : view.reveal ? PRACTICE_COPY.ending : PRACTICE_COPY.next;
  const blocks: KnownBlock[] = [section(`:fire_engine: *${title}*\n${intro}`), ...lineSections(view.lines, view.startedAt)];
  if (view.reveal) {
    const pm = view.reveal.postmortem;
    const revealed = PRACTICE_COPY.revealed(channelLink(view.reveal.channelId));
    blocks.push(section(`${revealed}\n${pm ? PRACTICE_COPY.postmortem(`<${pm.url}|${pm.label ?? pm.url}>`) : PRACTICE_COPY.noPostmortem}`));
    blocks.push(actions(ACTION.practiceReflect, button(PRACTICE_COPY.reflect, ACTION.practiceReflect, String(view.practiceId), 'primary')));
    return { text: `${title}: ${PRACTICE_COPY.ending} ${revealed}`, blocks };
  }
  const question = questionOf(view.round);
  blocks.push(section(`*${question}*`));
  blocks.push(
    actions(
      ACTION.practiceAnswer,
      button(PRACTICE_COPY.answer, ACTION.practiceAnswer, `${view.practiceId}:${view.round}`, 'primary'),
      button(PRACTICE_COPY.stop, ACTION.practiceStop, String(view.practiceId)),
    ),
  );
  return { text: `${title}: ${question}`, blocks };
}

/** The weekly offer, by DM. */
export function practiceOfferDm(): Message {
  return {
    text: PRACTICE_COPY.offer,
    blocks: [section(`:fire_engine: *${PRACTICE_COPY.offer}*\n${PRACTICE_COPY.offerBody}`), actions(ACTION.practiceStart, button(PRACTICE_COPY.start, ACTION.practiceStart, 'start', 'primary'))],
  };
}

export const practiceReply = (text: string): Message => ({ text, blocks: [section(text)] });

/** private_metadata of the answer modal: which practice and round it answers. */
export const answerMetadata = (practiceId: number, round: number) => JSON.stringify({ practiceId, round });

/** The short answer form; it needs nothing from the database, so it opens with the click's trigger at once. */
export function practiceAnswerModal(practiceId: number, round: number): ModalView {
  const input: InputBlock = {
    type: 'input',
    block_id: PRACTICE_ANSWER_BLOCK,
    label: plainText(questionOf(round)),
    element: { type: 'plain_text_input', action_id: PRACTICE_ANSWER_BLOCK, multiline: true, max_length: REFLECTION_MAX_CHARS, placeholder: plainText(PRACTICE_COPY.answerPlaceholder) },
  };
  return {
    type: 'modal',
    callback_id: VIEW.practiceAnswer,
    private_metadata: answerMetadata(practiceId, round),
    title: plainText(PRACTICE_COPY.answerTitle),
    submit: plainText(PRACTICE_COPY.answerSubmit),
    close: plainText(PRACTICE_COPY.close),
    blocks: [input],
  };
}

/** The closing reflection: the same three questions as a real fire's. */
export function practiceReflectionModal(practiceId: number, existing?: ReflectionAnswers | null): ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.practiceReflection,
    private_metadata: JSON.stringify({ practiceId }),
    title: plainText(PRACTICE_COPY.reflectionTitle),
    submit: plainText(PRACTICE_COPY.answerSubmit),
    close: plainText(PRACTICE_COPY.close),
    blocks: reflectionInputs(existing),
  };
}

export interface PracticeHomeInput {
  unfinished: { id: number; status: 'running' | 'stopped' | 'finished'; round: number; rounds: number } | null;
  finished: number;
}

/** The Home tab's practice section: resume one under way, or start one. */
export function practiceHomeBlocks(input: PracticeHomeInput): KnownBlock[] {
  const done = input.finished > 0 ? ` ${PRACTICE_COPY.homeDone(input.finished)}` : '';
  const u = input.unfinished;
  if (u && u.status === 'stopped') {
    return [{ ...section(`${PRACTICE_COPY.homeTitle}\n${PRACTICE_COPY.homeStopped(u.round, u.rounds)}${done}`), block_id: 'home_practice', accessory: button(PRACTICE_COPY.resume, ACTION.practiceResume, String(u.id), 'primary') }];
  }
  if (u && u.status === 'running') {
    return [{ ...section(`${PRACTICE_COPY.homeTitle}\n${PRACTICE_COPY.homeRunning(u.round, u.rounds)}${done}`), block_id: 'home_practice', accessory: button(PRACTICE_COPY.resume, ACTION.practiceResume, String(u.id)) }];
  }
  return [{ ...section(`${PRACTICE_COPY.homeTitle}\n${PRACTICE_COPY.homeIdle}${done}`), block_id: 'home_practice', accessory: button(PRACTICE_COPY.start, ACTION.practiceStart, 'start') }];
}
