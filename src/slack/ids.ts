/** Every command, action_id, block_id and callback_id the app uses, in one place. */
export const COMMAND = {
  volunteer: '/volunteer',
} as const;

export const ACTION = {
  joinIncident: 'join_incident',
  openReflection: 'open_reflection',
  toggleVolunteer: 'home_toggle_volunteer',
  toggleOptOut: 'home_toggle_optout',
  toggleDigest: 'home_toggle_digest',
} as const;

export const VIEW = {
  reflection: 'reflection_modal',
} as const;
