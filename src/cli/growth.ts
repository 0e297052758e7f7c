import { config as loadDotenv } from 'dotenv';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config';
import { connectDatabase } from '../db/client';
import { migrate } from '../db/migrator';
import { growthCsv, growthMarkdown } from '../domain/growth-record';
import { AppError } from '../errors';
import { growthRecordOf } from '../flows/growth-flow';
import { projectRoot } from '../paths';
import { CommandLineError, commandLineMessage, parseCommandLine, type CommandLine } from './args';
import { runAsCommand } from './run';

export const GROWTH_USAGE = [
  'usage: npm run growth -- --user UID [--format md|csv]',
  '  --user UID       the person (a Slack user ID like U012AB3CD)',
  '  --format F       md (default): the record as Markdown; csv: one row per fire, reflection, reply, mentor answer and stage change',
].join('\n');

export class GrowthArgumentError extends AppError {
  constructor(message: string) {
    super('invalid_arguments', message);
  }
}

export interface GrowthArgs {
  help: boolean;
  user: string;
  format: 'md' | 'csv';
}

const GROWTH_OPTIONS = {
  user: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `--user U0ABC --format csv`; `--user=…` too. Anything else is refused. */
export function parseGrowthArgs(argv: readonly string[]): GrowthArgs {
  let line: CommandLine;
  try {
    line = parseCommandLine(argv, GROWTH_OPTIONS, { once: ['user', 'format'] });
  } catch (error) {
    if (!(error instanceof CommandLineError)) throw error;
    throw new GrowthArgumentError(commandLineMessage(error));
  }
  if (line.values.help) return { help: true, user: '', format: 'md' };
  const user = line.values.user as string | undefined;
  const format = (line.values.format as string | undefined) ?? 'md';
  if (user === undefined) throw new GrowthArgumentError('--user UID is required');
  if (!/^[UW][A-Z0-9]{2,}$/.test(user)) throw new GrowthArgumentError(`--user: "${user}" is not a Slack user ID (like U012AB3CD)`);
  if (format !== 'md' && format !== 'csv') throw new GrowthArgumentError(`--format: "${format}" is not one of md, csv`);
  return { help: false, user, format };
}

/** `npm run growth` (SPEC.md "Growth"). Bad arguments, configuration or an unknown person: one line and exit 2. */
export async function main(argv: readonly string[]): Promise<number> {
  loadDotenv({ path: path.join(projectRoot(), '.env') });
  let args: GrowthArgs;
  let databaseUrl: string;
  try {
    args = parseGrowthArgs(argv);
    if (args.help) {
      process.stdout.write(`${GROWTH_USAGE}\n`);
      return 0;
    }
    const config = loadConfig(process.env, 'cli');
    if (!config.databaseUrl) throw new ConfigError('DATABASE_URL', 'is required (a postgresql:// connection string)');
    databaseUrl = config.databaseUrl;
  } catch (error) {
    if (error instanceof GrowthArgumentError || error instanceof ConfigError) {
      process.stderr.write(`growth: ${error.message}\n${error instanceof GrowthArgumentError ? `${GROWTH_USAGE}\n` : ''}`);
      return 2;
    }
    throw error;
  }
  await migrate(databaseUrl);
  const database = connectDatabase(databaseUrl, 2);
  try {
    const record = await growthRecordOf(database.prisma, args.user);
    if (!record) {
      process.stderr.write(`growth: nobody with the Slack ID ${args.user} is known to Smokejumper\n`);
      return 2;
    }
    process.stdout.write(args.format === 'csv' ? growthCsv(record) : growthMarkdown(record));
    return 0;
  } finally {
    await database.close();
  }
}

if (require.main === module) runAsCommand('growth', () => main(process.argv.slice(2)));
