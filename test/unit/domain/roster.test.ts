import { parseRoster, splitCsvLine } from '../../../src/domain/roster';

const today = new Date('2026-11-28T00:00:00Z');

describe('parseRoster', () => {
  it('imports good rows and reports each bad one with its line number (header is line 1)', () => {
    const csv = [
      'user,level,started_on,mentor',
      'U012AB3CD,senior,2020-01-15,yes',
      'ana@example.com,junior,,no',
      'not-a-user,junior,2024-01-01,no',
      'U0BADLEVEL,principal,2024-01-01,no',
      'U0BADDATE,mid,2024-02-30,no',
      '',
      'U0BADMENT,mid,2024-02-01,maybe',
      'U0TOOFEW,mid',
      'U012AB3CD,junior,2021-01-01,no',
      '"U0QUOTED",Staff,2019-05-05,YES',
    ].join('\n');
    const { rows, problems } = parseRoster(csv, today);
    expect(rows).toEqual([
      { line: 2, user: { slackId: 'U012AB3CD' }, level: 'senior', startedOn: new Date('2020-01-15T00:00:00Z'), isMentor: true },
      { line: 3, user: { email: 'ana@example.com' }, level: 'junior', startedOn: null, isMentor: false },
      { line: 11, user: { slackId: 'U0QUOTED' }, level: 'staff', startedOn: new Date('2019-05-05T00:00:00Z'), isMentor: true },
    ]);
    expect(problems).toEqual([
      { line: 4, message: '"not-a-user" is neither a Slack user ID (like U012AB3CD) nor an email address' },
      { line: 5, message: 'level "principal" is not one of junior, mid, senior, staff' },
      { line: 6, message: 'started_on "2024-02-30" is not a date like 2024-03-01' },
      { line: 8, message: 'mentor "maybe" must be yes or no' },
      { line: 9, message: 'expected 4 values (user,level,started_on,mentor), found 2' },
      { line: 10, message: '"U012AB3CD" already appears on line 2' },
    ]);
  });

  it('refuses a file whose header is wrong, as line 1', () => {
    expect(parseRoster('id,level\nU1,junior', today)).toEqual({ rows: [], problems: [{ line: 1, message: 'the header must be "user,level,started_on,mentor", optionally followed by manager and team' }] });
    expect(parseRoster('user,level,started_on,mentor,boss\nU1,junior,,no,U2', today).problems).toEqual([{ line: 1, message: 'the header must be "user,level,started_on,mentor", optionally followed by manager and team' }]);
    expect(parseRoster('user,level,started_on,mentor,team,team\n', today).problems).toHaveLength(1);
  });

  it('reads the optional manager and team columns, in either order, and reports a bad manager by line', () => {
    const csv = [
      'user,level,started_on,mentor,team,manager',
      'U0JUNIOR1,junior,2026-10-01,no,Payments,U0MANAGER',
      'U0JUNIOR2,junior,,no,,Boss@Example.com',
      'U0JUNIOR3,junior,,no,Search,not a person',
      'U0JUNIOR4,junior,,no,Search',
    ].join('\n');
    const { rows, problems } = parseRoster(csv, today);
    expect(rows.map((r) => [r.line, r.manager, r.team])).toEqual([[2, 'U0MANAGER', 'Payments'], [3, 'boss@example.com', null]]);
    expect(problems).toEqual([
      { line: 4, message: 'manager "not a person" is neither a Slack user ID (like U012AB3CD) nor an email address' },
      { line: 5, message: 'expected 6 values (user,level,started_on,mentor,team,manager), found 5' },
    ]);
    // Without the columns, nothing is said about manager or team, so an import leaves them as they were.
    expect(parseRoster('user,level,started_on,mentor\nU0A,mid,,no', today).rows[0]).not.toHaveProperty('manager');
  });

  it('accepts Windows line endings and a byte-order mark', () => {
    const { rows, problems } = parseRoster('\uFEFFuser,level,started_on,mentor\r\nU0AAA,mid,2023-03-01,no\r\n', today);
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(1);
  });

  it('splits quoted cells and reports an unclosed quote', () => {
    expect(splitCsvLine('"a,b",c,"d ""e"""')).toEqual(['a,b', 'c', 'd "e"']);
    expect(splitCsvLine('"open,b')).toBeNull();
    expect(parseRoster('user,level,started_on,mentor\n"U0X,junior,,no', today).problems).toEqual([{ line: 2, message: 'a quoted value is not closed' }]);
  });
});
