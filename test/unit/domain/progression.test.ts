import { isStage, nextStage, progressOf, readyToConfirm, STAGES, stageInputOf, type StageFire } from '../../../src/domain/progression';

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

describe('progression edges', () => {
  it('a missing reflection on the last fire holds the person even after the mentor confirms it', () => {
    const fires = [fire('observer', 1), fire('observer', 10, { reflected: false, decision: 'ready' })];
    expect(progressOf(fires)).toMatchObject({ stage: 'observer', fires: 2, reflected: 1, missing: ['reflections', 'mentor'] });
  });

  it('a third reflected fire makes up for an earlier one without a reflection', () => {
    const fires = [fire('observer', 1, { reflected: false }), fire('observer', 5), fire('observer', 10, { decision: 'ready', decidedOn: 11 })];
    expect(progressOf(fires).stage).toBe('scribe');
  });

  it('"Not yet" on one fire, then "Ready" on the next, moves them on and forgets the note', () => {
    const fires = [fire('observer', 1), fire('observer', 5, { decision: 'not_yet', note: 'Ask one question next time' }), fire('observer', 10, { decision: 'ready', decidedOn: 11 })];
    expect(progressOf(fires)).toMatchObject({ stage: 'scribe', heldWithNote: null });
  });

  it('a "Not yet" without a note holds them with no note to show', () => {
    const fires = [fire('observer', 1), fire('observer', 5, { decision: 'not_yet', note: '   ' })];
    expect(progressOf(fires)).toMatchObject({ stage: 'observer', heldWithNote: null, missing: ['mentor'] });
  });

  it('needs three reflected fires as an investigator', () => {
    const settings = [{ stage: 'investigator' as const, at: day(0) }];
    expect(progressOf([fire('investigator', 1), fire('investigator', 2, { decision: 'ready', decidedOn: 3 })], settings)).toMatchObject({ stage: 'investigator', missing: ['fires', 'reflections', 'mentor'] });
    expect(progressOf([fire('investigator', 1), fire('investigator', 2), fire('investigator', 4, { decision: 'ready', decidedOn: 5 })], settings).stage).toBe('lead_shadow');
  });

  it('an admin override wins over the mentor, and later confirmations count from it', () => {
    const fires = [fire('observer', 1), fire('observer', 2, { decision: 'ready', decidedOn: 3 }), fire('scribe', 5)];
    // The admin puts them back to observer after the mentor moved them on: the scribe fire before it does not count.
    const p = progressOf(fires, [{ stage: 'observer', at: day(6) }]);
    expect(p).toMatchObject({ stage: 'observer', fires: 0, since: { at: day(6), by: 'admin' } });
  });

  it('lead shadow is the last stage: nothing is missing and a confirmation changes nothing', () => {
    const p = progressOf([fire('lead_shadow', 5, { decision: 'ready', decidedOn: 6 })], [{ stage: 'lead_shadow', at: day(1) }]);
    expect(p).toMatchObject({ stage: 'lead_shadow', next: null, missing: [] });
    expect(readyToConfirm(p)).toBe(false);
  });
});

describe('stageInputOf', () => {
  it('maps stored rows: a fire with no stage recorded is an observer fire, reflections by incident, admin settings only', () => {
    const input = stageInputOf({
      fires: [
        { incidentId: 1, stage: null, joinedAt: day(1) },
        { incidentId: 2, stage: 'observer', joinedAt: day(4) },
      ],
      reflectedIncidentIds: new Set([1, 2]),
      decisions: [{ incidentId: 2, decision: 'ready', decidedAt: day(5), note: null }],
      changes: [
        { by: 'mentor', toStage: 'scribe', at: day(5) },
        { by: 'admin', toStage: 'investigator', at: day(8) },
      ],
    });
    expect(input.fires).toEqual([
      { incidentId: 1, stage: 'observer', joinedAt: day(1), reflected: true, decision: null },
      { incidentId: 2, stage: 'observer', joinedAt: day(4), reflected: true, decision: { value: 'ready', at: day(5), note: null } },
    ]);
    expect(input.settings).toEqual([{ stage: 'investigator', at: day(8) }]);
    expect(progressOf(input.fires, input.settings).stage).toBe('investigator');
    expect(progressOf(input.fires, []).stage).toBe('scribe');
  });

  it('knows the stage names', () => {
    expect(STAGES.filter(isStage)).toEqual(['observer', 'scribe', 'investigator', 'lead_shadow']);
    expect(isStage('lead shadow')).toBe(false);
  });
});
