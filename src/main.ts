import 'dotenv/config';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { App } from '@slack/bolt';
import { ConfigError, loadConfig, type Config } from './config';
import { connectDatabase, connectionBudget } from './db/client';
import { imDirectory } from './db/im-channels';
import { migrate } from './db/migrator';
import { StoredEventAnnouncer } from './db/events';
import { recordTeamUsergroups } from './db/usergroups';
import type { Deps } from './deps';
import { HealthProbe } from './health';
import { jobDefinitions } from './jobs';
import { JobQueue } from './jobs/queue';
import { ROSTER_SYNC_JOB } from './jobs/roster-sync';
import { CHANNEL_SWEEP_JOB } from './jobs/channel-sweep';
import { WEEKLY_DIGEST_JOB } from './jobs/weekly-digest';
import { EventQueue } from './jobs/event-queue';
import { processStoredEvent } from './flows/event-flow';
import { resolveIncidentCreators } from './flows/creators-flow';
import { resolveWatchedUsergroups } from './flows/usergroups-flow';
import { createLogger, type Logger } from './log';
import { createMetrics } from './metrics';
import { startOpsServer } from './ops-server';
import { guardUnhandledRejections } from './process-guard';
import { createBoltApp, createEffectClient, createReadClient, healthRoute, wireApp } from './listeners/app';
import { reportRoutes } from './listeners/report-routes';
import { SlackGateway } from './slack/gateway';
import { settleAfterAck } from './listeners/after-ack';

export interface Running {
  deps: Deps;
  /** base URL of the Slack-facing HTTP server, e.g. http://127.0.0.1:3000; a worker's operations port, which has /healthz too */
  url: string;
  /** base URL of the operations port (METRICS_PORT): /metrics and /healthz */
  metricsUrl: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: () => Date;
  /** how often the event queue looks for due rows unprompted (default 1 s); tests turn it far out to show NOTIFY wakes it */
  eventPollMs?: number;
}

/**
 * Composition root: config -> db -> slack client -> jobs -> Bolt app -> HTTP. Nothing else.
 * ROLE decides the shape (SPEC.md section 8): `web` serves Slack and stores, `worker` processes, `all` both.
 */
