import { LEVELS, type Level } from '../domain/experience';
import {
  consecutiveWindows, coverage, slidingWindows, DAY_MS, gini, invitesOutsideWorkingTime, invitesOverCap, median, mentorLoad, WEEK_MS,
  type CoveragePerson,
} from '../domain/fairness';
import { WEEKDAYS } from '../domain/working-time';
import { formatDuration } from '../domain/duration';
import type { SimEngineer } from './organisation';
import { simulateGrowth, type StageTiming } from './growth';
import { simulatePractices } from './practice';
import type { SimulationRun } from './runner';

/**
 * The figures of SPEC.md section 10 for one run, with the populations they were measured over.
 * Field names of the figures are the public names, so `--json` prints this object as it is.
 */
export interface SimulationReport {
  settings: {
    weeks: number;
    engineers: number;
    incidentsPerWeek: number;
    seed: number;
    /** --decline-rate: share of offers declined */
    declineRate: number;
    invitesPerIncident: number;
    maxVolunteersPerIncident: number;
    maxAutoInvitesPerWeek: number;
    workingHours: string;
    workingDays: string;
    inviteDelay: string;
    learnersBySeverity: string;
    maxLearnersPerResponder: number;
  };
  coverage_4w: number | null;
  /** coverage_4w counting a practice fire as well as a fire (SPEC.md "Practice fires"); reported, no target */
  coverage_4w_with_practice: number | null;
  /** the stricter reading: a fire in every 28 days, windows starting every day; reported, no target */
  coverage_4w_sliding: number | null;
  /** null when no junior was employed 4 weeks of the run */
  gini_juniors: number | null;
  first_fire_days: number | null;
  outside_hours: number;
  over_cap: number;
  mentor_load: { median: number | null; max: number };
  targets: { coverage_4w: boolean; gini_juniors: boolean; outside_hours: boolean; over_cap: boolean; all: boolean };
  measured: {
    juniors: number;
    /** juniors employed for at least one whole 4-week window and not opted out in it */
    coverage_juniors: number;
    coverage_covered: number;
    /** juniors employed at least 4 weeks of the run and never opted out */
    gini_juniors: number;
    /** junior new hires who never opted out */
    new_hires: number;
    new_hires_without_fire: number;
    /** practice fires offered to juniors, and taken (a share of offers, src/sim/practice.ts) */
    practice_offers: number;
    practices: number;
  };
  incidents: {
    total: number;
    without_learner: number;
    auto_invites: number;
    volunteer_joins: number;
    mentor_reasons: { mentor: number; senior: number; none: number };
    /** channels an incident tool's bot created */
    bot_created: number;
    /** incidents per severity read from the channel ("unknown": none stated) */
    by_severity: Record<string, number>;
    /** incidents whose learners LEARNERS_BY_SEVERITY or MAX_LEARNERS_PER_RESPONDER limited */
    capped_by: { severity: number; responders: number };
  };
  levels: Array<{ level: Level; engineers: number; fires: number; mean: number; min: number; max: number }>;
  /** fires joined (as learner or volunteer) per junior: how many juniors joined each number */
  histogram: Array<{ fires: number; juniors: number }>;
  /** how long people take to reach each stage of the growth path (sim/growth.ts); reported, no target */
  stage_days: StageTiming[];
}

export const TARGETS = { coverage4w: 0.95, giniJuniors: 0.15 } as const;
export const COVERAGE_WINDOW_MS = 4 * WEEK_MS;
/** Rates over less than one coverage window are mostly noise at a few fires a month. */
const MIN_WEEKS_FOR_GINI = 4;

