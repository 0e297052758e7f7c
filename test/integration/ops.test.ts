import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { person, startHarness, waitUntil, type Harness } from '../helpers/harness';
import { TcpProxy } from '../helpers/tcp-proxy';

/**
 * GET /healthz and GET /metrics (SPEC.md section 8): /metrics only on the operations port
 * (METRICS_PORT), /healthz there and on the Slack-facing port.
 * The database outage is a TCP proxy between the app and PostgreSQL that can be cut and restored,
 * which works the same on a real server and on the embedded one.
 */
const team = [person('U0CREATOR', 'Casey'), person('U0JUNIOR1', 'Jo'), person('U0JUNIOR2', 'Kim'), person('U0JUNIOR3', 'Ari'), person('U0SENIOR1', 'Sam')];

describe('operations endpoints', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let h: Harness;

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = TcpProxy.forUrl(database.url);
    await proxy.start();
    h = await startHarness({ users: team, database: { ...database, url: proxy.rewrite(database.url) } });
    await h.app.deps.db.engineer.update({ where: { slackId: 'U0SENIOR1' }, data: { level: 'senior' } });
  });

  afterAll(async () => {
    proxy?.restore();
    await h?.stop();
    await proxy?.stop();
    await database?.drop();
  });

  const get = (path: string) => fetch(`${path === '/metrics' ? h.app.metricsUrl : h.app.url}${path}`);

  /**
   * The job workers stop before the line is cut: these tests are about /healthz, which depends on
   * the pool alone; test/faults covers jobs in an outage.
   */
  async function stopJobWorkers(): Promise<void> {
    await h.app.deps.jobs.stop();
  }

  it('GET /healthz answers 200 while the database is reachable, with the role, on both ports', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'up', role: 'all' });
    const ops = await fetch(`${h.app.metricsUrl}/healthz`);
    expect(await ops.json()).toEqual({ status: 'ok', database: 'up', role: 'all' });
  });

  it('serves /metrics only on the operations port: the port Slack posts to does not have it', async () => {
    const slackPort = await fetch(`${h.app.url}/metrics`);
    await slackPort.text();
    expect(slackPort.status).toBe(404);
    const ops = await fetch(`${h.app.metricsUrl}/metrics`);
    expect(ops.status).toBe(200);
    expect(await ops.text()).toMatch(/^smokejumper_role_info\{role="all"\} 1$/m);
    expect(new URL(h.app.metricsUrl).port).not.toBe(new URL(h.app.url).port);
  });

  it('GET /metrics counts events, invites, job lag and Slack errors by method and code after an incident', async () => {
    h.emulator.addFault({ method: 'conversations.invite', error: 'user_is_restricted', when: (args) => args.users === 'U0JUNIOR1' });
    const channel = h.emulator.addChannel({ name: 'inc-metrics', creator: 'U0CREATOR' });
    await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name: channel.name, created: Math.floor(Date.now() / 1000), creator: 'U0CREATOR' } });
    await h.emulator.waitFor((calls) => calls.filter((c) => c.method === 'conversations.invite').length >= 2);
    await waitUntil(async () => (await h.app.deps.db.slackEvent.count({ where: { processedAt: { not: null } } })) === 1, 'the event to be processed');
    // Kim is in (Jo could not be invited); the welcome DM, the schedule's first entry, goes out at once (PROMPT_SCHEDULE starts at 0s).
    await waitUntil(async () => (await h.app.deps.db.delivery.count({ where: { kind: 'welcome-dm', status: 'sent' } })) === 1, 'the welcome DM to Kim');

    const res = await get('/metrics');
    const body = await res.text();

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(body).toMatch(/^smokejumper_events_received_total\{delivery="new"\} 1$/m);
    expect(body).toMatch(/^smokejumper_events_handled_total\{type="channel_created",outcome="ok"\} 1$/m);
    expect(body).toMatch(/^smokejumper_invites_total\{outcome="invited"\} 1$/m);
    expect(body).toMatch(/^smokejumper_invites_total\{outcome="user_is_restricted"\} 1$/m);
    expect(body).toMatch(/^smokejumper_slack_api_errors_total\{method="conversations.invite",code="user_is_restricted"\} 1$/m);
    expect(body).toMatch(/^smokejumper_job_lag_seconds_count\{queue="slack-event"\} [1-9]\d*$/m);
    expect(body).toMatch(/^smokejumper_prompts_total\{outcome="sent"\} 1$/m);
    // Declared from the start, so that dashboards and alerts find it before the first Monday.
    expect(body).toContain('# TYPE smokejumper_digests_total counter');
    expect(body).toMatch(/^smokejumper_\w*resident_memory_bytes \d+$/m);
    expect(body).toMatch(/^smokejumper_open_incidents 1$/m);
  });

  it('GET /healthz answers 503 while the database is unreachable, and 200 again once it is back', async () => {
    await stopJobWorkers();
    proxy.cut('reset');
    // /healthz answers from a background probe at most 5 s old, so the 503 comes with the next probe.
    await waitUntil(async () => (await get('/healthz')).status === 503, 'healthz to say 503', 10_000);
    const down = await get('/healthz');
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'unavailable', database: 'down', role: 'all' });
    // Metrics come from memory and keep being served during the outage.
    expect((await get('/metrics')).status).toBe(200);

    proxy.restore();
    await waitUntil(async () => (await get('/healthz')).status === 200, 'healthz to recover', 10_000);
  });

  it('GET /healthz says 503 when the database hangs instead of refusing, and answers every request at once meanwhile', async () => {
    proxy.cut('blackhole');
    // The probe gives up after 2 s and its result is at most 5 s old: a hung database shows as 503 within that.
    await waitUntil(async () => (await get('/healthz')).status === 503, 'healthz to say 503', 10_000);
    // Requests do not wait for the hung database: each is answered from the probe's last result.
    const during = await Promise.all(Array.from({ length: 20 }, () => get('/healthz').then((r) => r.status)));
    proxy.restore();

    expect(during).toEqual(Array(20).fill(503));
    await waitUntil(async () => (await get('/healthz')).status === 200, 'healthz to recover', 10_000);
  });
});
