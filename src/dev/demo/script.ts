/** The demo's fixed facts: its clock, its channel names and the people the story follows. */

export const HOME_ZONE = 'Europe/Berlin';
/** Wednesday 25 November 2026, 10:00 in Berlin. */
export const DEMO_START = new Date('2026-11-25T09:00:00Z');
export const PROMPT_SCHEDULE = '0s,2s,4s';
export const INCIDENT_CHANNEL = 'inc-checkout-db-latency';
export const RESOLVED_CHANNEL = 'resolved-checkout-db-latency';
export const STEP_TIMEOUT_MS = 15_000;

export const MARTA = 'U0MARTA01';
/** senior and mentor-flagged, in the incident channel from the start: the mentor (Marta opens it and leads) */
export const CHEN = 'U0CHEN001';
export const JONAS = 'U0JONAS01';
export const PRIYA = 'U0PRIYA01';

export const at = (base: Date, minutes: number) => new Date(base.getTime() + minutes * 60_000);

