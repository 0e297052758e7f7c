/**
 * The growth path through fires (issue "From watching to leading"; SPEC.md section "Growth"):
 * observer, then scribe, then investigator, then lead shadow. Pure: a person's fires, their
 * mentor's decisions and any admin's setting in, the stage and what the next one needs out.
 *
 * The stage changes what a person does in a fire, never how often they are invited.
 */

export const STAGES = ['observer', 'scribe', 'investigator', 'lead_shadow'] as const;
export type Stage = (typeof STAGES)[number];

/** Fires needed at a stage, each with a reflection, before the mentor can move a person on. */
export const FIRES_TO_ADVANCE: Readonly<Record<Exclude<Stage, 'lead_shadow'>, number>> = Object.freeze({ observer: 2, scribe: 2, investigator: 3 });

export function nextStage(stage: Stage): Stage | null {
  return STAGES[STAGES.indexOf(stage) + 1] ?? null;
}

export type MentorDecision = 'ready' | 'not_yet';

/** One fire the person took part in as a learner, with what followed it. */
export interface StageFire {
  incidentId: number;
  /** the stage they had in this fire */
  stage: Stage;
  joinedAt: Date;
  reflected: boolean;
  /** the mentor's answer after this fire, if any */
  decision: { value: MentorDecision; at: Date; note?: string | null } | null;
}

export interface AdminSetting {
  stage: Stage;
  at: Date;
}

export interface Progress {
  stage: Stage;
  next: Stage | null;
  /** fires at this stage since reaching it */
  fires: number;
  /** of those, the ones with a reflection */
  reflected: number;
  /** fires with reflections the next stage needs (0 at the last stage) */
  needed: number;
  /** what still stands between the person and the next stage, in order (the mentor's word always, until given); empty at the last stage */
  missing: Array<'fires' | 'reflections' | 'mentor'>;
  /** the mentor's "Not yet" note on the latest fire at this stage, for the person to read */
  heldWithNote: string | null;
  /** how the current stage was reached */
  since: { at: Date | null; by: 'start' | 'mentor' | 'admin' };
}

type Event = { at: Date; kind: 'admin'; stage: Stage } | { at: Date; kind: 'ready'; fire: StageFire };

/**
 * Where a person stands. Events are taken in time order: an admin's setting puts them at that
 * stage from then on; a mentor's "Ready for the next step" on a fire moves them on when that fire
 * is the latest at their current stage and they have had FIRES_TO_ADVANCE fires at it, each with
 * a reflection. A "Not yet" holds them (its note is shown); fires without a reflection count as
 * fires but not toward moving on.
 */
export function progressOf(fires: readonly StageFire[], settings: readonly AdminSetting[] = []): Progress {
  const byTime = [...fires].sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime() || a.incidentId - b.incidentId);
  const events: Event[] = [
    ...settings.map((s): Event => ({ at: s.at, kind: 'admin', stage: s.stage })),
    ...byTime.filter((f) => f.decision?.value === 'ready').map((f): Event => ({ at: f.decision!.at, kind: 'ready', fire: f })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());

  let stage: Stage = 'observer';
  let since: Progress['since'] = { at: null, by: 'start' };
  const firesAtStage = (until: Date | null) =>
    byTime.filter((f) => f.stage === stage && (since.at === null || f.joinedAt >= since.at) && (until === null || f.joinedAt <= until));

  for (const event of events) {
    if (event.kind === 'admin') {
      stage = event.stage;
      since = { at: event.at, by: 'admin' };
      continue;
    }
    const next = nextStage(stage);
    if (!next) continue;
    const atStage = firesAtStage(event.at);
    const latest = atStage.at(-1);
    if (latest !== event.fire) continue; // a confirmation of an older fire, or of a fire at another stage
    if (atStage.filter((f) => f.reflected).length < FIRES_TO_ADVANCE[stage as keyof typeof FIRES_TO_ADVANCE]) continue;
    stage = next;
    since = { at: event.at, by: 'mentor' };
  }

  const current = firesAtStage(null);
  const next = nextStage(stage);
  const needed = next ? FIRES_TO_ADVANCE[stage as keyof typeof FIRES_TO_ADVANCE] : 0;
  const reflected = current.filter((f) => f.reflected).length;
  const missing: Progress['missing'] = [];
  if (next) {
    if (current.length < needed) missing.push('fires');
    if (reflected < needed) missing.push('reflections');
    missing.push('mentor');
  }
  const latestDecision = current.at(-1)?.decision;
  return {
    stage,
    next,
    fires: current.length,
    reflected,
    needed,
    missing,
    heldWithNote: latestDecision?.value === 'not_yet' ? (latestDecision.note?.trim() || null) : null,
    since,
  };
}

/** Whether the mentor's "Ready for the next step" after this fire would move the person on now. */
export function readyToConfirm(progress: Progress): boolean {
  return progress.next !== null && progress.missing.length === 1 && progress.missing[0] === 'mentor';
}

/** A learner's or volunteer's fire as stored: its stage (null before stages were recorded: an observer's fire). */
export interface StoredFire {
  incidentId: number;
  stage: Stage | null;
  joinedAt: Date;
}

/**
 * progressOf's input from stored rows: fires, the incidents with a learning, the mentor's answers
 * (one per fire) and the admin's settings among the stage changes.
 */
export function stageInputOf(rows: {
  fires: readonly StoredFire[];
  reflectedIncidentIds: ReadonlySet<number>;
  decisions: ReadonlyArray<{ incidentId: number; decision: MentorDecision; decidedAt: Date; note: string | null }>;
  changes: ReadonlyArray<{ by: 'mentor' | 'admin'; toStage: Stage; at: Date }>;
}): { fires: StageFire[]; settings: AdminSetting[] } {
  const decisionOf = new Map(rows.decisions.map((d) => [d.incidentId, d]));
  return {
    fires: rows.fires.map((f) => {
      const d = decisionOf.get(f.incidentId);
      return {
        incidentId: f.incidentId,
        stage: f.stage ?? 'observer',
        joinedAt: f.joinedAt,
        reflected: rows.reflectedIncidentIds.has(f.incidentId),
        decision: d ? { value: d.decision, at: d.decidedAt, note: d.note } : null,
      };
    }),
    settings: rows.changes.filter((c) => c.by === 'admin').map((c) => ({ stage: c.toStage, at: c.at })),
  };
}

export function isStage(value: string): value is Stage {
  return (STAGES as readonly string[]).includes(value);
}
