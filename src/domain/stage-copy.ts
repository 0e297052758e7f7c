/**
 * The words of the growth path (SPEC.md section 12): what each stage means in a fire, for the
 * learner (welcome DM, prompts) and for their mentor (suggestions, the mentor loop's buttons and replies).
 */
import type { MentorDecision, Progress, Stage } from './progression';

export interface StageCopy {
  /** as a person reads it: "lead shadow" */
  label: string;
  /** one line: what this role asks of them in a fire */
  meaning: string;
  /** the welcome DM's paragraph: "your role this time", and how to do it */
  welcome: string;
  /** added to the orientation (prompt 1) */
  orientationTask: string;
  /** added to every later prompt: the question through this stage's eyes */
  promptTip: string;
  /** ways the mentor can give them this role */
  mentorIdeas: string[];
}

export const STAGE_COPY: Readonly<Record<Stage, StageCopy>> = {
  observer: {
    label: 'observer',
    meaning: 'you watch how the fire is fought: who leads, what they look at, what they try.',
    welcome: 'Nothing is expected of you but attention. Notice who leads, which dashboards and logs people share, and what they try first; your questions can wait for a quiet moment or your mentor.',
    orientationTask: 'As an observer, your only task is to follow along: find who is leading and what they are looking at.',
    promptTip: 'As an observer: just note what you see; you do not need to post anything.',
    mentorIdeas: ['Say out loud, now and then, what you are looking at and why.', 'After the fire, ask them what surprised them.'],
  },
  scribe: {
    label: 'scribe',
    meaning: 'you keep the timeline in a thread: what was tried, when, and by whom.',
    welcome: 'Start a thread in the channel called "Timeline" and add a line whenever something happens: an alert, a hypothesis, a change rolled out or back, with the time and who did it. Leads rely on a good timeline when they write the postmortem.',
    orientationTask: 'As the scribe, start the timeline thread now: the first alert or report, with its time.',
    promptTip: 'As the scribe: is the latest step in your timeline thread, with its time and who did it?',
    mentorIdeas: ['Point them to anything the timeline is missing, such as a deploy or a rollback.', 'Use their timeline when you summarise the incident, and say so.'],
  },
  investigator: {
    label: 'investigator',
    meaning: 'you take one question from the lead, look into it, and report back.',
    welcome: 'Ask the lead (or your mentor) for one question you can answer, such as "did error rates move before or after the deploy?", look into it, and report back in a thread, even if the answer is "I could not tell".',
    orientationTask: 'As the investigator, ask the lead or your mentor for one question to look into.',
    promptTip: 'As the investigator: how far along is your question, and is it time to report back what you have?',
    mentorIdeas: ['Give them one concrete question that matters to the incident and ask for the answer in a thread.', 'When they report back, say what you would have checked next.'],
  },
  lead_shadow: {
    label: 'lead shadow',
    meaning: "you follow the lead's decisions and say what you would do next.",
    welcome: "Follow each decision the lead makes, and before the next one, write down (privately or to your mentor) what you would do next and why. Compare afterwards: that is how leading is learned.",
    orientationTask: 'As the lead shadow, find out who leads and write down what you would do first in their place.',
    promptTip: "As the lead shadow: what would you decide next, and does it match the lead's call?",
    mentorIdeas: ['Before a decision, ask them what they would do, then explain your call.', 'After the fire, walk through one decision where you and they differed.'],
  },
};

export const stageLabel = (stage: Stage): string => STAGE_COPY[stage].label;

/** One line of the mentor's DM about a learner: their stage this time and the first way to give them that role. */
export const mentorStageLine = (stage: Stage): string =>
  `${MENTOR_LOOP_COPY.stageHeading(STAGE_COPY[stage].label)}: ${STAGE_COPY[stage].meaning} ${STAGE_COPY[stage].mentorIdeas[0]}`;

