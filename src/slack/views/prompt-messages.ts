import { ACTION } from '../ids';
import { actions, button, channelLink, context, mention, section, type Message } from './blocks';
import {
  INVESTIGATION_COPY,
  MENTOR_COPY,
  ORIENTATION_COPY,
  promptProgress,
  REFLECTION_COPY,
  type PromptStep,
} from '../../domain/prompts';
import type { Progress, Stage } from '../../domain/progression';
import { mentorStageBlocks, stagePromptBlocks } from './growth-messages';

export interface PromptMessageInput {
  channelId: string;
  mentorId: string | null;
  step: PromptStep;
  /** the learner's stage in this fire (SPEC.md "Growth") */
  stage?: Stage;
}

/** One guided prompt, sent by DM to a learner: the orientation, or a few investigation questions. */
export function promptMessage({ channelId, mentorId, step, stage }: PromptMessageInput): Message {
  const mentor = mentorId ? mention(mentorId) : null;
  const progress = promptProgress(step.number, step.total);
  if (step.kind === 'orientation') {
    return {
      text: `${progress} for ${channelLink(channelId)}: ${ORIENTATION_COPY.summary(mentor)}`,
      blocks: [
        section(`:compass: *${ORIENTATION_COPY.heading}* · ${channelLink(channelId)}`),
        section(ORIENTATION_COPY.read),
        section(ORIENTATION_COPY.watching),
        section(step.tip),
        section(ORIENTATION_COPY.mentor(mentor)),
        ...(stage ? stagePromptBlocks(stage, true) : []),
        context(progress),
      ],
    };
  }
  return {
    text: `${progress} for ${channelLink(channelId)}: ${step.questions.map((q) => q.ask).join(' ')}`,
    blocks: [
      section(`:mag: *${INVESTIGATION_COPY.heading}* · ${channelLink(channelId)}`),
      section(INVESTIGATION_COPY.intro),
      ...step.questions.map((q) => section(`*${q.ask}*\n${q.hint}`)),
      ...(stage ? stagePromptBlocks(stage, false) : []),
      context(INVESTIGATION_COPY.askMentor(mentor), progress),
    ],
  };
}

export interface MentorPairingInput {
  learnerId: string;
  channelId: string;
  /** from mentorExperienceLines */
  experience: string[];
  ideas: string[];
  /** the learner's stage in this fire and what the next one needs (SPEC.md "Growth") */
  growth?: { stage: Stage; progress: Progress };
}

/** The one DM a mentor gets per learner: who they are, their experience, ways to involve them. */
export function mentorPairingDm({ learnerId, channelId, experience, ideas, growth }: MentorPairingInput): Message {
  const paired = MENTOR_COPY.paired(mention(learnerId), channelLink(channelId));
  return {
    text: paired,
    blocks: [
      section(`:handshake: ${paired}`),
      section(`*${MENTOR_COPY.experienceHeading}*\n${experience.map((line) => `• ${line}`).join('\n')}`),
      section(`*${MENTOR_COPY.ideasHeading}*\n${ideas.map((idea) => `• ${idea}`).join('\n')}`),
      ...(growth ? mentorStageBlocks(growth) : []),
      context(MENTOR_COPY.footer),
    ],
  };
}

/** After resolution: a thank-you and a button that opens the reflection form (the incident id rides in the value). */
export function reflectionPromptDm({ incidentId, channelId }: { incidentId: number; channelId: string }): Message {
  const text = REFLECTION_COPY.prompt(channelLink(channelId));
  return {
    text,
    blocks: [
      section(`:seedling: ${text}`),
      actions(ACTION.openReflection, button(REFLECTION_COPY.button, ACTION.openReflection, String(incidentId), 'primary')),
    ],
  };
}
