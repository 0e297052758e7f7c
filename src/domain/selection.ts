import { experienceScore, recentExposure, recentIncidents, RECENT_DAYS, type History, type Level } from './experience';
import { mentorInChannel } from './mentor-choice';
import { localClock, safeZone, type WorkingTime } from './working-time';
import { isAway, type SlackStatus } from './availability';
import { learnerCap, type LearnerCap, type LearnerCapRules } from './learner-caps';

/**
 * Who to invite to a new incident, and why (SPEC.md section 4). Pure: the same data and clock
 * always give the same answer. The app and `npm run simulate` both call chooseLearners.
 */
export interface Candidate {
  slackId: string;
  name: string;
  timeZone: string;
  level: Level;
  startedOn: Date | null;
  isMentor: boolean;
  optedOut: boolean;
  /** a human member of the workspace today (not a bot, guest, external or deleted user) */
  active: boolean;
  history: History;
  /** when they last joined any incident, in any role */
  lastJoinedAt: Date | null;
  /** auto-invites received in the rolling 7 days before now */
  autoInvitesLast7d: number;
  volunteerUntil: Date | null;
  /** said "I'm an experienced responder": never auto-invited, a mentor candidate (SPEC.md section 3) */
  experienced?: boolean;
  /** their Slack status as the roster sync read it; null when none */
  status: SlackStatus | null;
  /** already a learner or volunteer in another incident that is still open (and not left) */
  learningElsewhere: boolean;
}

export interface SelectionRules extends LearnerCapRules {
  invitesPerIncident: number;
  maxVolunteersPerIncident: number;
  maxAutoInvitesPerWeek: number;
  workingTime: WorkingTime;
  /** AWAY_STATUS_PATTERN */
  awayStatusPattern: RegExp;
}

export interface SelectionInput {
  candidates: readonly Candidate[];
  /** Slack ids already in the channel (the creator, responders, the app) */
  channelMembers: ReadonlySet<string>;
  creatorId: string | null;
  /** the human leading the response (domain/incident-lead.ts): never a learner, never the mentor chosen here */
  leadId?: string | null;
  /** read from the channel (domain/severity.ts); null or absent when it says none */
  severity?: number | null;
  now: Date;
  rules: SelectionRules;
}

export type Exclusion = 'inactive' | 'opted_out' | 'in_channel' | 'away' | 'learning_elsewhere' | 'outside_hours' | 'weekly_cap';

export interface ChosenLearner {
  slackId: string;
  name: string;
  source: 'volunteer' | 'auto_invite';
  experience: number;
  /** one sentence for the person and the intro message, e.g. "you volunteered" */
  reason: string;
}

/** The mentor selection can name: someone already in the channel (domain/mentor-choice.ts finds the others later). */
export interface MentorChoice {
  slackId: string;
  reason: 'mentor' | 'senior';
}

export interface SelectionResult {
  learners: ChosenLearner[];
  mentor: MentorChoice | null;
  /** how many people each rule left out, for logs and the simulator */
  excluded: Record<Exclusion, number>;
  /** the cap severity or channel size put on the learners (volunteers included), if any */
  cap: LearnerCap;
}

interface Ranked {
  candidate: Candidate;
  /** recentExposure: level base plus the fires of the last RECENT_DAYS */
  recent: number;
  experience: number;
}

/**
 * Least exposed lately first; then whoever joined an incident least recently (never = first); then
 * the lower experience score; then by id. Ranking by lifetime score instead let anyone behind (a
 * new hire) take every fire in their hours until they caught up, while anyone ahead (a frequent
 * volunteer) waited for weeks: `npm run simulate` showed both (SPEC.md section 10.1).
 */
function byExposure(a: Ranked, b: Ranked): number {
  if (a.recent !== b.recent) return a.recent - b.recent;
  const aLast = a.candidate.lastJoinedAt?.getTime() ?? -Infinity;
  const bLast = b.candidate.lastJoinedAt?.getTime() ?? -Infinity;
  if (aLast !== bLast) return aLast - bLast;
  if (a.experience !== b.experience) return a.experience - b.experience;
  return a.candidate.slackId < b.candidate.slackId ? -1 : a.candidate.slackId > b.candidate.slackId ? 1 : 0;
}

/** Local clocks are computed once per time zone, not once per person: 10,000 people share a few hundred zones. */
function workingTimeChecker(now: Date, working: WorkingTime): (timeZone: string) => boolean {
  const byZone = new Map<string, boolean>();
  return (timeZone) => {
    const zone = safeZone(timeZone);
    let inside = byZone.get(zone);
    if (inside === undefined) {
      const { weekday, minute } = localClock(now, zone);
      inside = working.days.has(weekday) && minute >= working.hours.startMinute && minute < working.hours.endMinute;
      byZone.set(zone, inside);
    }
    return inside;
  };
}