/** What is needed for the next stage, in words for the person (or their mentor: `who` is "you" or "they"). */
export function progressText(progress: Progress, who: 'you' | 'they' = 'you'): string {
  if (!progress.next) return who === 'you' ? 'You are at the last stage: keep leading alongside the leads.' : 'They are at the last stage.';
  const next = stageLabel(progress.next);
  const counts = `${progress.fires} ${progress.fires === 1 ? 'fire' : 'fires'} at this stage so far, ${progress.reflected} with a reflection`;
  if (progress.missing.length === 1) return `Next: ${next}. ${counts}; only ${who === 'you' ? "your mentor's" : 'your'} "Ready for the next step" is needed.`;
  return `Next: ${next}, after ${progress.needed} fires at this stage with a reflection each and ${who === 'you' ? 'your mentor' : 'you, their mentor,'} confirming (${counts}).`;
}

/** The mentor's stage buttons and what their answers do (the mentor's reflection DM, the replies). */
export const MENTOR_LOOP_COPY = {
  shared: (learner: string, channel: string): string => `${learner} wrote a reflection on ${channel} and shared it with you.`,
  private: (learner: string, channel: string): string => `${learner} wrote a reflection on ${channel} (they kept the text to themselves).`,
  stageHeading: (label: string): string => `*Their stage:* ${label}`,
  reply: 'Reply',
  ready: 'Ready for the next step',
  notYet: 'Not yet',
  replyTitle: 'Reply',
  replyLabel: 'Your reply',
  replyPlaceholder: 'What you noticed, what you would check, a question for them',
  replySubmit: 'Send',
  notYetTitle: 'Not yet',
  notYetLabel: 'A note for them (optional)',
  notYetPlaceholder: 'What to practise at this stage next time',
  notYetSubmit: 'Save',
  cancel: 'Cancel',
  replyEmpty: 'Please write a reply, or press Cancel.',
  replyTooLong: (n: number): string => `Please keep this under 2000 characters (it has ${n}).`,
  alreadyReplied: 'You already replied to this reflection; the learner has it.',
  notTheMentor: 'Only the mentor of this incident can answer this reflection. Nothing changed.',
  gone: 'I cannot find that reflection any more. Nothing changed.',
  alreadyDecided: (decision: MentorDecision): string => `You already answered "${decision === 'ready' ? 'Ready for the next step' : 'Not yet'}" for this fire. Nothing changed.`,
  notReady: (learner: string, progress: Progress): string =>
    `${learner} cannot move on yet. ${progressText(progress, 'they')} Nothing was recorded, so you can answer again after their next fire.`,
  confirmed: (learner: string, stage: string): string => `Thank you: ${learner} moves on to *${stage}* for their next fire. They have been told.`,
  held: (learner: string): string => `Noted: ${learner} stays at their stage for now. They have been told.`,
  replySent: (learner: string): string => `Your reply is on its way to ${learner}.`,
  // to the learner
  replyToLearner: (mentor: string, channel: string): string => `${mentor} replied to your reflection on ${channel}:`,
  reachedStage: (mentor: string, label: string, meaning: string): string => `${mentor} says you are ready for the next step: from your next fire your role is *${label}*: ${meaning}`,
  heldAtStage: (mentor: string, label: string): string => `${mentor} would like you to stay ${label === 'observer' ? 'an' : 'a'} ${label} a little longer.`,
  note: (note: string): string => `Their note: "${note}"`,
  debrief: (learners: string, channel: string): string =>
    `Good morning. ${learners} reflected on ${channel}. Ten minutes of debrief together today turns that into something that sticks: what they saw, what they would check first next time.`,
  debriefFooter: 'You get this once per incident, and only for learners you have not replied to yet.',
};

export const REPLY_MAX_CHARS = 2000;

/** A mentor's reply or note: trimmed; a reply must say something, a note may be empty. */
export function checkMentorText(raw: string | null | undefined, required: boolean): { ok: true; text: string | null } | { ok: false; error: string } {
  const text = (raw ?? '').trim();
  if (text === '') return required ? { ok: false, error: MENTOR_LOOP_COPY.replyEmpty } : { ok: true, text: null };
  if (text.length > REPLY_MAX_CHARS) return { ok: false, error: MENTOR_LOOP_COPY.replyTooLong(text.length) };
  return { ok: true, text };
}
