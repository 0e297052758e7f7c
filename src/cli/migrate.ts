import 'dotenv/config';
import { ConfigError, loadConfig } from '../config';
import { migrate } from '../db/migrator';
import { CommandLineError, parseCommandLine } from './args';

const USAGE = 'usage: npm run db:migrate   (no arguments: applies pending migrations)';

/** npm run db:migrate: applies pending migrations and exits. */
async function main(argv: string[]): Promise<void> {
  try {
    parseCommandLine(argv, {});
  } catch (error) {
    if (!(error instanceof CommandLineError)) throw error;
    process.stderr.write(`db:migrate: unknown argument "${error.raw}"\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const config = loadConfig(process.env, 'cli');
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL', 'is required (a postgresql:// connection string)');
  const result = await migrate(config.databaseUrl);
  process.stdout.write(
    result.applied.length
      ? `applied ${result.applied.length} migration(s): ${result.applied.join(', ')}\n`
      : `database is up to date (${result.alreadyApplied} migration(s) applied earlier)\n`,
  );
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`db:migrate: ${error.message}\n`);
  process.exit(error instanceof ConfigError ? 78 : 1);
});