export function isActiveVolunteer(c: Pick<Candidate, 'volunteerUntil'>, now: Date): boolean {
  return c.volunteerUntil !== null && c.volunteerUntil.getTime() > now.getTime();
}

export function chooseLearners(input: SelectionInput): SelectionResult {
  const { candidates, channelMembers, now, rules } = input;
  const inWorkingTime = workingTimeChecker(now, rules.workingTime);
  const excluded: Record<Exclusion, number> = { inactive: 0, opted_out: 0, in_channel: 0, away: 0, learning_elsewhere: 0, outside_hours: 0, weekly_cap: 0 };
  const humansResponding = candidates.filter((c) => c.active && channelMembers.has(c.slackId)).length;
  const cap = learnerCap({ severity: input.severity ?? null, humansResponding }, rules);

  const volunteers: Ranked[] = [];
  const others: Ranked[] = [];
  for (const candidate of candidates) {
    if (!candidate.active) { excluded.inactive++; continue; }
    if (channelMembers.has(candidate.slackId)) { excluded.in_channel++; continue; }
    const volunteering = isActiveVolunteer(candidate, now);
    // Volunteering is an explicit wish, so it overrides an opt-out of automatic invites.
    if (candidate.optedOut && !volunteering) { excluded.opted_out++; continue; }
    // Their own word ("I'm an experienced responder"), counted as an opt-out: they come to fires as
    // responders, never as learners, volunteering or not.
    if (candidate.experienced) { excluded.opted_out++; continue; }
    // Nobody on holiday or sick leave is pulled into a fire, nor anyone already learning in another: not even a volunteer.
    if (isAway(candidate.status, now, rules.awayStatusPattern)) { excluded.away++; continue; }
    if (candidate.learningElsewhere) { excluded.learning_elsewhere++; continue; }
    if (!inWorkingTime(candidate.timeZone)) { excluded.outside_hours++; continue; }
    const ranked = { candidate, recent: recentExposure(candidate), experience: experienceScore(candidate, now) };
    if (volunteering) {
      volunteers.push(ranked);
    } else if (candidate.autoInvitesLast7d >= rules.maxAutoInvitesPerWeek) {
      excluded.weekly_cap++;
    } else {
      others.push(ranked);
    }
  }

  // The severity or channel-size cap lowers both numbers; volunteers, who asked, come first within it.
  const limit = cap.limit ?? Number.POSITIVE_INFINITY;
  const volunteerSeats = Math.min(rules.maxVolunteersPerIncident, limit);
  volunteers.sort(byExposure);
  const chosenVolunteers = volunteers.slice(0, volunteerSeats);
  // Volunteers the cap left out still compete as ordinary candidates if they are under the weekly cap.
  for (const v of volunteers.slice(volunteerSeats)) {
    if (!v.candidate.optedOut && v.candidate.autoInvitesLast7d < rules.maxAutoInvitesPerWeek) others.push(v);
  }
  others.sort(byExposure);
  const chosenOthers = others.slice(0, Math.max(0, Math.min(rules.invitesPerIncident, limit - chosenVolunteers.length)));

  const learners: ChosenLearner[] = [
    ...chosenVolunteers.map((r) => ({
      slackId: r.candidate.slackId,
      name: r.candidate.name,
      source: 'volunteer' as const,
      experience: r.experience,
      reason: 'volunteered for the next fire',
    })),
    ...chosenOthers.map((r) => ({
      slackId: r.candidate.slackId,
      name: r.candidate.name,
      source: 'auto_invite' as const,
      experience: r.experience,
      reason: autoReason(r),
    })),
  ];

  return { learners, mentor: chooseMentor(input, new Set(learners.map((l) => l.slackId))), excluded, cap };
}

function autoReason(r: Ranked): string {
  const recent = recentIncidents(r.candidate.history);
  const fires = r.candidate.lastJoinedAt
    ? `${recent} ${recent === 1 ? 'fire' : 'fires'} in the last ${RECENT_DAYS} days, experience score ${r.experience}`
    : 'no fires yet';
  return `among the least experienced people in working hours right now (${fires})`;
}

/**
 * A mentor-flagged, else senior or staff engineer already in the channel who is neither the lead nor
 * a learner; else nobody yet. Never the creator as such: a channel an incident tool created has a
 * bot for creator, and the human creator leads (flows/mentor-flow.ts waits and asks for a mentor).
 */
export function chooseMentor(input: SelectionInput, learnerIds: ReadonlySet<string> = new Set()): MentorChoice | null {
  const exclude = new Set([...learnerIds, ...(input.leadId ? [input.leadId] : [])]);
  return mentorInChannel(input.candidates, input.channelMembers, exclude);
}
