import { WEEK_MS } from '../domain/fairness';
import type { SimEngineer } from './organisation';
import type { Random } from '../domain/random';

/** A responder and when they came into the channel, in minutes after it opened. */
export interface SimResponder {
  slackId: string;
  joinsAfterMinutes: number;
}

/** An incident channel as the simulation opens it: when, who made it, who responds and when, how bad, how long. */
export interface SimIncident {
  id: number;
  week: number;
  at: Date;
  /** a human responder, or null when an incident tool's bot created the channel */
  creatorId: string | null;
  /** the creator and the other responders paged in, in the order they join; never juniors, who are the learners */
  responders: readonly SimResponder[];
  /** 0 (worst) to 5 as the incident tool states it, or null when the channel never says */
  severity: number | null;
  resolvedAt: Date;
}

const MINUTES_PER_WEEK = WEEK_MS / 60_000;
/** besides the one who declares the incident, 1 to this many more responders are paged in or come to help */
const MAX_EXTRA_RESPONDERS = 4;
/** Incident tools (incident.io, Rootly, FireHydrant, PagerDuty) open this share of channels with a bot. */
export const BOT_CREATED_SHARE = 0.5;
/**
 * How bad incidents are, as a plausible mix: few sev0/sev1, most sev2-4; a channel whose name,
 * topic and first messages state no severity is `null` (then today's numbers apply).
 */
export const SEVERITY_MIX: ReadonlyArray<readonly [number | null, number]> = [[0, 1], [1, 5], [2, 15], [3, 35], [4, 25], [5, 4], [null, 15]];
/**
 * The one who declares the incident is in the channel from the start (they create it, or the
 * incident tool adds them); the others come in over the first quarter of an hour, some before
 * selection runs and some after.
 */
const LATER_RESPONDER_MINUTES: readonly [number, number] = [0, 10];
/** Incidents last 20 minutes to 4 hours. */
const DURATION_MINUTES: readonly [number, number] = [20, 240];

/**
 * `count` incidents at uniformly random minutes of week `week` (Monday 00:00 UTC onwards), so
 * nights, weekends and every time zone's off-hours get their share. The on-call responders are
 * mid, senior and staff engineers already employed at that moment. A share of channels is
 * created by an incident tool's bot, which is never a responder.
 */
export function generateWeekOfIncidents(
  week: number,
  count: number,
  runStart: Date,
  engineers: readonly SimEngineer[],
  firstId: number,
  random: Random,
): SimIncident[] {
  const weekStart = runStart.getTime() + week * WEEK_MS;
  const times = Array.from({ length: count }, () => weekStart + random.integer(0, MINUTES_PER_WEEK - 1) * 60_000).sort((a, b) => a - b);
  return times.map((time, i) => {
    const onCall = engineers.filter((e) => e.level !== 'junior' && e.startedOn.getTime() <= time);
    const people = random.sample(onCall, 1 + random.integer(1, MAX_EXTRA_RESPONDERS));
    const byBot = random.chance(BOT_CREATED_SHARE);
    const responders = people
      .map((p, n) => ({ slackId: p.slackId, joinsAfterMinutes: n < (byBot ? 2 : 1) ? 0 : random.integer(...LATER_RESPONDER_MINUTES) }))
      .sort((a, b) => a.joinsAfterMinutes - b.joinsAfterMinutes);
    return {
      id: firstId + i,
      week,
      at: new Date(time),
      creatorId: byBot ? null : (people[0]?.slackId ?? null),
      responders,
      severity: random.weighted(SEVERITY_MIX),
      resolvedAt: new Date(time + random.integer(...DURATION_MINUTES) * 60_000),
    };
  });
}

/** Who is in the channel `minutes` after it opened. */
export function respondersBy(incident: SimIncident, minutes: number): string[] {
  return incident.responders.filter((r) => r.joinsAfterMinutes <= minutes).map((r) => r.slackId);
}
