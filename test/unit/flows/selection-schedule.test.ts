import { selectionDueAt } from '../../../src/flows/selection-schedule';
import { sweepSelectionWindowMs } from '../../../src/flows/sweep-flow';

describe('when learners are chosen', () => {
  const now = new Date('2026-11-25T09:00:00Z');

  it('is INVITE_DELAY after the incident opened, and never counts from a moment ahead of our clock', () => {
    expect(selectionDueAt(new Date('2026-11-25T08:59:30Z'), now, 120_000)).toEqual(new Date('2026-11-25T09:01:30Z'));
    expect(selectionDueAt(new Date('2026-11-25T09:05:00Z'), now, 120_000)).toEqual(new Date('2026-11-25T09:02:00Z'));
    expect(selectionDueAt(new Date('2026-11-25T08:00:00Z'), now, 0)).toEqual(new Date('2026-11-25T08:00:00Z'));
  });

  it('lets the channel sweep select up to INVITE_DELAY plus 30 minutes after creation', () => {
    expect(sweepSelectionWindowMs(120_000)).toBe(32 * 60_000);
    expect(sweepSelectionWindowMs(0)).toBe(30 * 60_000);
  });
});
