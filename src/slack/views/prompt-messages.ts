import { ACTION } from '../ids';
import { actions, button, channelLink, context, mention, section, type Message } from './blocks';
import {
  INVESTIGATION_COPY,
  MENTOR_COPY,
  ORIENTATION_COPY,
  promptProgress,
  REFLECTION_COPY,
  SILENT_COPY,
  type PromptStep,
} from '../../domain/prompts';

export interface PromptMessageInput {
  channelId: string;
  mentorId: string | null;
  step: PromptStep;
  /** a sev0 or sev1 learner, who watches without posting in the channel */
  silent?: boolean;
}

/** One guided prompt, sent by DM to a learner: the orientation, or a few investigation questions. */
export function promptMessage({ channelId, mentorId, step, silent = false }: PromptMessageInput): Message {
  const mentor = mentorId ? mention(mentorId) : null;
  const progress = promptProgress(step.number, step.total);
  if (step.kind === 'orientation') {
    return {
      text: `${progress} for ${channelLink(channelId)}: ${(silent ? SILENT_COPY : ORIENTATION_COPY).summary(mentor)}`,
      blocks: [
        section(`:compass: *${ORIENTATION_COPY.heading}* · ${channelLink(channelId)}`),
        section(ORIENTATION_COPY.read),
        section(silent ? SILENT_COPY.watching : ORIENTATION_COPY.watching),
        section(step.tip),
        section(silent ? SILENT_COPY.mentor(mentor) : ORIENTATION_COPY.mentor(mentor)),
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
      context(silent ? SILENT_COPY.askMentor(mentor) : INVESTIGATION_COPY.askMentor(mentor), progress),
    ],
  };
}

export interface MentorPairingInput {
  learnerId: string;
  channelId: string;
  /** from mentorExperienceLines */
  experience: string[];
  ideas: string[];
}

/** The one DM a mentor gets per learner: who they are, their experience, ways to involve them. */
export function mentorPairingDm({ learnerId, channelId, experience, ideas }: MentorPairingInput): Message {
  const paired = MENTOR_COPY.paired(mention(learnerId), channelLink(channelId));
  return {
    text: paired,
    blocks: [
      section(`:handshake: ${paired}`),
      section(`*${MENTOR_COPY.experienceHeading}*\n${experience.map((line) => `• ${line}`).join('\n')}`),
      section(`*${MENTOR_COPY.ideasHeading}*\n${ideas.map((idea) => `• ${idea}`).join('\n')}`),
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
