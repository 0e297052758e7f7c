import { WEEK_MS } from '../domain/fairness';
import type { SimEngineer } from './organisation';
import type { Random } from '../domain/random';

/** An incident channel as the simulation opens it: when, and who is already in it. */
export interface SimIncident {
  id: number;
  week: number;
  at: Date;
  creatorId: string | null;
  /** the creator and the other responders paged in; never juniors, who are the learners */
  responderIds: readonly string[];
}

const MINUTES_PER_WEEK = WEEK_MS / 60_000;
/** besides the creator, 0 to this many more responders are in the channel when it opens */
const MAX_EXTRA_RESPONDERS = 2;

/**
 * `count` incidents at uniformly random minutes of week `week` (Monday 00:00 UTC onwards), so
 * nights, weekends and every time zone's off-hours get their share. The on-call responders are
 * mid, senior and staff engineers already employed at that moment.
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
    const responders = random.sample(onCall, 1 + random.integer(0, MAX_EXTRA_RESPONDERS));
    return {
      id: firstId + i,
      week,
      at: new Date(time),
      creatorId: responders[0]?.slackId ?? null,
      responderIds: responders.map((r) => r.slackId),
    };
  });
}
