import { actions, button, channelLink, context, listOf, mention, section, type Message } from './blocks';
import { ACTION, DM_BUTTONS_BLOCK, NO_LEARNERS_BLOCK } from '../ids';
import { ORIENTATION_COPY, SILENT_COPY } from '../../domain/prompts';
import type { Stage } from '../../domain/progression';
import { stageWelcomeBlocks } from './growth-messages';

export interface IntroLearner {
  slackId: string;
  source: 'volunteer' | 'auto_invite';
}

export interface IntroInput {
  incidentId: number;
  learners: IntroLearner[];
  /** the mentor once known; never the lead unless nobody else would, never a bot */
  mentorId: string | null;
}

/**
 * The one channel message that introduces the learners, and their mentor once known. It names
 * nobody as "least experienced" and asks nothing of the lead: the responders are busy. Its button
 * lets any responder say "No learners this time" (stand-down-flow.ts).
 */
export function introMessage({ incidentId, learners, mentorId }: IntroInput): Message {
  const names = listOf(learners.map((l) => mention(l.slackId)));
  const verb = learners.length === 1 ? 'is' : 'are';
  const mentorLine = mentorId ? ` ${mention(mentorId)} is mentoring ${learners.length === 1 ? 'them' : 'them all'}.` : '';
  return {
    text: `${names} ${verb} joining to learn.${mentorLine}`,
    blocks: [
      section(`:wave: ${names} ${verb} joining to learn how we handle incidents. They will mostly watch, and ask any question in a thread.${mentorLine}`),
      context('Smokejumper brings engineers to fires to learn, within their working hours. Rather keep this channel small? The button stops the prompts and invites nobody else.'),
      actions(NO_LEARNERS_BLOCK, button('No learners this time', ACTION.noLearners, String(incidentId))),
    ],
  };
}

/** The intro once a responder pressed "No learners this time": the button is gone, and it says why. */
export function introStoodDown({ learners, pressedBy }: { learners: IntroLearner[]; pressedBy: string }): Message {
  const names = listOf(learners.map((l) => mention(l.slackId)));
  const text = `${mention(pressedBy)} asked to keep this channel small: no learners this time.`;
  return {
    text,
    blocks: [
      section(`:ok_hand: ${text} Nobody else will be invited, and Smokejumper sends no more prompts here.`),
      ...(learners.length > 0 ? [context(`${names} may stay and watch, or leave.`)] : []),
    ],
  };
}

/** Why a person is in the incident, as the welcome DM says it (kindly; nobody is "least experienced"). */
export type WelcomeSource = 'volunteer' | 'auto_invite' | 'self_joined';

export interface WelcomeInput {
  channelId: string;
  source: WelcomeSource;
  /** who leads the response: a human, or null when nobody is known yet */
  leadId: string | null;
  mentorId: string | null;
  /** a call link from the channel's topic or bookmarks, when it has one */
  callLink: string | null;
  /** the playbook's orientation tip: what to watch first for this kind of incident */
  watchFirst: string;
  /** the learner's stage in this fire (SPEC.md "Growth") */
  stage?: Stage;
  /** a sev0 or sev1 incident: the learner only watches, and nothing suggests posting in the channel */
  silent?: boolean;
}

const WHY: Record<WelcomeSource, string> = {
  auto_invite: 'Fires are where engineers learn fastest, and you have been to fewer of them lately than most people working right now, so you were asked along.',
  volunteer: 'You volunteered, so you were first in line.',
  self_joined: 'You joined on your own, so Smokejumper will coach you along.',
};

/**
 * The one DM a learner gets when they join (it replaces the welcome and the first prompt): why
 * them, who leads, who mentors, where to talk, what to watch first, and how to step out. Every
 * sentence says something new (test/unit/views/dm-sentences.test.ts checks it).
 */
export function welcomeDm({ channelId, source, leadId, mentorId, callLink, watchFirst, stage, silent = false }: WelcomeInput): Message {
  const lead = leadId ? `${mention(leadId)} is leading the response.` : 'Whoever leads the response usually says so in the first messages.';
  const mentor = silent
    ? SILENT_COPY.mentor(mentorId ? mention(mentorId) : null)
    : mentorId
      ? `${mention(mentorId)} is your mentor for this one: ask them anything, by DM or in a thread.`
      : 'No mentor is named yet; the people responding will answer a question in a thread.';
  const call = callLink ? ` The call is <${callLink}|here>; listening in is fine too.` : '';
  const stepOut =
    source === 'volunteer'
      ? 'Need to step out? Leave the channel whenever you like. Done volunteering? The button below stops it; you stay in this fire.'
      : source === 'auto_invite'
        ? 'Need to step out? Leave the channel whenever you like; nobody minds. Never want automatic invites? The button below stops them (the Home tab brings them back).'
        : 'Need to step out? Leave the channel whenever you like; nobody minds.';
  const buttons =
    source === 'volunteer'
      ? [actions(DM_BUTTONS_BLOCK, button('Stop volunteering', ACTION.dmVolunteer, 'off'))]
      : source === 'auto_invite'
        ? [actions(DM_BUTTONS_BLOCK, button('No automatic invites', ACTION.dmInvites, 'optout'))]
        : [];
  return {
    text: `Welcome to ${channelLink(channelId)}: who leads, who mentors, and where to ask.`,
    blocks: [
      section(`:wave: *Welcome to ${channelLink(channelId)}.* ${WHY[source]}`),
      section(`${lead} ${mentor}`),
      section(silent ? `*Where to talk:* ${SILENT_COPY.watching}${call}` : `*Where to talk:* ask in a thread under the message you are curious about, so the channel stays clear for the responders.${call}`),
      section(`*What to watch first:* ${ORIENTATION_COPY.read} ${watchFirst}`),
      // "Watching is fine" is the observer's role; a scribe or an investigator has a task (their stage
      // says which). In a sev0-1 incident everyone only watches, whatever their stage.
      ...(silent || (stage && stage !== 'observer') ? [] : [section(ORIENTATION_COPY.watching)]),
      ...(stage && !silent ? stageWelcomeBlocks(stage) : []),
      context(stepOut),
      ...buttons,
    ],
  };
}

/** To each learner when a responder pressed "No learners this time". */
export function stoodDownDm({ channelId }: { channelId: string }): Message {
  const text = `The responders in ${channelLink(channelId)} asked to keep the channel small this time.`;
  return {
    text,
    blocks: [
      section(`:ok_hand: ${text} That is about the size of the room, not about you.`),
      section('You are welcome to stay and watch, or to leave; either is fine. Smokejumper sends you no more prompts for this one.'),
    ],
  };
}

// Answers to "No learners this time" (ephemeral, to the person who pressed it).

const reply = (text: string): Message => ({ text, blocks: [section(text)] });

export const noLearnersDoneReply = (): Message =>
  reply('Done: nobody else will be invited to this incident, open offers are withdrawn, and the learners get no more prompts.');
export const noLearnersAlreadyReply = (pressedBy: string): Message => reply(`${mention(pressedBy)} already asked for no learners this time, so nothing changed.`);
export const noLearnersLearnerReply = (): Message =>
  reply('This button is for the responders, so nothing changed. As a learner you can leave the channel whenever you like.');
export const noLearnersNotInChannelReply = (): Message => reply('Only people in the incident channel can ask for no learners. Nothing changed.');
/** To someone who asks to join (Join, `/volunteer now`, an offer) an incident whose responders said no. */
export const noLearnersJoinReply = (channelId: string): Message =>
  reply(`The responders in ${channelLink(channelId)} asked to keep the channel small this time, so nobody else joins it.`);
