import { chooseLearners, type Candidate, type SelectionResult, type SelectionRules } from '../domain/selection';
import { WEEK_MS } from '../domain/fairness';
import { generateOrganisation, type SimEngineer } from './organisation';
import { generateWeekOfIncidents, respondersBy, type SimIncident } from './incidents';
import { ParticipationLedger } from './ledger';
import { seededRandom, type Random } from '../domain/random';

export interface SimulationOptions {
  weeks: number;
  engineers: number;
  incidentsPerWeek: number;
  seed: number;
  /** share of offers declined (INVITE_MODE=offer), 0..1; each declined place is offered to the next candidate */
  declineRate: number;
}

/** How many times one place is offered again after declines, at most, before it stays empty. */
const MAX_OFFERS_PER_PLACE = 10;

/** A Monday, 00:00 UTC. The quarter that follows crosses the spring DST changes of America, Europe and Oceania. */
export const RUN_START = new Date('2026-01-05T00:00:00Z');

export interface SimIncidentOutcome extends SimIncident {
  /** when selection ran: INVITE_DELAY after the channel opened */
  selectedAt: Date;
  selection: SelectionResult;
}

/** The rules the app's configuration gives: selection's, and how long it waits (INVITE_DELAY). */
export type SimulationRules = SelectionRules & { inviteDelayMs: number };

/** A Slack status that AWAY_STATUS_PATTERN's default recognises, for a person on holiday. */
export const HOLIDAY_STATUS = { text: 'On vacation', emoji: ':palm_tree:' } as const;

/** PRACTICE_AFTER and PRACTICE_MIN_AGE, as the app's configuration has them (defaults 28d and 7d). */
export interface PracticeSettings {
  practiceAfterMs?: number;
  practiceMinAgeMs?: number;
}

export interface SimulationRun {
  options: SimulationOptions;
  rules: SimulationRules;
  /** for the practice fires worked out after the run (src/sim/practice.ts) */
  practice: { afterMs: number; minAgeMs: number };
  start: Date;
  end: Date;
  engineers: readonly SimEngineer[];
  incidents: readonly SimIncidentOutcome[];
  ledger: ParticipationLedger;
}

/**
 * Replays the run week by week through chooseLearners, the function the app calls, with the
 * rules from the app's configuration. History accumulates as in production: every chosen
 * learner is recorded as a participation at the incident's time, and the next incident sees it.
 */
export function runSimulation(options: SimulationOptions, rules: SimulationRules & PracticeSettings): SimulationRun {
  const start = RUN_START;
  // Separate streams, so that the organisation does not change when the number of incidents does.
  const organisationRandom = seededRandom(options.seed);
  const incidentRandom = seededRandom(options.seed ^ 0x5bd1e995);
  // Its own stream too, so that a decline rate of 0 leaves every other figure as it was.
  const declineRandom = seededRandom(options.seed ^ 0x2545f491);
  const engineers = generateOrganisation({ engineers: options.engineers, weeks: options.weeks, start }, organisationRandom);
  const ledger = new ParticipationLedger();
  const incidents: SimIncidentOutcome[] = [];

  for (let week = 0; week < options.weeks; week++) {
    const opened = generateWeekOfIncidents(week, options.incidentsPerWeek, start, engineers, incidents.length + 1, incidentRandom);
    for (const incident of opened) {
      // Selection waits INVITE_DELAY: only the responders who joined by then are in the channel.
      const selectedAt = new Date(incident.at.getTime() + rules.inviteDelayMs);
      const present = respondersBy(incident, rules.inviteDelayMs / 60_000);
      const chosen = chooseLearners({
        candidates: candidatesAt(engineers, ledger, selectedAt, start),
        channelMembers: new Set(present),
        creatorId: incident.creatorId,
        // The lead: the human creator, or (a channel an incident tool's bot made) the first responder; never the mentor.
        leadId: incident.creatorId ?? incident.responders[0]?.slackId ?? null,
        severity: incident.severity,
        now: selectedAt,
        rules,
      });
      const selection = options.declineRate > 0
        ? { ...chosen, learners: afterDeclines(chosen, incident, { engineers, ledger, rules, at: selectedAt, runStart: start, present }, options.declineRate, declineRandom) }
        : chosen;
      for (const r of incident.responders) {
        const joinedAt = new Date(incident.at.getTime() + r.joinsAfterMinutes * 60_000);
        ledger.record(r.slackId, { incidentId: incident.id, role: 'responder', source: 'self_joined', joinedAt, until: incident.resolvedAt });
      }
      for (const learner of selection.learners) {
        const volunteered = learner.source === 'volunteer';
        ledger.record(learner.slackId, {
          incidentId: incident.id,
          role: volunteered ? 'volunteer' : 'learner',
          source: volunteered ? 'volunteer' : 'auto_invite',
          joinedAt: selectedAt,
          until: incident.resolvedAt,
        });
      }
      incidents.push({ ...incident, selectedAt, selection });
    }
  }
  const practice = { afterMs: rules.practiceAfterMs ?? 28 * 86_400_000, minAgeMs: rules.practiceMinAgeMs ?? 7 * 86_400_000 };
  return { options, rules, practice, start, end: new Date(start.getTime() + options.weeks * WEEK_MS), engineers, incidents, ledger };
}

