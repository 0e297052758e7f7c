import { config as loadDotenv } from 'dotenv';
import path from 'node:path';
import pino from 'pino';
import { ConfigError, loadConfig, type Config } from '../config';
import { connectDatabase } from '../db/client';
import { imDirectory } from '../db/im-channels';
import { migrate } from '../db/migrator';
import { parseWeekStart, WeekError } from '../domain/iso-week';
import { AppError } from '../errors';
import { CommandLineError, commandLineMessage, parseCommandLine, type CommandLine } from './args';
import { runDigestWeek, type DigestWeekReport } from '../flows/digest-flow';
import { resolveWatchedUsergroups } from '../flows/usergroups-flow';
import { createLogger } from '../log';
import { projectRoot } from '../paths';
import { createEffectClient, createReadClient } from '../listeners/app';
import { SlackGateway } from '../slack/gateway';
import { digestText } from '../slack/views/digest-message';
import { runAsCommand } from './run';

export const DIGEST_USAGE = [
  'usage: npm run digest -- --week YYYY-MM-DD [--dry-run] [--user UID]',
  '  --week YYYY-MM-DD  the Monday that starts the ISO week (the current week gives the week so far)',
  '  --dry-run          print the digests as text; send nothing and record nothing',
  '  --user UID         only this person (a Slack user ID like U012AB3CD)',
].join('\n');

export class DigestArgumentError extends AppError {
  constructor(message: string) {
    super('invalid_arguments', message);
  }
}

export interface DigestArgs {
  help: boolean;
  week: string;
  dryRun: boolean;
  user?: string;
}

const DIGEST_OPTIONS = {
  week: { type: 'string' },
  user: { type: 'string' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `--week 2026-11-16 --dry-run --user U0ABC`; `--week=…` and `--user=…` too. Anything else is refused. */
export function parseDigestArgs(argv: readonly string[]): DigestArgs {
  let line: CommandLine;
  try {
    line = parseCommandLine(argv, DIGEST_OPTIONS, { once: ['week', 'user'] });
  } catch (error) {
    if (!(error instanceof CommandLineError)) throw error;
    throw new DigestArgumentError(commandLineMessage(error));
  }
  if (line.values.help) return { help: true, week: '', dryRun: false };
  const week = line.values.week as string | undefined;
  const user = line.values.user as string | undefined;
  const dryRun = line.values['dry-run'] === true;
  for (const [flag, value] of [['--week', week], ['--user', user]] as const) {
    if (value === '') throw new DigestArgumentError(`${flag} needs a value`);
  }
  if (user !== undefined && !/^[UW][A-Z0-9]{2,}$/.test(user)) throw new DigestArgumentError(`--user: "${user}" is not a Slack user ID (like U012AB3CD)`);
  if (week === undefined) throw new DigestArgumentError('--week YYYY-MM-DD is required');
  try {
    return { help: false, week: parseWeekStart(week), dryRun, ...(user ? { user } : {}) };
  } catch (error) {
    if (error instanceof WeekError) throw new DigestArgumentError(`--week: ${error.message}`);
    throw error;
  }
}

function report(result: DigestWeekReport, args: DigestArgs): number {
  for (const note of result.notes) process.stderr.write(`digest: ${note}\n`);
  if (!result.tally) {
    for (const { person, weekStart, summary } of result.digests) {
      process.stdout.write(`=== ${person.name} (${person.slackId}) · week of ${weekStart} · ${summary.person.timeZone} ===\n${digestText(summary)}\n\n`);
    }
    process.stdout.write(`dry run: ${result.digests.length} digest(s) for the week of ${args.week}; nothing sent\n`);
    return 0;
  }
  const { sent, taken, retry, failed } = result.tally;
  process.stdout.write(`week of ${args.week}: sent ${sent}, already sent ${taken}, to retry ${retry}, failed ${failed}\n`);
  return retry + failed > 0 ? 1 : 0;
}

/** `npm run digest` (SPEC.md section 1). Bad arguments or configuration: one line and exit 2. */
export async function main(argv: readonly string[]): Promise<number> {
  loadDotenv({ path: path.join(projectRoot(), '.env') });
  let args: DigestArgs;
  let config: Readonly<Config>;
  try {
    args = parseDigestArgs(argv);
    if (args.help) {
      process.stdout.write(`${DIGEST_USAGE}\n`);
      return 0;
    }
    config = loadConfig(process.env, 'cli');
    if (!config.databaseUrl) throw new ConfigError('DATABASE_URL', 'is required (a postgresql:// connection string)');
    if (!args.dryRun && !config.slack.botToken.startsWith('xoxb-')) {
      throw new ConfigError('SLACK_BOT_TOKEN', 'is required to send, as an xoxb- bot token (or use --dry-run to print instead)');
    }
  } catch (error) {
    if (error instanceof DigestArgumentError) {
      process.stderr.write(`digest: ${error.message}\n${DIGEST_USAGE}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`digest: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  // stdout carries the digests; log lines go to stderr.
  const log = createLogger(config.logLevel, pino.destination(2));
  await migrate(config.databaseUrl);
  const database = connectDatabase(config.databaseUrl, 2, log);
  const client = createReadClient(config, log);
  const slack = new SlackGateway(client, log, undefined, createEffectClient(config, log), imDirectory(database.prisma));
  try {
    // ELIGIBLE_USERGROUPS: the groups are named in the configuration; their members are the stored ones.
    const usergroups = await resolveWatchedUsergroups(slack, log, { eligibleUsergroups: config.eligibleUsergroups, adminUsergroups: [] });
    const deps = { config, db: database.prisma, slack, log, clock: () => new Date(), usergroups };
    return report(await runDigestWeek(deps, { weekStart: args.week, slackId: args.user, dryRun: args.dryRun }), args);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`digest: ${error.message}\n`);
      return 2;
    }
    if (error instanceof AppError && error.userMessage) {
      process.stderr.write(`digest: ${error.userMessage}\n`);
      return 2;
    }
    throw error;
  } finally {
    await database.close();
  }
}

if (require.main === module) runAsCommand('digest', () => main(process.argv.slice(2)));
