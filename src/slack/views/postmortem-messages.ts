import { ACTION } from '../ids';
import { actions, button, channelLink, mention, section, type Message } from './blocks';

/** The words of the postmortem DMs (SPEC.md section "Growth", postmortem). */
export const POSTMORTEM_COPY = {
  found: (channel: string, link: string) =>
    `The review of ${channel} is written up: ${link}. Reading how the responders saw it, and going to the review meeting, is one of the best ways to learn from a fire.`,
  linkText: 'the postmortem',
  attendButton: "I'd like to attend the review",
  toldLead: (lead: string) => `I told ${lead} that you would like to attend the review. They will let you know when it is.`,
  alreadyTold: (lead: string) => `${lead} already knows you would like to attend the review.`,
  noLead: 'I do not know who leads this incident, so I could not pass it on: please ask in the channel who runs the review.',
  notYours: 'Only people who joined this incident to learn can ask to attend its review from here.',
  toLead: (learner: string, channel: string) => `${learner} would like to attend the review of ${channel}. They joined it to learn; a seat at the review is how they see the whole picture.`,
};

/** To a learner: the incident's postmortem link, and a button that tells the lead they would like to attend. */
export function postmortemDm({ incidentId, channelId, url }: { incidentId: number; channelId: string; url: string }): Message {
  const text = POSTMORTEM_COPY.found(channelLink(channelId), `<${url}|${POSTMORTEM_COPY.linkText}>`);
  return {
    text,
    blocks: [section(`:memo: ${text}`), actions(ACTION.attendReview, button(POSTMORTEM_COPY.attendButton, ACTION.attendReview, String(incidentId), 'primary'))],
  };
}

/** To the incident's lead: a learner would like to attend the review. */
export function attendReviewDm({ learnerId, channelId }: { learnerId: string; channelId: string }): Message {
  const text = POSTMORTEM_COPY.toLead(mention(learnerId), channelLink(channelId));
  return { text, blocks: [section(`:raised_hand: ${text}`)] };
}

export type AttendReviewAnswer = 'told' | 'already_told' | 'no_lead' | 'not_a_learner';

/** The answer the learner sees after pressing the button. */
export function attendReviewReply(answer: AttendReviewAnswer, leadId: string | null): Message {
  const lead = leadId ? mention(leadId) : '';
  const text =
    answer === 'told' ? POSTMORTEM_COPY.toldLead(lead) : answer === 'already_told' ? POSTMORTEM_COPY.alreadyTold(lead) : answer === 'no_lead' ? POSTMORTEM_COPY.noLead : POSTMORTEM_COPY.notYours;
  return { text, blocks: [section(text)] };
}
