/** Every command, action_id, block_id and callback_id the app uses, in one place. */
export const COMMAND = {
  volunteer: '/volunteer',
} as const;

export const ACTION = {
  joinIncident: 'join_incident',
  volunteerForNext: 'volunteer_for_next',
  openReflection: 'open_reflection',
  toggleVolunteer: 'home_toggle_volunteer',
  toggleOptOut: 'home_toggle_optout',
  toggleDigest: 'home_toggle_digest',
  // Buttons in DMs: the Messages tab is read-only, so a DM never asks anyone to type a command.
  // Each names the state it switches to, like the Home tab's; the answer is a new ephemeral message.
  dmVolunteer: 'dm_switch_volunteer',
  dmInvites: 'dm_switch_invites',
  dmDigest: 'dm_switch_digest',
  dmStats: 'dm_show_stats',
  // The DM asking a mentor outside the channel to coach an incident's learners (value: the ask's id).
  mentorAccept: 'mentor_ask_accept',
  mentorDecline: 'mentor_ask_decline',
  // "I'm here to learn" / "I'm an experienced responder" (values `learn`, `experienced`): in the first
  // DM someone `unknown` gets, and on the Home tab (SPEC.md section 3).
  levelChoice: 'level_choice',
  homeLevelChoice: 'home_level_choice',
  // INVITE_MODE=offer: the offer DM's buttons (value: the offer id), SPEC.md section 4.
  offerJoin: 'offer_join',
  offerNotNow: 'offer_not_now',
  // The intro message's "No learners this time" (value: the incident id).
  noLearners: 'no_learners',
  reportChart: 'report_chart',
  reportCsv: 'report_export_csv',
  attendReview: 'attend_review',
  // The mentor's reflection DM (SPEC.md section "Growth"); each carries the learning's id.
  mentorReply: 'mentor_reply',
  stageReady: 'stage_ready',
  stageNotYet: 'stage_not_yet',
  // Practice fires (SPEC.md "Practice fires"): in the offer DM, the round messages and the Home tab.
  practiceStart: 'practice_start',
  practiceAnswer: 'practice_answer',
  practiceStop: 'practice_stop',
  practiceResume: 'practice_resume',
  practiceReflect: 'practice_reflect',
} as const;

/** block_id of the level question's buttons, in a DM and on the Home tab */
export const LEVEL_CHOICE_BLOCK = 'level_choice';

/** block_id of the row of DM buttons in a message */
export const DM_BUTTONS_BLOCK = 'dm_buttons';

/** block_id of the offer DM's "Join" / "Not now" row */
export const OFFER_BUTTONS_BLOCK = 'offer_buttons';
/** block_id of the intro message's "No learners this time" row */
export const NO_LEARNERS_BLOCK = 'no_learners_block';

export const VIEW = {
  reflection: 'reflection_modal',
  mentorReply: 'mentor_reply_modal',
  stageNotYet: 'stage_not_yet_modal',
  practiceAnswer: 'practice_answer_modal',
  practiceReflection: 'practice_reflection_modal',
} as const;

/** The practice answer modal's one input (block_id and action_id alike). */
export const PRACTICE_ANSWER_BLOCK = 'practice_answer';

/** The reflection modal's input blocks (block_id and action_id alike), keyed by answer field. */
export const REFLECTION_BLOCK = { whatHappened: 'reflection_what_happened', checkFirst: 'reflection_check_first', learned: 'reflection_learned' } as const;

/** The growth path's blocks: the mentor's buttons, the text input of its modals, the reflection form's share checkbox. */
export const GROWTH_BLOCK = { mentorButtons: 'mentor_reflection_buttons', text: 'mentor_text', share: 'reflection_share' } as const;
