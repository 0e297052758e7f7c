import { DAY_MS, median } from '../domain/fairness';
import { progressOf, readyToConfirm, STAGES, type Stage, type StageFire } from '../domain/progression';
import { seededRandom } from '../domain/random';
import type { SimulationRun } from './runner';

/**
 * How long people take to reach each stage of the growth path (SPEC.md "Growth", section 10),
 * replayed over the run's fires through progression.ts, the rules the app uses. Stages never change
 * who is invited, so this runs after the selection, on its own random stream: the fairness figures
 * are the same with or without it.
 *
 * Assumptions, documented in SPEC.md: a learner writes a reflection after a fire with probability
 * REFLECTION_RATE; their mentor answers a day after the fire, and, when the rules allow a move, says
 * "Ready for the next step" with probability CONFIRM_RATE, else "Not yet".
 */
export const REFLECTION_RATE = 0.75;
export const CONFIRM_RATE = 0.8;
const DECISION_DELAY_MS = DAY_MS;


export interface StageTiming {
  stage: Stage;
  /** people with at least one fire who reached this stage by the end of the run */
  reached: number;
  /** of how many people with at least one fire */
  of: number;
  /** median days from their first fire to reaching it, over those who reached it */
  median_days: number | null;
  /** median fires they had joined by then */
  median_fires: number | null;
}

export function simulateGrowth(run: SimulationRun): StageTiming[] {
  const random = seededRandom(run.options.seed ^ 0x16a9e5);
  const reachedAt = new Map<Stage, Array<{ days: number; fires: number }>>(STAGES.slice(1).map((s) => [s, []]));
  let people = 0;
  for (const engineer of run.engineers) {
    const fires = run.ledger.of(engineer.slackId).filter((p) => p.role === 'learner' || p.role === 'volunteer').sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime());
    if (fires.length === 0) continue;
    people++;
    const first = fires[0]!.joinedAt.getTime();
    // Joins and the mentor's answers in time order, so that an answer sees every fire joined before it
    // (a fire joined before the mentor answered the previous one is at the old stage, as in the app).
    const events = fires.flatMap((fire, k) => [
      { at: fire.joinedAt.getTime(), k, kind: 'join' as const },
      { at: fire.joinedAt.getTime() + DECISION_DELAY_MS, k, kind: 'answer' as const },
    ]).sort((a, b) => a.at - b.at || a.k - b.k);
    const history: StageFire[] = [];
    let stage: Stage = 'observer';
    for (const event of events) {
      const fire = fires[event.k]!;
      if (event.kind === 'join') {
        history.push({ incidentId: fire.incidentId, stage, joinedAt: fire.joinedAt, reflected: random.chance(REFLECTION_RATE), decision: null });
        continue;
      }
      const current = history.find((f) => f.incidentId === fire.incidentId)!;
      const ready = readyToConfirm(progressOf(history)) && random.chance(CONFIRM_RATE);
      current.decision = { value: ready ? 'ready' : 'not_yet', at: new Date(event.at), note: null };
      const after = progressOf(history).stage;
      if (after !== stage) {
        stage = after;
        if (event.at <= run.end.getTime()) reachedAt.get(after)!.push({ days: (event.at - first) / DAY_MS, fires: history.length });
      }
    }
  }
  return STAGES.slice(1).map((stage) => {
    const rows = reachedAt.get(stage)!;
    const days = median(rows.map((r) => r.days));
    const fires = median(rows.map((r) => r.fires));
    return { stage, reached: rows.length, of: people, median_days: days === null ? null : Math.round(days * 10) / 10, median_fires: fires };
  });
}
