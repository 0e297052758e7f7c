import { composeDigestGrowth } from '../../../src/domain/digest-growth';

const at = (iso: string) => new Date(iso);
const week = { from: at('2026-11-16T00:00:00Z'), to: at('2026-11-23T00:00:00Z') };
const now = at('2026-11-23T09:00:00Z');
const ref = { incidentId: 1, channelId: 'C1', channelName: 'inc-one' };

describe('composeDigestGrowth', () => {
  it('is null for someone never on the growth path', () => {
    expect(composeDigestGrowth({ fires: [], decisions: [], changes: [], replies: [] }, week, now)).toBeNull();
  });

  it("shows the stage, a stage reached in the week and only the week's replies, oldest first", () => {
    const growth = composeDigestGrowth(
      {
        fires: [
          { incidentId: 1, stage: 'observer', joinedAt: at('2026-11-10T10:00:00Z'), reflected: true },
          { incidentId: 2, stage: null, joinedAt: at('2026-11-17T10:00:00Z'), reflected: true },
          { incidentId: 3, stage: 'scribe', joinedAt: at('2026-11-24T10:00:00Z'), reflected: false }, // after now: not counted
        ],
        decisions: [{ incidentId: 2, decision: 'ready', decidedAt: at('2026-11-18T09:00:00Z'), note: null }],
        changes: [{ by: 'mentor', toStage: 'scribe', at: at('2026-11-18T09:00:00Z') }],
        replies: [
          { ...ref, by: 'U0M', text: 'later', at: at('2026-11-20T09:00:00Z') },
          { ...ref, by: 'U0M', text: 'earlier', at: at('2026-11-17T09:00:00Z') },
          { ...ref, by: 'U0M', text: 'last week', at: at('2026-11-12T09:00:00Z') },
        ],
      },
      week,
      now,
    );
    expect(growth).toMatchObject({ reached: 'scribe', progress: { stage: 'scribe', fires: 0 } });
    expect(growth!.replies.map((r) => r.text)).toEqual(['earlier', 'later']);
  });

  it('has no stage reached when the change was in another week', () => {
    const growth = composeDigestGrowth({ fires: [], decisions: [], changes: [{ by: 'admin', toStage: 'investigator', at: at('2026-11-02T09:00:00Z') }], replies: [] }, week, now);
    expect(growth).toMatchObject({ reached: null, progress: { stage: 'investigator', since: { by: 'admin' } } });
  });
});
