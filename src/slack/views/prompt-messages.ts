import { ACTION } from '../ids';
import { actions, button, channelLink, context, mention, section, type Message } from './blocks';
import {
  CHANNEL_COPY,
  INVESTIGATION_COPY,
  ORIENTATION_COPY,
  promptProgress,
  REFLECTION_COPY,
  type ChannelQuote,
  SILENT_COPY,
  type PromptStep,
} from '../../domain/prompts';
import type { Stage } from '../../domain/progression';
import { stagePromptBlocks } from './growth-messages';

export interface PromptMessageInput {
  channelId: string;
  mentorId: string | null;
  step: PromptStep;
  /** what the channel showed since the learner joined (prompts after the first); none: the usual text */
  quotes?: ChannelQuote[];
  /** a sev0 or sev1 learner, who watches without posting in the channel */
  silent?: boolean;
  /** the learner's stage in this fire (SPEC.md "Growth") */
  stage?: Stage;
}

/** One line per quote, with mentions and links as Slack shows them. */
export function channelQuoteLines(quotes: readonly ChannelQuote[]): string[] {
  const who = (user: string | null) => (user ? mention(user) : CHANNEL_COPY.someone);
  return quotes.map((q) => {
    if (q.kind === 'link') return CHANNEL_COPY.link(who(q.user), q.linkKind, q.site, `<${q.url}|link>`, q.time);
    if (q.kind === 'statement') return CHANNEL_COPY.statement(who(q.user), q.text, q.time);
    return CHANNEL_COPY.mostActive(who(q.user), q.messages);
  });
}

/** One guided prompt, sent by DM to a learner: the orientation, or a few investigation questions. */
export function promptMessage({ channelId, mentorId, step, quotes = [], silent = false, stage }: PromptMessageInput): Message {
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
      ...(quotes.length > 0 ? [section(`*${CHANNEL_COPY.heading}*\n${channelQuoteLines(quotes).map((line) => `• ${line}`).join('\n')}`)] : []),
      ...step.questions.map((q) => section(`*${q.ask}*\n${q.hint}`)),
      ...(stage ? stagePromptBlocks(stage, false) : []),
      context(silent ? SILENT_COPY.askMentor(mentor) : INVESTIGATION_COPY.askMentor(mentor), progress),
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
