import { isAway } from '../../../src/domain/availability';

const now = new Date('2026-12-04T10:00:00Z');
const seconds = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

describe('isAway', () => {
  it.each([
    [{ text: 'On vacation 🌴', emoji: ':palm_tree:' }],
    [{ text: 'OOO until Monday' }],
    [{ text: 'Out of office' }],
    [{ text: 'Sick today' }],
    [{ text: 'Parental leave' }],
    [{ text: '', emoji: ':face_with_thermometer:' }],
    [{ text: 'Holidays', expiration: seconds('2026-12-10T00:00:00Z') }],
  ])('is away with %p', (status) => {
    expect(isAway(status, now)).toBe(true);
  });

  it.each([
    [null],
    [{}],
    [{ text: 'In a meeting', emoji: ':calendar:' }],
    [{ text: 'Focusing on the leaderboard' }], // "leave" is a word of its own, not part of another
    [{ text: 'On vacation', expiration: seconds('2026-12-01T00:00:00Z') }], // expired
  ])('is not away with %p', (status) => {
    expect(isAway(status, now)).toBe(false);
  });

  it('takes a custom pattern', () => {
    expect(isAway({ text: 'Urlaub' }, now, /urlaub/i)).toBe(true);
    expect(isAway({ text: 'On vacation' }, now, /urlaub/i)).toBe(false);
  });
});
