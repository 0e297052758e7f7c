import {
  consecutiveWindows, coverage, gini, invitesOutsideWorkingTime, invitesOverCap, median, mentorLoad, slidingWindows,
  DAY_MS, WEEK_MS,
} from '../../../src/domain/fairness';
import { parseWorkingDays, parseWorkingHours } from '../../../src/domain/working-time';

const monday = new Date('2026-01-05T00:00:00Z');
const day = (n: number, hour = 12) => new Date(monday.getTime() + n * DAY_MS + hour * 3_600_000);

describe('gini', () => {
  it('is 0 when everyone joined the same number of fires', () => {
    expect(gini([1, 1, 1, 1])).toBe(0);
    expect(gini([0, 0, 0])).toBe(0);
    expect(gini([])).toBe(0);
  });

  it('is (n-1)/n when one person has all the fires', () => {
    expect(gini([0, 0, 0, 4])).toBeCloseTo(0.75, 10);
    expect(gini([4, 0, 0, 0])).toBeCloseTo(0.75, 10);
  });

  it('matches sum |xi - xj| / (2 n^2 mean) by hand', () => {
    // ordered pairs of [1,2,3,4] differ by 20 in total; 2 * 16 * 2.5 = 80
    expect(gini([3, 1, 4, 2])).toBeCloseTo(0.25, 10);
    expect(gini([0.5, 0.5, 1, 1])).toBeCloseTo(1 / 6, 10);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(median([1, Infinity, Infinity])).toBe(Infinity);
  });
});

describe('windows', () => {
  it('cuts back-to-back 4-week blocks and leaves out a last partial one', () => {
    const blocks = consecutiveWindows(monday, new Date(monday.getTime() + 9 * WEEK_MS), 4 * WEEK_MS);
    expect(blocks.map((w) => [w.start.toISOString().slice(0, 10), w.end.toISOString().slice(0, 10)])).toEqual([
      ['2026-01-05', '2026-02-02'],
      ['2026-02-02', '2026-03-02'],
    ]);
  });

  it('slides a window by its step while it fits', () => {
    expect(slidingWindows(monday, new Date(monday.getTime() + 30 * DAY_MS), 28 * DAY_MS, DAY_MS)).toHaveLength(3);
  });
});

describe('coverage', () => {
  // 8 weeks: block 1 is Jan 5 to Feb 2, block 2 is Feb 2 to Mar 2
  const blocks = consecutiveWindows(monday, new Date(monday.getTime() + 8 * WEEK_MS), 4 * WEEK_MS);

  it('counts a person only for the blocks they were employed and opted in for the whole of', () => {
    const people = [
      { employedFrom: day(-400), optedOutFrom: null, fires: [day(5), day(46)] }, // A: both blocks, covered
      { employedFrom: day(-400), optedOutFrom: null, fires: [day(1), day(25)] }, // B: nothing in block 2
      { employedFrom: day(14), optedOutFrom: null, fires: [day(29)] }, //           C: hired mid block 1, counts for block 2 only
      { employedFrom: day(-400), optedOutFrom: day(36), fires: [day(2)] }, //        D: opted out in block 2, counts for block 1 only
      { employedFrom: day(35), optedOutFrom: null, fires: [] }, //                   E: hired in block 2, counts for none
    ];
    expect(coverage(people, blocks)).toEqual({ share: 0.75, measured: 4, covered: 3 });
  });

  it('puts a fire at the very start of a block in that block, not the one before', () => {
    const atBoundary = { employedFrom: day(-400), optedOutFrom: null, fires: [blocks[1]!.start] };
    expect(coverage([atBoundary], blocks)).toEqual({ share: 0, measured: 1, covered: 0 });
    expect(coverage([atBoundary], [blocks[1]!])).toEqual({ share: 1, measured: 1, covered: 1 });
  });

  it('has no share when nobody could be measured', () => {
    expect(coverage([], blocks)).toEqual({ share: null, measured: 0, covered: 0 });
  });
});

describe('invitesOverCap', () => {
  it('counts each invite that finds the cap already reached in the 7 days before it, both ends included', () => {
    expect(invitesOverCap([day(0), day(1), day(2)], 2)).toBe(1);
    expect(invitesOverCap([day(2), day(0), day(1), day(3)], 2)).toBe(2);
    expect(invitesOverCap([day(0), day(1), day(7)], 2)).toBe(1); // exactly 7 days after the first: still in the window
    expect(invitesOverCap([day(0), day(1), new Date(day(7).getTime() + 60_000)], 2)).toBe(0);
    expect(invitesOverCap([day(0), day(8), day(16)], 1)).toBe(0);
    expect(invitesOverCap([day(0), day(1)], 0)).toBe(2);
    expect(invitesOverCap([], 2)).toBe(0);
  });
});

describe('invitesOutsideWorkingTime', () => {
  it('checks each invite in the invitee\'s own zone, on their own weekday', () => {
    const working = { hours: parseWorkingHours('09:00-18:00'), days: parseWorkingDays('Mon-Fri') };
    const wednesday = new Date('2026-11-25T09:00:00Z'); // 10:00 Berlin, 01:00 Los Angeles
    const fridayNight = new Date('2026-11-27T21:30:00Z'); // Saturday 10:30 in Auckland, Friday 13:30 in Los Angeles
    expect(invitesOutsideWorkingTime([
      { at: wednesday, timeZone: 'Europe/Berlin' },
      { at: wednesday, timeZone: 'America/Los_Angeles' },
      { at: fridayNight, timeZone: 'Pacific/Auckland' },
      { at: fridayNight, timeZone: 'America/Los_Angeles' },
    ], working)).toBe(2);
  });
});

describe('mentorLoad', () => {
  it('gives the median of each mentor\'s incidents per week and the busiest single week', () => {
    const assignments = [{ mentorId: 'A', week: 0 }, { mentorId: 'A', week: 0 }, { mentorId: 'A', week: 1 }, { mentorId: 'B', week: 0 }];
    expect(mentorLoad(assignments, 2)).toEqual({ median: 1, max: 2 });
    expect(mentorLoad([], 2)).toEqual({ median: null, max: 0 });
  });
});