/**
 * INVITE_MODE=offer: each chosen person declines with probability `rate`; a declined offer of an
 * automatic pick counts toward the weekly cap (as the candidates query counts it), and the place
 * is offered to the next candidate by the same rules, leaving out everyone offered before, as
 * src/flows/offer-flow.ts does. Returns the people who accepted.
 */
function afterDeclines(
  chosen: SelectionResult,
  incident: SimIncident,
  world: { engineers: readonly SimEngineer[]; ledger: ParticipationLedger; rules: SelectionRules; at: Date; runStart: Date; present: readonly string[] },
  rate: number,
  random: Random,
): SelectionResult['learners'] {
  const { engineers, ledger, rules, at, runStart } = world;
  const offered = new Set([...world.present, ...chosen.learners.map((l) => l.slackId)]);
  const accepted: SelectionResult['learners'] = [];
  for (const first of chosen.learners) {
    let current: SelectionResult['learners'][number] | undefined = first;
    for (let attempt = 0; current && attempt < MAX_OFFERS_PER_PLACE; attempt++) {
      if (!random.chance(rate)) {
        accepted.push(current);
        break;
      }
      if (current.source === 'auto_invite') ledger.recordDecline(current.slackId, at);
      // One seat to fill again: the caps of the first choice (severity, responders present) already allowed it.
      current = chooseLearners({
        candidates: candidatesAt(engineers, ledger, at, runStart),
        channelMembers: offered,
        creatorId: incident.creatorId,
        now: at,
        rules: { ...rules, invitesPerIncident: 1, maxVolunteersPerIncident: 1, maxLearnersPerResponder: 0 },
      }).learners[0];
      if (current) offered.add(current.slackId);
    }
  }
  return accepted;
}

/** Everyone in the workspace at `now`, as the app would load them from the database. */
function candidatesAt(engineers: readonly SimEngineer[], ledger: ParticipationLedger, now: Date, runStart: Date): Candidate[] {
  const week = Math.floor((now.getTime() - runStart.getTime()) / WEEK_MS);
  return engineers
    .filter((e) => e.startedOn.getTime() <= now.getTime())
    .map((e) => ({
      slackId: e.slackId,
      name: e.name,
      timeZone: e.timeZone,
      level: e.level,
      startedOn: e.startedOn,
      isMentor: e.isMentor,
      optedOut: e.optedOutFrom !== null && e.optedOutFrom.getTime() <= now.getTime(),
      active: true,
      history: ledger.history(e.slackId, now),
      lastJoinedAt: ledger.lastJoinedAt(e.slackId, now),
      autoInvitesLast7d: ledger.autoInvitesLast7d(e.slackId, now),
      volunteerUntil: e.volunteering.find((v) => v.from.getTime() <= now.getTime() && now.getTime() < v.until.getTime())?.until ?? null,
      status: e.awayWeeks.has(week) ? HOLIDAY_STATUS : null,
      learningElsewhere: ledger.learningAt(e.slackId, now),
    }));
}
