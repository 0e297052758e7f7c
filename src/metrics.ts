import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricSources {
  /** the deployment role (ROLE), as the label of smokejumper_role_info */
  role?: string;
  /** read at each scrape, so the gauge is right on every replica */
  openIncidents?: () => Promise<number>;
}

/** Prometheus metrics served at GET /metrics on METRICS_PORT. One registry per app instance, so tests do not share counters. */
export function createMetrics(sources: MetricSources = {}) {
  const registry = new Registry();
  // prom-client's own names already start with process_ or nodejs_.
  collectDefaultMetrics({ register: registry, prefix: 'smokejumper_' });
  const roleInfo = new Gauge({ name: 'smokejumper_role_info', help: 'always 1; the label says which role (ROLE) this process runs', labelNames: ['role'], registers: [registry] });
  roleInfo.set({ role: sources.role ?? 'all' }, 1);
  return {
    registry,
    eventsHandled: new Counter({ name: 'smokejumper_events_handled_total', help: 'Slack events processed, by type and outcome', labelNames: ['type', 'outcome'], registers: [registry] }),
    eventsReceived: new Counter({ name: 'smokejumper_events_received_total', help: 'Slack event deliveries received, by whether they were new or a duplicate', labelNames: ['delivery'], registers: [registry] }),
    invites: new Counter({ name: 'smokejumper_invites_total', help: 'conversations.invite outcomes per learner', labelNames: ['outcome'], registers: [registry] }),
    prompts: new Counter({ name: 'smokejumper_prompts_total', help: 'guided prompts sent (the welcome DM, the schedule\'s first entry, included), by outcome', labelNames: ['outcome'], registers: [registry] }),
    digests: new Counter({ name: 'smokejumper_digests_total', help: 'weekly digests, by outcome', labelNames: ['outcome'], registers: [registry] }),
    slackErrors: new Counter({ name: 'smokejumper_slack_api_errors_total', help: 'Slack Web API errors, by method and error code', labelNames: ['method', 'code'], registers: [registry] }),
    jobLag: new Histogram({ name: 'smokejumper_job_lag_seconds', help: 'time from when a job was due to when a worker started it', labelNames: ['queue'], buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300], registers: [registry] }),
    jobsFailed: new Counter({ name: 'smokejumper_jobs_failed_total', help: 'job attempts that threw, by queue', labelNames: ['queue'], registers: [registry] }),
    openIncidents: new Gauge({
      name: 'smokejumper_open_incidents',
      help: 'incidents not yet resolved (read at scrape)',
      registers: [registry],
      async collect() {
        if (!sources.openIncidents) return;
        // During a database outage /metrics must still answer: keep the last value, wait at most a second.
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), 1_000)));
        const count = await Promise.race([sources.openIncidents().catch(() => null), timeout]);
        clearTimeout(timer);
        if (count !== null) this.set(count);
      },
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