export function reportSimulation(run: SimulationRun): SimulationReport {
  const { engineers, incidents, ledger, rules, start, end, options } = run;
  const firesOf = (e: SimEngineer): Date[] =>
    ledger.of(e.slackId).filter((p) => p.role === 'learner' || p.role === 'volunteer').map((p) => p.joinedAt);
  const neverOptedOut = (e: SimEngineer): boolean => e.optedOutFrom === null || e.optedOutFrom.getTime() >= end.getTime();
  const employedFrom = (e: SimEngineer): number => Math.max(start.getTime(), e.startedOn.getTime());

  const juniors = engineers.filter((e) => e.level === 'junior');

  const coveragePeople: CoveragePerson[] = juniors.map((e) => ({ employedFrom: e.startedOn, optedOutFrom: e.optedOutFrom, fires: firesOf(e) }));
  const covered = coverage(coveragePeople, consecutiveWindows(start, end, COVERAGE_WINDOW_MS));
  const practice = simulatePractices(run, { ...run.practice, workingTime: rules.workingTime });
  const coveredWithPractice = coverage(
    juniors.map((e) => ({ employedFrom: e.startedOn, optedOutFrom: e.optedOutFrom, fires: [...firesOf(e), ...(practice.practices.get(e.slackId) ?? [])] })),
    consecutiveWindows(start, end, COVERAGE_WINDOW_MS),
  );
  const coveredSliding = coverage(coveragePeople, slidingWindows(start, end, COVERAGE_WINDOW_MS, DAY_MS));

  const giniPeople = juniors.filter((e) => neverOptedOut(e) && end.getTime() - employedFrom(e) >= MIN_WEEKS_FOR_GINI * WEEK_MS);
  const firesPerWeek = giniPeople.map((e) => firesOf(e).length / ((end.getTime() - employedFrom(e)) / WEEK_MS));

  const newHires = juniors.filter((e) => e.hiredDuringRun && neverOptedOut(e));
  const daysToFirstFire = newHires.map((e) => {
    const first = firesOf(e).reduce<number>((min, at) => Math.min(min, at.getTime()), Infinity);
    return (first - e.startedOn.getTime()) / DAY_MS;
  });
  const firstFireMedian = median(daysToFirstFire);

  const byId = new Map(engineers.map((e) => [e.slackId, e]));
  const invites = incidents.flatMap((incident) => incident.selection.learners.map((l) => ({ incident, learner: l, engineer: byId.get(l.slackId)! })));
  const outsideHours = invitesOutsideWorkingTime(invites.map((i) => ({ at: i.incident.selectedAt, timeZone: i.engineer.timeZone })), rules.workingTime);
  const overCap = engineers.reduce(
    (sum, e) => sum + invitesOverCap(ledger.of(e.slackId).filter((p) => p.source === 'auto_invite').map((p) => p.joinedAt), rules.maxAutoInvitesPerWeek),
    0,
  );

  const mentorReasons = { mentor: 0, senior: 0, none: 0 };
  for (const incident of incidents) mentorReasons[incident.selection.mentor?.reason ?? 'none']++;
  const load = mentorLoad(
    incidents.flatMap((i) => (i.selection.mentor ? [{ mentorId: i.selection.mentor.slackId, week: i.week }] : [])),
    options.weeks,
  );

  const coverageShare = covered.share === null ? null : round(covered.share);
  const giniRounded = giniPeople.length === 0 ? null : round(gini(firesPerWeek));
  const targets = {
    coverage_4w: coverageShare !== null && coverageShare >= TARGETS.coverage4w,
    gini_juniors: giniRounded !== null && giniRounded <= TARGETS.giniJuniors,
    outside_hours: outsideHours === 0,
    over_cap: overCap === 0,
  };

  return {
    settings: {
      weeks: options.weeks,
      engineers: options.engineers,
      incidentsPerWeek: options.incidentsPerWeek,
      seed: options.seed,
      declineRate: options.declineRate,
      invitesPerIncident: rules.invitesPerIncident,
      maxVolunteersPerIncident: rules.maxVolunteersPerIncident,
      maxAutoInvitesPerWeek: rules.maxAutoInvitesPerWeek,
      workingHours: `${clock(rules.workingTime.hours.startMinute)}-${clock(rules.workingTime.hours.endMinute)}`,
      workingDays: [1, 2, 3, 4, 5, 6, 0].filter((d) => rules.workingTime.days.has(d)).map((d) => WEEKDAYS[d]).join(','),
      inviteDelay: formatDuration(rules.inviteDelayMs),
      learnersBySeverity: [...rules.learnersBySeverity].map(([severity, n]) => `${severity}:${n}`).join(','),
      maxLearnersPerResponder: rules.maxLearnersPerResponder,
    },
    coverage_4w: coverageShare,
    coverage_4w_with_practice: coveredWithPractice.share === null ? null : round(coveredWithPractice.share),
    coverage_4w_sliding: coveredSliding.share === null ? null : round(coveredSliding.share),
    gini_juniors: giniRounded,
    first_fire_days: firstFireMedian === null || !Number.isFinite(firstFireMedian) ? null : round(firstFireMedian, 1),
    outside_hours: outsideHours,
    over_cap: overCap,
    mentor_load: { median: load.median === null ? null : round(load.median, 2), max: load.max },
    targets: { ...targets, all: Object.values(targets).every(Boolean) },
    measured: {
      juniors: juniors.length,
      coverage_juniors: covered.measured,
      coverage_covered: covered.covered,
      gini_juniors: giniPeople.length,
      new_hires: newHires.length,
      new_hires_without_fire: daysToFirstFire.filter((d) => !Number.isFinite(d)).length,
      practice_offers: practice.offers,
      practices: [...practice.practices.values()].reduce((sum, p) => sum + p.length, 0),
    },
    incidents: {
      total: incidents.length,
      without_learner: incidents.filter((i) => i.selection.learners.length === 0).length,
      auto_invites: invites.filter((i) => i.learner.source === 'auto_invite').length,
      volunteer_joins: invites.filter((i) => i.learner.source === 'volunteer').length,
      mentor_reasons: mentorReasons,
      bot_created: incidents.filter((i) => i.creatorId === null).length,
      by_severity: countBy(incidents.map((i) => (i.severity === null ? 'unknown' : `sev${i.severity}`))),
      capped_by: {
        severity: incidents.filter((i) => i.selection.cap.by === 'severity').length,
        responders: incidents.filter((i) => i.selection.cap.by === 'responders').length,
      },
    },
    levels: LEVELS.map((level) => {
      const fires = engineers.filter((e) => e.level === level).map((e) => firesOf(e).length);
      const total = fires.reduce((sum, f) => sum + f, 0);
      return {
        level,
        engineers: fires.length,
        fires: total,
        mean: fires.length === 0 ? 0 : round(total / fires.length, 2),
        min: fires.length === 0 ? 0 : Math.min(...fires),
        max: fires.length === 0 ? 0 : Math.max(...fires),
      };
    }),
    histogram: histogram(juniors.map((e) => firesOf(e).length)),
    stage_days: simulateGrowth(run),
  };
}

function countBy(keys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of [...keys].sort()) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

function clock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function histogram(counts: readonly number[]): Array<{ fires: number; juniors: number }> {
  if (counts.length === 0) return [];
  const rows = Array.from({ length: Math.max(...counts) + 1 }, (_, fires) => ({ fires, juniors: 0 }));
  for (const c of counts) rows[c]!.juniors++;
  return rows;
}
