import type { Pool } from 'pg';
import type { Config } from './config';
import type { CreatorRule } from './domain/incident-creators';
import type { WatchedUsergroups } from './domain/usergroups';
import type { PrismaClient } from './generated/prisma/client';
import type { JobQueue } from './jobs/queue';
import type { Logger } from './log';
import type { Metrics } from './metrics';
import type { SlackGateway } from './slack/gateway';

/** What flows and handlers need, built once by the composition root (main.ts). */
export interface Deps {
  config: Readonly<Config>;
  db: PrismaClient;
  pool: Pool;
  /** connections kept for storing incoming events (db/client.ts, connectionBudget) */
  ingestPool: Pool;
  slack: SlackGateway;
  jobs: JobQueue;
  /** the queue of stored Slack events (jobs/event-queue.ts): wake it after storing one */
  events: { wake(): void };
  log: Logger;
  metrics: Metrics;
  /** the app's own Slack user id (auth.test) */
  botUserId: string;
  teamId: string | null;
  /** auth.test `enterprise_id` on Enterprise Grid (who is external depends on it); absent or null elsewhere */
  enterpriseId?: string | null;
  /** ELIGIBLE_USERGROUPS and ADMIN_USERGROUPS resolved to user group ids at start; absent: none named */
  usergroups?: WatchedUsergroups;
  clock: () => Date;
  /** INCIDENT_CREATORS with its user group handles resolved at start; absent or null: anyone */
  incidentCreators?: CreatorRule | null;
}
