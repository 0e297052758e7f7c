import 'dotenv/config';
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig } from '../config';
import { connectDatabase } from '../db/client';
import { migrate } from '../db/migrator';
import { importRoster } from '../flows/roster-flow';
import { CommandLineError, parseCommandLine } from './args';

const USAGE = 'usage: npm run roster -- import FILE.csv   (header: user,level,started_on,mentor[,manager][,team])';

/** npm run roster -- import FILE.csv: sets levels, start dates and mentors; reports each bad row by line. */
async function main(argv: string[]): Promise<number> {
  let positionals: string[];
  try {
    ({ positionals } = parseCommandLine(argv, {}, { positionals: true }));
  } catch (error) {
    if (!(error instanceof CommandLineError)) throw error;
    positionals = [];
  }
  const [command, file, ...rest] = positionals;
  if (command !== 'import' || !file || rest.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let csv: string;
  try {
    csv = readFileSync(file, 'utf8');
  } catch (error) {
    process.stderr.write(`roster: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
    return 2;
  }
  const config = loadConfig(process.env, 'cli');
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL', 'is required (a postgresql:// connection string)');
  await migrate(config.databaseUrl);
  const database = connectDatabase(config.databaseUrl, 2);
  try {
    const report = await importRoster(database.prisma, csv, new Date());
    for (const problem of report.problems) process.stdout.write(`${file}:${problem.line}: ${problem.message}\n`);
    process.stdout.write(`imported ${report.imported} row(s), ${report.problems.length} problem(s)\n`);
    return report.problems.length > 0 ? 1 : 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  // exitCode, not exit(): exit() drops what is still buffered for a pipe (thousands of problem lines).
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`roster: ${error.message}\n`);
    process.exit(error instanceof ConfigError ? 78 : 1);
  },
);
