import { parseReportArgs, ReportArgumentError } from '../../../src/cli/report';

describe('npm run report arguments', () => {
  it('defaults to 13 weeks of Markdown on standard output, and takes --flag value and --flag=value', () => {
    expect(parseReportArgs([])).toEqual({ help: false, weeks: 13, format: 'md' });
    expect(parseReportArgs(['--weeks', '8', '--team=Site Reliability', '--format', 'csv', '--out', 'x.csv'])).toEqual({ help: false, weeks: 8, team: 'Site Reliability', format: 'csv', out: 'x.csv' });
    expect(parseReportArgs(['--help']).help).toBe(true);
  });

  it.each([
    [['--weeks', '0'], '--weeks: "0" is not a whole number from 1 to 52'],
    [['--weeks', '53'], '--weeks: "53" is not a whole number from 1 to 52'],
    [['--format', 'xlsx'], '--format: "xlsx" is not one of md, csv, json'],
    [['--team'], '--team needs a value'],
    [['--out', '--format'], '--out needs a value'],
    [['--weeks', '4', '--weeks', '5'], '--weeks is given twice'],
    [['--since', '2026-01-01'], 'unknown argument "--since"'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseReportArgs(argv)).toThrow(new ReportArgumentError(message));
  });
});
