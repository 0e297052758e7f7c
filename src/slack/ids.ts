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
  reportChart: 'report_chart',
  reportCsv: 'report_export_csv',
  // Practice fires (SPEC.md "Practice fires"): in the offer DM, the round messages and the Home tab.
  practiceStart: 'practice_start',
  practiceAnswer: 'practice_answer',
  practiceStop: 'practice_stop',
  practiceResume: 'practice_resume',
  practiceReflect: 'practice_reflect',
} as const;

/** block_id of the row of DM buttons in a message */
export const DM_BUTTONS_BLOCK = 'dm_buttons';

export const VIEW = {
  reflection: 'reflection_modal',
  practiceAnswer: 'practice_answer_modal',
  practiceReflection: 'practice_reflection_modal',
} as const;

/** The practice answer modal's one input (block_id and action_id alike). */
export const PRACTICE_ANSWER_BLOCK = 'practice_answer';

/** The reflection modal's input blocks (block_id and action_id alike), keyed by answer field. */
export const REFLECTION_BLOCK = { whatHappened: 'reflection_what_happened', checkFirst: 'reflection_check_first', learned: 'reflection_learned' } as const;