export async function start(config: Readonly<Config>, log: Logger, options: StartOptions = {}): Promise<Running> {
  const databaseUrl = config.databaseUrl!;
  const { role } = config;
  const serves = role !== 'worker';
  const works = role !== 'web';
  const applied = await migrate(databaseUrl);
  if (applied.applied.length) log.info({ migrations: applied.applied }, 'migrations applied');

  const budget = connectionBudget(role, config.databasePoolMax);
  const database = connectDatabase(databaseUrl, config.databasePoolMax, log, budget);
  const metrics = createMetrics({ role, openIncidents: () => database.prisma.incident.count({ where: { resolvedAt: null } }) });
  const probe = new HealthProbe(database.pool, role);
  let deps: Deps | undefined;
  // The Slack-facing port: Slack's requests, /healthz, and the signed chart images of the report (PUBLIC_URL).
  const app: App | undefined = serves ? createBoltApp(config, log, [...healthRoute(probe), ...reportRoutes(() => deps)]) : undefined;
  const slack = new SlackGateway(app?.client ?? createReadClient(config, log), log, metrics, createEffectClient(config, log), imDirectory(database.prisma));
  const clock = options.clock ?? (() => new Date());
  const jobs = new JobQueue(database.pool, log, metrics, clock, works);
  const events = new EventQueue(database.pool, (eventId) => processStoredEvent(deps!, eventId), log.child({ queue: 'slack-event' }), metrics, {
    pollMs: options.eventPollMs,
    listenUrl: budget.listen > 0 ? databaseUrl : undefined,
  });
  // Stored events are announced to every LISTENing worker, off the acknowledgement's path (db/events.ts).
  const announcer = new StoredEventAnnouncer(database.pool, log);
  const wakeAfterStoring = {
    wake: () => {
      events.wake();
      announcer.announce();
    },
  };
  let ops: Awaited<ReturnType<typeof startOpsServer>> | undefined;
  let port: number | undefined;
  try {
    const me = await slack.whoAmI();
    if (!me.ok) {
      throw me.retryable
        ? new ConfigError('SLACK_API_URL', `Slack could not be reached at ${config.slack.apiUrl} to check the token (auth.test: ${me.error})`)
        : new ConfigError('SLACK_BOT_TOKEN', `Slack refused it (auth.test: ${me.error})`);
    }
    const incidentCreators = await resolveIncidentCreators(slack, log, config.incidentCreators);
    const usergroups = await resolveWatchedUsergroups(slack, log, config);
    // The reports (and `npm run report`, which asks Slack nothing) read TEAM_USERGROUPS from the database.
    await recordTeamUsergroups(database.prisma, usergroups.teams ?? []);
    deps = { config, db: database.prisma, pool: database.pool, ingestPool: database.ingestPool, slack, jobs, events: wakeAfterStoring, log, metrics, botUserId: me.value.userId, teamId: me.value.teamId, enterpriseId: me.value.enterpriseId, clock, incidentCreators, usergroups };

    await jobs.start(jobDefinitions(deps), { work: works });
    await probe.start();
    ops = await startOpsServer({ host: config.metricsHost, port: config.metricsPort, probe, metrics });
    if (app) {
      wireApp(app, deps);
      const server = (await app.start(config.port)) as Server | undefined;
      port = (server?.address?.() as AddressInfo | null)?.port ?? config.port;
    }
    log.info({ role, port, metricsPort: ops.port, mode: serves ? (config.slack.appToken ? 'socket' : 'http') : 'none', bot: me.value.userId, connections: budget }, 'smokejumper is listening');

    await jobs.send(ROSTER_SYNC_JOB, {}, { singletonKey: 'startup' });
    // Incident channels created while no process was running: their events are lost after Slack's retries.
    await jobs.send(CHANNEL_SWEEP_JOB, {}, { singletonKey: 'startup' });
    // Digests that fell due while no process was running go out now, not at the next cron tick.
    await jobs.send(WEEKLY_DIGEST_JOB, {}, { singletonKey: 'startup' });
    // Stored events left by a process that stopped are taken as their leases end.
    if (works) events.start();
  } catch (error) {
    // Nothing half-starts: whatever was opened is closed again.
    await app?.stop().catch(() => undefined);
    await ops?.close().catch(() => undefined);
    await probe.stop().catch(() => undefined);
    await events.stop().catch(() => undefined);
    await jobs.stop().catch(() => undefined);
    await database.close();
    throw error;
  }
  const running = deps;
  const opsServer = ops;
  const metricsUrl = `http://127.0.0.1:${opsServer.port}`;

  let stopped = false;
  return {
    deps: running,
    url: port === undefined ? metricsUrl : `http://127.0.0.1:${port}`,
    metricsUrl,
    async stop() {
      if (stopped) return;
      stopped = true;
      await app?.stop().catch((err: unknown) => log.warn({ err }, 'stopping the Slack app failed'));
      // Replies to commands and buttons already acknowledged still need the database.
      await settleAfterAck();
      await announcer.settle();
      await events.stop();
      await jobs.stop();
      await opsServer.close();
      await probe.stop();
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
  // From the first moment: a rejection during start-up is treated as any other.
  guardUnhandledRejections(log);
  // The signals are taken from the start: a SIGTERM while start-up finishes (the HTTP port already
  // answers) is kept and acted on once start() returns, rather than killing the process mid-way.
  let running: Running | undefined;
  let stopAsked: string | null = null;
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    if (!running) {
      stopAsked = signal;
      return;
    }
    running.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
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
  if (stopAsked) shutdown(stopAsked);
}

if (require.main === module) void main();
