import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { POOL_MAX, responders, startOrganisation, waitFor, type Organisation } from './org';
import { mib, ms, type BenchOptions, type BenchResult } from './result';
import { ratio, round, summarize } from './stats';
import { EffectWatcher } from './watch';

/**
 * `burst`: 200 incident channels created within one second, with 10,000 engineers and 50,000 past
 * participations (SPEC.md section 9). Nothing may be lost or doubled: every incident gets its
 * invites, intro and welcome DMs exactly once, counted at the Slack emulator and in the ledger.
 * The app's connections to its database (pg_stat_activity, every 20 ms) must never exceed
 * DATABASE_POOL_MAX, and its peak resident memory (the child process's VmRSS, and VmHWM) is
 * reported against its idle memory before the burst. No one may be auto-invited beyond
 * MAX_AUTO_INVITES_PER_WEEK (2) because the incidents came at once (SPEC.md sections 4 and 10). Like Slack, the sender delivers an event
 * again (with X-Slack-Retry-Num) when it is not acknowledged with a 200.
 */
const INCIDENTS = 200;
const LEARNERS = 2;
const SAMPLE_EVERY_MS = 20;
const SLACK_RETRIES = 3;

interface Sampler {
  peakConnections: number;
  peakRss: number;
  samples: number;
  stop(): Promise<void>;
}

