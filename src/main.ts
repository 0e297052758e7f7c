import 'dotenv/config';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ConfigError, loadConfig, type Config } from './config';
import { connectDatabase } from './db/client';
import { imDirectory } from './db/im-channels';
import { migrate } from './db/migrator';
import type { Deps } from './deps';
import { jobDefinitions } from './jobs';
import { JobQueue } from './jobs/queue';
import { ROSTER_SYNC_JOB } from './jobs/roster-sync';
import { CHANNEL_SWEEP_JOB } from './jobs/channel-sweep';
import { WEEKLY_DIGEST_JOB } from './jobs/weekly-digest';
import { EventQueue } from './jobs/event-queue';
import { processStoredEvent } from './flows/event-flow';
import { resolveIncidentCreators } from './flows/creators-flow';
import { createLogger, type Logger } from './log';
import { createMetrics } from './metrics';
import { createBoltApp, createEffectClient, operationalRoutes, wireApp } from './slack/app';
import { reportRoutes } from './slack/report-routes';
import { SlackGateway } from './slack/gateway';
import { settleAfterAck } from './slack/after-ack';

export interface Running {
  deps: Deps;
  /** base URL of the HTTP server, e.g. http://127.0.0.1:3000 */
  url: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: () => Date;
  /** run the job workers in this process (default true) */
  work?: boolean;
}

/** Composition root: config -> db -> slack client -> jobs -> Bolt app -> HTTP. Nothing else. */
export async function start(config: Readonly<Config>, log: Logger, options: StartOptions = {}): Promise<Running> {
  const databaseUrl = config.databaseUrl!;
  const applied = await migrate(databaseUrl);
  if (applied.applied.length) log.info({ migrations: applied.applied }, 'migrations applied');

  const database = connectDatabase(databaseUrl, config.databasePoolMax, log);
  const metrics = createMetrics({ openIncidents: () => database.prisma.incident.count({ where: { resolvedAt: null } }) });
  let deps: Deps | undefined;
  const app = createBoltApp(config, log, [...operationalRoutes(() => deps), ...reportRoutes(() => deps)]);
  const slack = new SlackGateway(app.client, log, metrics, createEffectClient(config, log), imDirectory(database.prisma));
  const clock = options.clock ?? (() => new Date());
  const jobs = new JobQueue(database.pool, log, metrics, clock);
  const events = new EventQueue(database.pool, (eventId) => processStoredEvent(deps!, eventId), log.child({ queue: 'slack-event' }), metrics);
  let port: number;
  try {
    const me = await slack.whoAmI();
    if (!me.ok) {
      throw me.retryable
        ? new ConfigError('SLACK_API_URL', `Slack could not be reached at ${config.slack.apiUrl} to check the token (auth.test: ${me.error})`)
        : new ConfigError('SLACK_BOT_TOKEN', `Slack refused it (auth.test: ${me.error})`);
    }
    const incidentCreators = await resolveIncidentCreators(slack, log, config.incidentCreators);
    deps = { config, db: database.prisma, pool: database.pool, slack, jobs, events, log, metrics, botUserId: me.value.userId, teamId: me.value.teamId, clock, incidentCreators };

    await jobs.start(jobDefinitions(deps), { work: options.work ?? true });
    wireApp(app, deps);
    const server = (await app.start(config.port)) as Server | undefined;
    port = (server?.address?.() as AddressInfo | null)?.port ?? config.port;
    log.info({ port, mode: config.slack.appToken ? 'socket' : 'http', bot: me.value.userId }, 'smokejumper is listening');

    await jobs.send(ROSTER_SYNC_JOB, {}, { singletonKey: 'startup' });
    // Incident channels created while no process was running: their events are lost after Slack's retries.
    await jobs.send(CHANNEL_SWEEP_JOB, {}, { singletonKey: 'startup' });
    // Digests that fell due while no process was running go out now, not at the next cron tick.
    await jobs.send(WEEKLY_DIGEST_JOB, {}, { singletonKey: 'startup' });
    // Stored events left by a process that stopped are taken as their leases end.
    if (options.work ?? true) events.start();
  } catch (error) {
    // Nothing half-starts: whatever was opened is closed again.
    await app.stop().catch(() => undefined);
    await events.stop().catch(() => undefined);
    await jobs.stop().catch(() => undefined);
    await database.close();
    throw error;
  }
  const running = deps;

  let stopped = false;
  return {
    deps: running,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.stop().catch((err: unknown) => log.warn({ err }, 'stopping the Slack app failed'));
      // Replies to commands and buttons already acknowledged still need the database.
      await settleAfterAck();
      await events.stop();
      await jobs.stop();
      await database.close();
    },
  };
}

async function main(): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfig(process.env, 'start');
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`smokejumper: configuration error: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  let running: Running;
  try {
    running = await start(config, log);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`smokejumper: configuration error: ${error.message}\n`);
      process.exit(78);
    }
    log.fatal({ err: error }, 'start-up failed');
    process.exit(1);
  }
  // pg-boss 10 completes jobs without awaiting the promise; if the database drops at that moment the
  // rejection is unhandled, and Node would end the process in the middle of an outage it should ride out.
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection (kept running)'));
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    running.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) void main();
