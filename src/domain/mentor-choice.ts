import type { Level } from './experience';
import { isWorkingTime, type WorkingTime } from './working-time';

/**
 * Who mentors an incident's learners (SPEC.md section 4, "Who leads, who mentors"). Pure.
 *
 * In order: a mentor-flagged or senior human already in the channel when selection runs; else the
 * first such person who joins within MENTOR_WAIT; else a mentor-flagged engineer outside the
 * channel, asked by DM, in working hours, fewest mentoring turns this week first; else the lead,
 * when human. The lead leads: they are the mentor only when nobody else answers.
 */
export interface MentorCandidate {
  slackId: string;
  level: Level;
  isMentor: boolean;
  /** a human member of the workspace today (never a bot, guest, external or deleted user) */
  active: boolean;
  /** said "I'm an experienced responder" (SPEC.md section 3): a mentor candidate whatever their level */
  experienced?: boolean;
}

export type MentorReason = 'mentor' | 'senior' | 'outside' | 'lead';

export interface MentorChoice {
  slackId: string;
  reason: MentorReason;
}

const SENIOR_LEVELS: ReadonlySet<Level> = new Set(['senior', 'staff']);

/** Mentor-flagged, senior or staff, or self-declared experienced, and an active human. */
export function canMentor(person: MentorCandidate): boolean {
  return person.active && (person.isMentor || person.experienced === true || SENIOR_LEVELS.has(person.level));
}

/**
 * The mentor among the people in the channel: mentor-flagged first, then the more senior, then by
 * id (deterministic). `exclude` holds the lead and the learners.
 */
export function mentorInChannel(
  people: readonly MentorCandidate[],
  channelMembers: ReadonlySet<string>,
  exclude: ReadonlySet<string>,
): { slackId: string; reason: 'mentor' | 'senior' } | null {
  const rank = (p: MentorCandidate) => (p.level === 'staff' ? 2 : p.level === 'senior' ? 1 : 0);
  const best = people
    .filter((p) => channelMembers.has(p.slackId) && !exclude.has(p.slackId) && canMentor(p))
    .sort((a, b) => Number(b.isMentor) - Number(a.isMentor) || rank(b) - rank(a) || (a.slackId < b.slackId ? -1 : 1))[0];
  return best ? { slackId: best.slackId, reason: best.isMentor ? 'mentor' : 'senior' } : null;
}

/** Whether someone joining at `at` may still become the mentor: within MENTOR_WAIT of the selection. */
export function withinMentorWait(selectedAt: Date, at: Date, mentorWaitMs: number): boolean {
  return at.getTime() - selectedAt.getTime() <= mentorWaitMs;
}

/** When the wait for a mentor to join is over and someone outside the channel is asked. */
export function mentorWaitEndsAt(selectedAt: Date, mentorWaitMs: number): Date {
  return new Date(selectedAt.getTime() + mentorWaitMs);
}

export interface OutsideMentor {
  slackId: string;
  timeZone: string;
  /** incidents they mentored this week (ISO week, UTC) */
  turnsThisWeek: number;
}

/**
 * The next mentor-flagged engineer to ask from outside the channel: in working hours in their own
 * time zone, fewest mentoring turns this week first, then by id. The caller has already left out
 * the lead, the learners, everyone in the channel and everyone asked before for this incident.
 */
export function nextOutsideMentor(people: readonly OutsideMentor[], now: Date, working: WorkingTime): string | null {
  const best = people
    .filter((p) => isWorkingTime(now, p.timeZone, working))
    .sort((a, b) => a.turnsThisWeek - b.turnsThisWeek || (a.slackId < b.slackId ? -1 : 1))[0];
  return best?.slackId ?? null;
}