/** Samples the app's connections and resident memory every SAMPLE_EVERY_MS until stopped. */
async function startSampler(org: Organisation): Promise<Sampler> {
  const client = new Client({ connectionString: org.database.url, application_name: 'smokejumper-bench-sampler' });
  await client.connect();
  const state = { peakConnections: 0, peakRss: 0, samples: 0, running: true };
  const loop = (async () => {
    while (state.running) {
      const started = Date.now();
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name NOT LIKE 'smokejumper-bench%'`,
      );
      state.peakConnections = Math.max(state.peakConnections, rows[0]!.n);
      state.peakRss = Math.max(state.peakRss, org.app.memory().rss);
      state.samples++;
      await new Promise((r) => setTimeout(r, Math.max(0, SAMPLE_EVERY_MS - (Date.now() - started))));
    }
  })();
  return {
    get peakConnections() { return state.peakConnections; },
    get peakRss() { return state.peakRss; },
    get samples() { return state.samples; },
    async stop() {
      state.running = false;
      await loop;
      await client.end();
    },
  };
}

export async function benchBurst(options: BenchOptions): Promise<BenchResult> {
  const engineers = options.quick ? 2_000 : 10_000;
  const participations = options.quick ? 10_000 : 50_000;
  const incidents = options.samples ?? INCIDENTS;
  const org = await startOrganisation('burst', { engineers, participations });
  const watcher = new EffectWatcher(org.emulator, LEARNERS);
  let sampler: Sampler | undefined;
  try {
    const makers = responders(org.people, 50).map((p) => p.slackId);
    const channels = Array.from({ length: incidents }, (_, i) =>
      org.emulator.addChannel({ name: `inc-burst-${i}`, creator: makers[i % makers.length]!, members: [makers[(i + 7) % makers.length]!] }),
    );
    // Idle memory after start-up and the roster sync, then the peak is measured from here.
    await new Promise((r) => setTimeout(r, 1_000));
    const idle = org.app.memory();
    const peakReset = org.app.resetPeakMemory();
    sampler = await startSampler(org);

    let retries = 0;
    const acks: number[] = [];
    const sentAt = new Map<string, number>();
    const deliver = async (channel: (typeof channels)[number]): Promise<void> => {
      const envelope = org.sender.envelope({ type: 'channel_created', channel: { id: channel.id, name: channel.name, created: Math.floor(org.now().getTime() / 1000), creator: channel.creator } });
      for (let attempt = 0; ; attempt++) {
        const res = await org.sender.deliver(envelope, attempt > 0 ? { retryNum: attempt, retryReason: 'http_error' } : {}).catch((error: Error) => ({ status: 0, body: error.message, ms: 0 }));
        if (attempt === 0) acks.push(res.ms);
        if (res.status === 200) return;
        if (attempt >= SLACK_RETRIES) throw new Error(`channel_created for ${channel.id} was never acknowledged (last: ${res.status} ${res.body.slice(0, 100)})`);
        retries++;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    };
    const t0 = performance.now();
    const spread = 1_000 / incidents;
    const sends = channels.map(
      (channel, i) => new Promise<void>((resolve, reject) => {
        setTimeout(() => {
          sentAt.set(channel.id, performance.now());
          deliver(channel).then(resolve, reject);
        }, i * spread);
      }),
    );
    await Promise.all(sends);
    const sentWithin = Math.max(...sentAt.values()) - t0;
    const completions = await Promise.all(channels.map((c) => watcher.whenComplete(c.id, 300_000)));
    const allDone = Math.max(...completions) - t0;
    const latencies = channels.map((c, i) => completions[i]! - sentAt.get(c.id)!);
    // Let the tail (the prompts and mentor DMs due now, the event jobs) finish before counting.
    await waitFor(async () => {
      const { rows } = await org.pool.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM slack_events WHERE processed_at IS NULL) + (SELECT count(*) FROM deliveries WHERE status IN ('pending', 'sending') AND (due_at IS NULL OR due_at <= $1)) AS n`,
        [org.now()],
      );
      return Number(rows[0]!.n) === 0;
    }, 'the app to finish its work', 300_000);
    await sampler.stop();
    const peakHwm = org.app.memory().peak;

    const ids = channels.map((c) => c.id);
    const ledger = (await org.pool.query<{ kind: string; status: string; n: number }>(
      `SELECT d.kind, d.status::text AS status, count(*)::int AS n FROM deliveries d JOIN incidents i ON i.id = d.incident_id
       WHERE i.channel_id = ANY($1) AND d.kind IN ('invite', 'intro', 'welcome-dm') GROUP BY 1, 2 ORDER BY 1, 2`,
      [ids],
    )).rows;
    const recorded = (await org.pool.query<{ incidents: number; selected: number }>(
      'SELECT count(*)::int AS incidents, count(selected_at)::int AS selected FROM incidents WHERE channel_id = ANY($1)',
      [ids],
    )).rows[0]!;
    const overCap = (await org.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT engineer_id FROM participations WHERE source = 'auto_invite' AND invited_at >= $1
       GROUP BY engineer_id HAVING count(*) > 2) x`,
      [new Date(org.now().getTime() - 7 * 86_400_000)],
    )).rows[0]!.n;

    const atEmulator = { invites: 0, intros: 0, welcomes: 0 };
    const incomplete: string[] = [];
    for (const id of ids) {
      const e = watcher.channels.get(id);
      if (!e || !watcher.isComplete(e)) incomplete.push(id);
      if (!e) continue;
      atEmulator.invites += [...e.invites.values()].reduce((a, b) => a + b, 0);
      atEmulator.intros += e.intros;
      atEmulator.welcomes += [...e.welcomes.values()].reduce((a, b) => a + b, 0);
    }
    const doubled = watcher.doubled();
    const sentInLedger = (kind: string) => ledger.filter((r) => r.kind === kind && r.status === 'sent').reduce((a, r) => a + r.n, 0);
    const ledgerOk = sentInLedger('invite') === atEmulator.invites && sentInLedger('intro') === atEmulator.intros && sentInLedger('welcome-dm') === atEmulator.welcomes
      && ledger.every((r) => r.status === 'sent');
    const expected = { invites: incidents * LEARNERS, intros: incidents, welcomes: incidents * LEARNERS };
    const nothingLost = incomplete.length === 0 && recorded.incidents === incidents && recorded.selected === incidents
      && atEmulator.invites === expected.invites && atEmulator.intros === expected.intros && atEmulator.welcomes === expected.welcomes;
    const passed = nothingLost && doubled.length === 0 && ledgerOk && sampler.peakConnections <= POOL_MAX && overCap === 0;
    const latency = summarize(latencies);
    const peakRss = Math.max(sampler.peakRss, peakReset ? peakHwm : 0);

    return {
      name: 'burst',
      target: `nothing lost or doubled, none over the weekly cap; connections <= ${POOL_MAX}`,
      passed,
      figures: {
        engineers,
        participations: org.history.participations,
        incidents,
        sent_within_ms: round(sentWithin),
        slack_retries: retries,
        ack_ms: Object.fromEntries(Object.entries(summarize(acks)).map(([k, v]) => [k, round(v)])),
        all_done_ms: round(allDone),
        incidents_per_second: round(incidents / (allDone / 1000)),
        latency_ms: Object.fromEntries(Object.entries(latency).map(([k, v]) => [k, round(v)])),
        expected,
        at_emulator: atEmulator,
        ledger,
        incidents_recorded: recorded,
        incomplete,
        doubled,
        over_weekly_cap: overCap,
        peak_connections: sampler.peakConnections,
        database_pool_max: POOL_MAX,
        connection_samples: sampler.samples,
        idle_rss_mib: round(idle.rss / 1024 / 1024),
        peak_rss_mib: round(peakRss / 1024 / 1024),
        peak_rss_sampled_mib: round(sampler.peakRss / 1024 / 1024),
        peak_rss_vmhwm_mib: peakReset ? round(peakHwm / 1024 / 1024) : null,
        ratio_peak_to_idle_rss: ratio(peakRss, idle.rss),
      },
      rows: [
        { what: `${incidents} channels in ${ms(sentWithin)}: effects at Slack`, value: `${atEmulator.invites} inv. / ${atEmulator.intros} intros / ${atEmulator.welcomes} DMs`, baseline: `${expected.invites} / ${expected.intros} / ${expected.welcomes} expected` },
        { what: 'doubled / lost / ledger agrees', value: `${doubled.length} / ${incomplete.length} / ${ledgerOk ? 'yes' : 'NO'}`, baseline: `${retries} Slack retries` },
        { what: 'peak connections (every 20 ms)', value: String(sampler.peakConnections), baseline: `DATABASE_POOL_MAX ${POOL_MAX}`, ratio: ratio(sampler.peakConnections, POOL_MAX) },
        { what: 'peak RSS of the app', value: mib(peakRss), baseline: `${mib(idle.rss)} idle`, ratio: ratio(peakRss, idle.rss) },
        { what: 'all done / per incident p50, p95', value: `${ms(allDone)} / ${ms(latency.p50)}, ${ms(latency.p95)}`, baseline: `${round(incidents / (allDone / 1000))} incidents/s` },
        { what: 'learners over the weekly cap', value: String(overCap), baseline: 'MAX_AUTO_INVITES_PER_WEEK 2' },
      ],
      notes: [
        ...(doubled.length ? [`doubled: ${JSON.stringify(doubled.slice(0, 5))}`] : []),
        ...(incomplete.length ? [`incomplete: ${incomplete.slice(0, 10).join(', ')}`] : []),
      ],
    };
  } finally {
    watcher.close();
    await sampler?.stop().catch(() => undefined);
    await org.stop();
  }
}
