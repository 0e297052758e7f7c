import { MENTOR_COPY } from '../../domain/prompts';
import { ACTION } from '../ids';
import { actions, button, channelLink, context, listOf, mention, section, type Message } from './blocks';

/**
 * What mentors and learners read about who mentors (SPEC.md section 4, "Who leads, who mentors"):
 * the mentor's one DM per incident, the ask to a mentor outside the channel and what it turns
 * into, and the short DM that tells learners who their mentor is when that is known late.
 * No bot is ever named: the lead and the mentor here are people (flows/mentor-flow.ts).
 */

export interface LearnerForMentor {
  slackId: string;
  /** from mentorExperienceLines */
  experience: string[];
}

export interface MentorSummaryInput {
  channelId: string;
  learners: readonly LearnerForMentor[];
  ideas: readonly string[];
  /** the mentor coaches from outside the channel (an outside mentor who accepted) */
  fromOutside: boolean;
}

/**
 * The mentor's one DM per incident: every learner with their experience. Sent when the first
 * learner is there, then replaced (chat.update) as more join, so it always lists them all.
 */
export function mentorSummaryDm({ channelId, learners, ideas, fromOutside }: MentorSummaryInput): Message {
  const names = listOf(learners.map((l) => mention(l.slackId)));
  const who = learners.length === 1 ? `${names} is` : `${names} are`;
  const text = `You are the mentor in ${channelLink(channelId)}: ${who} there to learn.`;
  const where = fromOutside
    ? 'You coach from the side: no need to join the channel. They may DM you, and a short DM to them now and then helps.'
    : 'They are in the channel with you; a thread under the message you are looking at is a good place to explain it.';
  return {
    text,
    blocks: [
      section(`:handshake: ${text}`),
      ...learners.map((l) => section(`*${mention(l.slackId)}*\n${l.experience.map((line) => `• ${line}`).join('\n')}`)),
      section(`*${MENTOR_COPY.ideasHeading}*\n${ideas.map((idea) => `• ${idea}`).join('\n')}`),
      context(where, MENTOR_COPY.footer),
    ],
  };
}

export interface MentorAskInput {
  askId: number;
  channelId: string;
  learnerIds: readonly string[];
  leadId: string | null;
}

/** The DM that asks a mentor-flagged engineer outside the channel to coach the learners from the side. */
export function mentorAskDm({ askId, channelId, learnerIds, leadId }: MentorAskInput): Message {
  const learners = listOf(learnerIds.map(mention));
  const text = `Could you coach from the side in ${channelLink(channelId)}? ${learners} ${learnerIds.length === 1 ? 'is' : 'are'} there to learn, and nobody in the channel is free to mentor.`;
  return {
    text,
    blocks: [
      section(`:wave: ${text}`),
      section(
        `You would not need to join the channel: you get one DM about the learners, and they may ask you questions.${leadId ? ` ${mention(leadId)} leads the response.` : ''}`,
      ),
      actions(ACTION.mentorAccept, button("I'll coach", ACTION.mentorAccept, String(askId), 'primary'), button('Not this time', ACTION.mentorDecline, String(askId))),
    ],
  };
}

export type AskOutcome = 'accepted' | 'declined' | 'timed_out' | 'withdrawn';

const ASK_OUTCOME: Record<AskOutcome, (channel: string) => string> = {
  accepted: (channel) => `Thank you: you are coaching the learners in ${channel}. Their names and experience follow in a separate DM.`,
  declined: (channel) => `No problem: someone else will be asked to coach in ${channel}.`,
  timed_out: (channel) => `No answer in time, so someone else was asked to coach in ${channel}. Nothing to do.`,
  withdrawn: (channel) => `${channel} no longer needs a coach (it is resolved, or has a mentor). Thank you anyway.`,
};

/** What the ask DM becomes once answered, timed out or withdrawn: the buttons go. */
export function mentorAskAnswered(channelId: string, outcome: AskOutcome): Message {
  const text = ASK_OUTCOME[outcome](channelLink(channelId));
  return { text, blocks: [section(text)] };
}

/** The answer to a button on an ask that is closed already (another answer, a timeout, a mentor found). */
export function mentorAskClosedReply(channelId: string): Message {
  const text = `This ask about ${channelLink(channelId)} is closed already: nothing changed.`;
  return { text, blocks: [section(text)] };
}

/** A learner's short DM when their mentor becomes known after they were welcomed. */
export function yourMentorIsDm({ channelId, mentorId, fromOutside }: { channelId: string; mentorId: string; fromOutside: boolean }): Message {
  const text = `Your mentor in ${channelLink(channelId)} is now ${mention(mentorId)}.`;
  const how = fromOutside
    ? `${mention(mentorId)} coaches from outside the channel: send them a DM with any question.`
    : 'Ask them anything, in a thread under the message you are curious about or by DM.';
  return { text, blocks: [section(`:handshake: ${text}`), context(how)] };
}
