import 'dotenv/config';
import { ConfigError, loadConfig } from '../config';
import { migrate } from '../db/migrator';

/** npm run db:migrate: applies pending migrations and exits. */
async function main(): Promise<void> {
  const config = loadConfig(process.env, 'cli');
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL', 'is required (a postgresql:// connection string)');
  const result = await migrate(config.databaseUrl);
  process.stdout.write(
    result.applied.length
      ? `applied ${result.applied.length} migration(s): ${result.applied.join(', ')}\n`
      : `database is up to date (${result.alreadyApplied} migration(s) applied earlier)\n`,
  );
}

main().catch((error: Error) => {
  process.stderr.write(`db:migrate: ${error.message}\n`);
  process.exit(error instanceof ConfigError ? 78 : 1);
});
