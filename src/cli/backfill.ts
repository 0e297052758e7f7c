import { config as loadDotenv } from 'dotenv';
import path from 'node:path';
import pino from 'pino';
import { ConfigError, loadConfig, type Config } from '../config';
import { connectDatabase } from '../db/client';
import { migrate } from '../db/migrator';
import { parseSince } from '../domain/backfill';
import { progressBar, progressSteps, summaryText } from '../domain/backfill-text';
import { AppError } from '../errors';
import { runBackfill } from '../flows/backfill-flow';
import { createReadClient } from '../listeners/app';
import { createLogger } from '../log';
import { projectRoot } from '../paths';
import { SlackGateway } from '../slack/gateway';
import { Pacer } from '../slack/pacer';
import { CommandLineError, commandLineMessage, parseCommandLine, type CommandLine } from './args';
import { runAsCommand } from './run';

export const BACKFILL_USAGE = [
  'usage: npm run backfill -- [--since 365d] [--dry-run]',
  '  --since N[d|w|m]  how far back to look (days, weeks, months of 30 days; default 365d)',
  '  --dry-run         read Slack and print the summary; write nothing',
].join('\n');

export class BackfillArgumentError extends AppError {
  constructor(message: string) {
    super('invalid_arguments', message);
  }
}

export interface BackfillArgs {
  help: boolean;
  sinceMs: number;
  dryRun: boolean;
}

const BACKFILL_OPTIONS = {
  since: { type: 'string' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const DEFAULT_SINCE = '365d';

/** `--since 90d --dry-run`; `--since=…` too. Anything else is refused with one line. */
export function parseBackfillArgs(argv: readonly string[]): BackfillArgs {
  let line: CommandLine;
  try {
    line = parseCommandLine(argv, BACKFILL_OPTIONS, { once: ['since'] });
  } catch (error) {
    if (!(error instanceof CommandLineError)) throw error;
    throw new BackfillArgumentError(commandLineMessage(error));
  }
  const dryRun = line.values['dry-run'] === true;
  if (line.values.help) return { help: true, sinceMs: 0, dryRun };
  const since = (line.values.since as string | undefined) ?? DEFAULT_SINCE;
  const sinceMs = parseSince(since);
  if (sinceMs === null) throw new BackfillArgumentError(`--since: "${since}" is not a period like 365d, 52w or 12m (at most 3650 days)`);
  return { help: false, sinceMs, dryRun };
}

/** A bar redrawn in place on a terminal; one line per 10% anywhere else (a log, a pipe). */
function progressWriter(): (done: number, total: number) => void {
  const tty = process.stderr.isTTY === true;
  return (done, total) => {
    if (tty) process.stderr.write(`\r${progressBar(done, total)}${done === total ? '\n' : ''}`);
    else for (const line of progressSteps(done, total)) process.stderr.write(`${line}\n`);
  };
}

/** `npm run backfill` (SPEC.md sections 1 and 3). Bad arguments or configuration: one line and exit 2. */
export async function main(argv: readonly string[]): Promise<number> {
  loadDotenv({ path: path.join(projectRoot(), '.env') });
  let args: BackfillArgs;
  let config: Readonly<Config>;
  try {
    args = parseBackfillArgs(argv);
    if (args.help) {
      process.stdout.write(`${BACKFILL_USAGE}\n`);
      return 0;
    }
    config = loadConfig(process.env, 'cli');
    if (!config.databaseUrl) throw new ConfigError('DATABASE_URL', 'is required (a postgresql:// connection string)');
    if (!config.slack.botToken.startsWith('xoxb-')) throw new ConfigError('SLACK_BOT_TOKEN', 'is required, as an xoxb- bot token');
  } catch (error) {
    if (error instanceof BackfillArgumentError) {
      process.stderr.write(`backfill: ${error.message}\n${BACKFILL_USAGE}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`backfill: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  // stdout carries the summary; progress and log lines go to stderr.
  const log = createLogger(config.logLevel, pino.destination(2));
  await migrate(config.databaseUrl);
  const database = connectDatabase(config.databaseUrl, 2, log);
  const client = createReadClient(config, log);
  const slack = new SlackGateway(client, log).paceBy(new Pacer(config.backfillTimeScale));
  try {
    const me = await slack.whoAmI();
    if (!me.ok) {
      process.stderr.write(`backfill: Slack did not accept the bot token (auth.test: ${me.error})\n`);
      return me.retryable ? 1 : 2;
    }
    const deps = { config, db: database.prisma, slack, log, clock: () => new Date(), teamId: me.value.teamId || null, enterpriseId: me.value.enterpriseId ?? null, botUserId: me.value.userId };
    const since = new Date(deps.clock().getTime() - args.sinceMs);
    const summary = await runBackfill(deps, { since, dryRun: args.dryRun, onProgress: progressWriter() });
    process.stdout.write(summaryText(summary));
    // Skipped channels are named in the summary; the run itself did what it could (exit 0).
    return 0;
  } finally {
    await database.close();
  }
}

if (require.main === module) runAsCommand('backfill', () => main(process.argv.slice(2)));
