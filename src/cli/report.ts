import { config as loadDotenv } from 'dotenv';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config';
import { connectDatabase } from '../db/client';
import { migrate } from '../db/migrator';
import { DEFAULT_REPORT_WEEKS } from '../domain/report';
import { reportCsv, reportMarkdown } from '../domain/report-text';
import { buildReport } from '../flows/report-flow';
import { projectRoot } from '../paths';
import { runAsCommand } from './run';
import { AppError } from '../errors';

export const REPORT_USAGE = [
  'usage: npm run report -- [--weeks 13] [--team T] [--format md|csv|json] [--out FILE]',
  '  --weeks N        the last N weeks, 1 to 52 (default 13)',
  '  --team T         only the people the roster puts in team T',
  '  --format F       md (default): the figures as Markdown; csv: one row per person and week; json: the figures as one object',
  '  --out FILE       write to FILE instead of standard output',
].join('\n');

export class ReportArgumentError extends AppError {
  constructor(message: string) {
    super('invalid_arguments', message);
  }
}

export type ReportFormat = 'md' | 'csv' | 'json';
export interface ReportArgs {
  help: boolean;
  weeks: number;
  team?: string;
  format: ReportFormat;
  out?: string;
}

/** `--weeks 13 --team Payments --format csv --out x.csv`; `--flag=value` too. Anything else is refused. */
export function parseReportArgs(argv: readonly string[]): ReportArgs {
  const args: ReportArgs = { help: false, weeks: DEFAULT_REPORT_WEEKS, format: 'md' };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.startsWith('--') && argv[i]!.includes('=') ? (argv[i]!.split(/=(.*)/s, 2) as [string, string]) : [argv[i]!, undefined];
    if (flag === '--help' || flag === '-h') return { ...args, help: true };
    if (!['--weeks', '--team', '--format', '--out'].includes(flag)) throw new ReportArgumentError(`unknown argument "${argv[i]}"`);
    if (seen.has(flag)) throw new ReportArgumentError(`${flag} is given twice`);
    seen.add(flag);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '' || value.startsWith('--')) throw new ReportArgumentError(`${flag} needs a value`);
    if (flag === '--weeks') {
      if (!/^\d{1,2}$/.test(value) || Number(value) < 1 || Number(value) > 52) throw new ReportArgumentError(`--weeks: "${value}" is not a whole number from 1 to 52`);
      args.weeks = Number(value);
    } else if (flag === '--format') {
      if (value !== 'md' && value !== 'csv' && value !== 'json') throw new ReportArgumentError(`--format: "${value}" is not one of md, csv, json`);
      args.format = value;
    } else if (flag === '--team') args.team = value;
    else args.out = value;
  }
  return args;
}

/** `npm run report` (SPEC.md section 11). Bad arguments or configuration: one line and exit 2. */
export async function main(argv: readonly string[]): Promise<number> {
  loadDotenv({ path: path.join(projectRoot(), '.env') });
  let args: ReportArgs;
  let databaseUrl: string;
  try {
    args = parseReportArgs(argv);
    if (args.help) {
      process.stdout.write(`${REPORT_USAGE}\n`);
      return 0;
    }
    const config = loadConfig(process.env, 'cli');
    if (!config.databaseUrl) throw new ConfigError('DATABASE_URL', 'is required (a postgresql:// connection string)');
    databaseUrl = config.databaseUrl;
  } catch (error) {
    if (error instanceof ReportArgumentError || error instanceof ConfigError) {
      process.stderr.write(`report: ${error.message}\n${error instanceof ReportArgumentError ? `${REPORT_USAGE}\n` : ''}`);
      return 2;
    }
    throw error;
  }
  await migrate(databaseUrl);
  const database = connectDatabase(databaseUrl, 2);
  try {
    const { report, rows } = await buildReport({ db: database.prisma, clock: () => new Date() }, { weeks: args.weeks, ...(args.team !== undefined ? { team: args.team } : {}) });
    const text = args.format === 'csv' ? reportCsv(rows) : args.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : reportMarkdown(report);
    if (args.out) {
      writeFileSync(args.out, text);
      process.stderr.write(`report: wrote ${args.out} (${report.all.people} people, ${args.weeks} weeks)\n`);
    } else process.stdout.write(text);
    return 0;
  } finally {
    await database.close();
  }
}

if (require.main === module) runAsCommand('report', () => main(process.argv.slice(2)));
