import { chooseLearners, type Candidate, type SelectionResult, type SelectionRules } from '../domain/selection';
import { WEEK_MS } from '../domain/fairness';
import { generateOrganisation, type SimEngineer } from './organisation';
import { generateWeekOfIncidents, type SimIncident } from './incidents';
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
  selection: SelectionResult;
}

export interface SimulationRun {
  options: SimulationOptions;
  rules: SelectionRules;
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
export function runSimulation(options: SimulationOptions, rules: SelectionRules): SimulationRun {
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
      const chosen = chooseLearners({
        candidates: candidatesAt(engineers, ledger, incident.at),
        channelMembers: new Set(incident.responderIds),
        creatorId: incident.creatorId,
        now: incident.at,
        rules,
      });
      const selection = options.declineRate > 0 ? { ...chosen, learners: afterDeclines(chosen, incident, engineers, ledger, rules, options.declineRate, declineRandom) } : chosen;
      for (const id of incident.responderIds) {
        ledger.record(id, { incidentId: incident.id, role: 'responder', source: 'self_joined', joinedAt: incident.at });
      }
      for (const learner of selection.learners) {
        const volunteered = learner.source === 'volunteer';
        ledger.record(learner.slackId, {
          incidentId: incident.id,
          role: volunteered ? 'volunteer' : 'learner',
          source: volunteered ? 'volunteer' : 'auto_invite',
          joinedAt: incident.at,
        });
      }
      incidents.push({ ...incident, selection });
    }
  }
  return { options, rules, start, end: new Date(start.getTime() + options.weeks * WEEK_MS), engineers, incidents, ledger };
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
  engineers: readonly SimEngineer[],
  ledger: ParticipationLedger,
  rules: SelectionRules,
  rate: number,
  random: Random,
): SelectionResult['learners'] {
  const offered = new Set([...incident.responderIds, ...chosen.learners.map((l) => l.slackId)]);
  const accepted: SelectionResult['learners'] = [];
  for (const first of chosen.learners) {
    let current: SelectionResult['learners'][number] | undefined = first;
    for (let attempt = 0; current && attempt < MAX_OFFERS_PER_PLACE; attempt++) {
      if (!random.chance(rate)) {
        accepted.push(current);
        break;
      }
      if (current.source === 'auto_invite') ledger.recordDecline(current.slackId, incident.at);
      current = chooseLearners({
        candidates: candidatesAt(engineers, ledger, incident.at),
        channelMembers: offered,
        creatorId: incident.creatorId,
        now: incident.at,
        rules: { ...rules, invitesPerIncident: 1, maxVolunteersPerIncident: 1 },
      }).learners[0];
      if (current) offered.add(current.slackId);
    }
  }
  return accepted;
}

/** Everyone in the workspace at `now`, as the app would load them from the database. */
function candidatesAt(engineers: readonly SimEngineer[], ledger: ParticipationLedger, now: Date): Candidate[] {
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
    }));
}
