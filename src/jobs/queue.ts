import PgBoss from 'pg-boss';
import type { Pool } from 'pg';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';

/**
 * Durable jobs in PostgreSQL (pg-boss). pg-boss runs its SQL through the app's own pool, so the
 * process never opens more than DATABASE_POOL_MAX connections in all. Any replica may run any job.
 */
export interface JobContext {
  jobId: string;
  log: Logger;
  now: () => Date;
}

export interface JobDefinition<T extends object = object> {
  name: string;
  handle(data: T, context: JobContext): Promise<void>;
  retryLimit?: number;
  retryDelaySeconds?: number;
  expireInSeconds?: number;
  /** how many jobs of this queue one process runs at once */
  concurrency?: number;
  /** cron (UTC) for jobs that run on a schedule */
  cron?: string;
}

export interface SendOptions {
  startAfter?: Date;
  singletonKey?: string;
  /** a job id derived from what the job does: a second send with the same id is ignored by pg-boss */
  id?: string;
}

const POLLING_INTERVAL_SECONDS = 0.5;
const SCHEMA = 'pgboss';
// pg-boss's SQL texts, to recognise the two statements it sends without awaiting them.
const plans = require('pg-boss/src/plans') as { completeJobs(schema: string): string; failJobsById(schema: string): string };

export class JobQueue {
  readonly boss: PgBoss;
  private readonly workerIds = new Map<string, string[]>();
  private readonly definitions = new Map<string, JobDefinition>();
  private started = false;

  constructor(
    pool: Pool,
    private readonly log: Logger,
    private readonly metrics?: Metrics,
    private readonly clock: () => Date = () => new Date(),
    /** false in a `web` process: it only sends jobs, so it runs neither pg-boss's maintenance nor its cron clock */
    maintain = true,
  ) {
    // pg-boss 10 records a finished job without awaiting the statement (manager.js, `work`): if the
    // database drops at that moment the rejection is unhandled. Those two statements are answered
    // "nothing recorded" instead; the job stays active, expires, and runs again, which the ledger
    // makes harmless. Every other statement fails as usual.
    const unawaited = new Set([plans.completeJobs(SCHEMA), plans.failJobsById(SCHEMA)]);
    const executeSql = async (text: string, values: unknown[]) => {
      try {
        return await pool.query(text, values);
      } catch (err) {
        if (!unawaited.has(text)) throw err;
        this.log.warn({ err }, 'could not record a finished job; it will run again after it expires');
        return { rows: [{ count: '0' }] };
      }
    };
    this.boss = new PgBoss({
      schema: SCHEMA,
      db: { executeSql },
      // Finished jobs are evidence for a while, then go; 7 days keeps the tables small.
      deleteAfterDays: 7,
      archiveCompletedAfterSeconds: 3_600,
      // Maintenance is what gives an expired job (its worker died) to another worker: after a crash,
      // work resumes within expireInSeconds plus this.
      maintenanceIntervalSeconds: 30,
      supervise: maintain,
      schedule: maintain,
    });
    this.boss.on('error', (err) => this.log.error({ err }, 'job queue error'));
  }

  /** Creates the queues; with `work`, this process also runs them. */
  async start(definitions: JobDefinition[], options: { work: boolean }): Promise<void> {
    await this.boss.start();
    this.started = true;
    for (const def of definitions) {
      this.definitions.set(def.name, def);
      const options = {
        name: def.name,
        retryLimit: def.retryLimit ?? 5,
        retryDelay: def.retryDelaySeconds ?? 2,
        retryBackoff: true,
        expireInSeconds: def.expireInSeconds ?? 300,
      };
      // Two replicas creating the same new queue at once can deadlock in pg-boss's create_queue
      // (PostgreSQL error 40P01): the loser simply tries again.
      for (let attempt = 1; ; attempt++) {
        try {
          await this.boss.createQueue(def.name, options);
          // createQueue leaves an existing queue as it was; a release that changes retries or expiry applies them here.
          await this.boss.updateQueue(def.name, options);
          break;
        } catch (err) {
          if ((err as { code?: string }).code !== '40P01' || attempt >= 5) throw err;
          this.log.warn({ queue: def.name, attempt }, 'creating the job queue deadlocked with another process; trying again');
        }
      }
      if (def.cron) await this.boss.schedule(def.name, def.cron, {}, { tz: 'UTC', singletonKey: def.name });
    }
    if (!options.work) return;
    for (const def of definitions) {
      const ids: string[] = [];
      for (let i = 0; i < (def.concurrency ?? 1); i++) {
        ids.push(
          await this.boss.work<object>(def.name, { pollingIntervalSeconds: POLLING_INTERVAL_SECONDS, batchSize: 1, includeMetadata: true }, async (jobs) => {
            for (const job of jobs) await this.run(def, job);
          }),
        );
      }
      this.workerIds.set(def.name, ids);
    }
  }

  private async run(def: JobDefinition, job: PgBoss.JobWithMetadata<object>): Promise<void> {
    const log = this.log.child({ job: def.name, jobId: job.id });
    const lagSeconds = Math.max(0, (Date.now() - new Date(job.startAfter).getTime()) / 1000);
    this.metrics?.jobLag.observe({ queue: def.name }, lagSeconds);
    try {
      await def.handle(job.data, { jobId: job.id, log, now: this.clock });
    } catch (err) {
      this.metrics?.jobsFailed.inc({ queue: def.name });
      log.warn({ err, retryCount: job.retryCount }, 'job failed; it will be retried');
      throw err;
    }
  }

  async send(name: string, data: object, options: SendOptions = {}): Promise<string | null> {
    if (!this.definitions.has(name)) throw new Error(`unknown job queue ${name}`);
    const id = await this.boss.send(name, data, {
      startAfter: options.startAfter,
      singletonKey: options.singletonKey,
      id: options.id,
    });
    // Polling would add up to half a second; a job due now is picked up at once by this process.
    if (!options.startAfter || options.startAfter.getTime() <= Date.now()) this.wake(name);
    return id;
  }

  /** Asks this process's workers of `name` to look for work now rather than at the next poll. */
  wake(name: string): void {
    for (const id of this.workerIds.get(name) ?? []) this.boss.notifyWorker(id);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    // graceful: running jobs finish; their connections come from the app's pool, closed after this.
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}
