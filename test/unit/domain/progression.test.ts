import { nextStage, progressOf, readyToConfirm, type StageFire } from '../../../src/domain/progression';

const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n, 10));
let id = 0;
function fire(stage: StageFire['stage'], on: number, options: { reflected?: boolean; decision?: 'ready' | 'not_yet'; decidedOn?: number; note?: string } = {}): StageFire {
  return {
    incidentId: ++id,
    stage,
    joinedAt: day(on),
    reflected: options.reflected ?? true,
    decision: options.decision ? { value: options.decision, at: day(options.decidedOn ?? on + 1), note: options.note ?? null } : null,
  };
}

describe('progression', () => {
  it('starts everyone as an observer who needs two fires, two reflections and the mentor', () => {
    expect(progressOf([])).toEqual({ stage: 'observer', next: 'scribe', fires: 0, reflected: 0, needed: 2, missing: ['fires', 'reflections', 'mentor'], heldWithNote: null, since: { at: null, by: 'start' } });
  });

  it('moves an observer to scribe after two reflected fires and the mentor confirming the last', () => {
    const fires = [fire('observer', 1), fire('observer', 10, { decision: 'ready', decidedOn: 11 })];
    const p = progressOf(fires);
    expect(p).toMatchObject({ stage: 'scribe', next: 'investigator', fires: 0, needed: 2, since: { at: day(11), by: 'mentor' } });
  });

  it('does not move on when a reflection is missing, even with the mentor ready', () => {
    const fires = [fire('observer', 1, { reflected: false }), fire('observer', 10, { decision: 'ready' })];
    const p = progressOf(fires);
    expect(p).toMatchObject({ stage: 'observer', fires: 2, reflected: 1, missing: ['reflections', 'mentor'] });
    expect(readyToConfirm(p)).toBe(false);
  });

  it('holds at the stage on "Not yet", with the note for the learner', () => {
    const fires = [fire('observer', 1), fire('observer', 10, { decision: 'not_yet', note: ' Try writing the timeline next time. ' })];
    const p = progressOf(fires);
    expect(p).toMatchObject({ stage: 'observer', fires: 2, reflected: 2, missing: ['mentor'], heldWithNote: 'Try writing the timeline next time.' });
    expect(readyToConfirm(p)).toBe(true);
  });

  it('ignores a confirmation of an older fire when a newer one exists at the stage', () => {
    const fires = [fire('observer', 1), fire('observer', 5, { decision: 'ready', decidedOn: 20 }), fire('observer', 10)];
    expect(progressOf(fires).stage).toBe('observer');
  });

  it('counts only fires since reaching the stage', () => {
    const fires = [
      fire('observer', 1),
      fire('observer', 2, { decision: 'ready', decidedOn: 3 }),
      fire('scribe', 4),
      fire('scribe', 6, { decision: 'ready', decidedOn: 7 }),
      fire('investigator', 8),
      fire('investigator', 9),
      fire('investigator', 12, { decision: 'ready', decidedOn: 13 }),
    ];
    expect(progressOf(fires)).toMatchObject({ stage: 'lead_shadow', next: null, needed: 0, missing: [], since: { at: day(13), by: 'mentor' } });
  });

  it('lets an admin set a stage, counting from then', () => {
    const fires = [fire('observer', 1), fire('investigator', 5)];
    const p = progressOf(fires, [{ stage: 'investigator', at: day(3) }]);
    expect(p).toMatchObject({ stage: 'investigator', fires: 1, needed: 3, since: { at: day(3), by: 'admin' } });
    // an admin may also move someone back
    expect(progressOf(fires, [{ stage: 'investigator', at: day(3) }, { stage: 'observer', at: day(6) }])).toMatchObject({ stage: 'observer', fires: 0 });
  });

  it('orders the stages', () => {
    expect(['observer', 'scribe', 'investigator', 'lead_shadow'].map((s) => nextStage(s as never))).toEqual(['scribe', 'investigator', 'lead_shadow', null]);
  });
});
