import { chooseLearners, type Candidate, type SelectionResult, type SelectionRules } from '../domain/selection';
import { WEEK_MS } from '../domain/fairness';
import { generateOrganisation, type SimEngineer } from './organisation';
import { generateWeekOfIncidents, type SimIncident } from './incidents';
import { ParticipationLedger } from './ledger';
import { seededRandom } from '../domain/random';

export interface SimulationOptions {
  weeks: number;
  engineers: number;
  incidentsPerWeek: number;
  seed: number;
}

/** A Monday, 00:00 UTC. The quarter that follows crosses the spring DST changes of America, Europe and Oceania. */
export const RUN_START = new Date('2026-01-05T00:00:00Z');

export interface SimIncidentOutcome extends SimIncident {
  selection: SelectionResult;
}

/** PRACTICE_AFTER and PRACTICE_MIN_AGE, as the app's configuration has them (defaults 28d and 7d). */
export interface PracticeSettings {
  practiceAfterMs?: number;
  practiceMinAgeMs?: number;
}

export interface SimulationRun {
  options: SimulationOptions;
  rules: SelectionRules;
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
export function runSimulation(options: SimulationOptions, rules: SelectionRules & PracticeSettings): SimulationRun {
  const start = RUN_START;
  // Separate streams, so that the organisation does not change when the number of incidents does.
  const organisationRandom = seededRandom(options.seed);
  const incidentRandom = seededRandom(options.seed ^ 0x5bd1e995);
  const engineers = generateOrganisation({ engineers: options.engineers, weeks: options.weeks, start }, organisationRandom);
  const ledger = new ParticipationLedger();
  const incidents: SimIncidentOutcome[] = [];

  for (let week = 0; week < options.weeks; week++) {
    const opened = generateWeekOfIncidents(week, options.incidentsPerWeek, start, engineers, incidents.length + 1, incidentRandom);
    for (const incident of opened) {
      const selection = chooseLearners({
        candidates: candidatesAt(engineers, ledger, incident.at),
        channelMembers: new Set(incident.responderIds),
        creatorId: incident.creatorId,
        now: incident.at,
        rules,
      });
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
  const practice = { afterMs: rules.practiceAfterMs ?? 28 * 86_400_000, minAgeMs: rules.practiceMinAgeMs ?? 7 * 86_400_000 };
  return { options, rules, practice, start, end: new Date(start.getTime() + options.weeks * WEEK_MS), engineers, incidents, ledger };
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
