import { actions, button, channelLink, context, listOf, mention, section, type Message } from './blocks';
import { ACTION, COMMAND, DM_BUTTONS_BLOCK } from '../ids';
import type { Stage } from '../../domain/progression';
import { stageWelcomeBlocks } from './growth-messages';

export interface IntroLearner {
  slackId: string;
  source: 'volunteer' | 'auto_invite';
}

export interface IntroInput {
  learners: IntroLearner[];
  mentor: { slackId: string; reason: 'mentor' | 'senior' | 'creator' } | null;
}

/** The one channel message that introduces the learners and their mentor. */
export function introMessage({ learners, mentor }: IntroInput): Message {
  const names = listOf(learners.map((l) => mention(l.slackId)));
  const verb = learners.length === 1 ? 'is' : 'are';
  const mentorLine = mentor
    ? `${mention(mentor.slackId)}, would you be their mentor for this one? A word on what you are looking at, now and then, goes a long way.`
    : 'Anyone responding: a word now and then on what you are looking at goes a long way.';
  const text = `${listOf(learners.map((l) => mention(l.slackId)))} ${verb} joining to learn from this incident.${mentor ? ` Mentor: ${mention(mentor.slackId)}.` : ''}`;
  return {
    text,
    blocks: [
      section(`:fire_engine: ${names} ${verb} joining to learn how we handle incidents. They will mostly watch, and may ask a question or two.`),
      section(mentorLine),
      context(`Smokejumper brings the least experienced engineers to fires, kindly and within working hours. \`${COMMAND.volunteer} help\` to learn more.`),
    ],
  };
}

export interface LearnerInviteInput {
  channelId: string;
  reason: string;
  mentorId: string | null;
  source: 'volunteer' | 'auto_invite';
  /** the learner's stage in this fire (SPEC.md "Growth") */
  stage?: Stage;
}

/** The DM each learner gets: why they were invited, what is expected, and how to opt out. */
export function learnerInviteDm({ channelId, reason, mentorId, source, stage }: LearnerInviteInput): Message {
  const why = source === 'volunteer'
    ? `You volunteered, so you are first in line: welcome to ${channelLink(channelId)}.`
    : `You have been invited to ${channelLink(channelId)} because you are ${reason}.`;
  const mentorLine = mentorId
    ? `${mention(mentorId)} is your mentor for this one: ask them anything, in a thread or a DM.`
    : 'Ask the people responding anything, in a thread.';
  const text = `${why} Watching is fine. ${mentorId ? `Your mentor is ${mention(mentorId)}.` : ''}`.trim();
  return {
    text,
    blocks: [
      section(`:wave: ${why}`),
      section(`Watching is fine: nobody expects you to fix anything. Read the channel from the top, then follow along. ${mentorLine}`),
      ...(stage ? stageWelcomeBlocks(stage) : []),
      context(
        source === 'volunteer'
          ? 'Done volunteering? The button below stops it; you stay in this fire.'
          : 'Not a good time? Just leave the channel. Never want automatic invites? The button below stops them (the Home tab brings them back).',
      ),
      source === 'volunteer'
        ? actions(DM_BUTTONS_BLOCK, button('Stop volunteering', ACTION.dmVolunteer, 'off'))
        : actions(DM_BUTTONS_BLOCK, button('No automatic invites', ACTION.dmInvites, 'optout')),
    ],
  };
}
