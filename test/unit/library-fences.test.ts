/**
 * Fences around the three library internals the code relies on (README, "Fenced internals").
 * Each test is named after the library's installed version and, when the internal moves in an
 * upgrade, fails with a message that says which file relies on what, so the upgrade stops here
 * rather than in production.
 */
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import path from 'node:path';
import { PGLiteSocketHandler, PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { SocketModeReceiver } from '@slack/bolt';
import type { Pool } from 'pg';
import { BackendScheduler } from '../../src/dev/embedded-postgres';
import { JobQueue } from '../../src/jobs/queue';
import { createLogger } from '../../src/log';

/** The installed package's folder and version (some packages do not export their package.json). */
function installed(name: string): { dir: string; version: string } {
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version: string };
      if (pkg.name === name) return { dir, version: pkg.version };
    }
    if (path.dirname(dir) === dir) throw new Error(`no package.json for ${name}`);
    dir = path.dirname(dir);
  }
}

/** One fence: its test name carries the version, and its failure says who depends on the internal. */
function fence(name: string, reliedOnBy: string, internal: string, check: (lib: { dir: string; version: string }) => unknown): void {
  const lib = installed(name);
  it(`${name} ${lib.version}: ${internal}`, async () => {
    try {
      await check(lib);
    } catch (error) {
      throw new Error(`${name} ${lib.version} moved an internal that ${reliedOnBy} relies on (${internal}); update it with the upgrade.\n${(error as Error).message}`);
    }
  });
}

const silent = createLogger('silent');

describe('pg-boss: src/jobs/queue.ts', () => {
  const SCHEMA = 'pgboss';
  const plansModule = () => require('pg-boss/src/plans') as Record<string, unknown>;

  fence('pg-boss', 'src/jobs/queue.ts', "require('pg-boss/src/plans') has completeJobs and failJobsById, whose SQL marks jobs completed or failed", () => {
    const plans = plansModule();
    expect(typeof plans.completeJobs).toBe('function');
    expect(typeof plans.failJobsById).toBe('function');
    const complete = (plans.completeJobs as (s: string) => string)(SCHEMA);
    const fail = (plans.failJobsById as (s: string) => string)(SCHEMA);
    expect(complete).toContain(`UPDATE ${SCHEMA}.job`);
    expect(complete).toContain('SET completed_on = now()');
    expect(complete).toContain('SELECT COUNT(*) FROM results');
    expect(fail).toContain(`DELETE FROM ${SCHEMA}.job`);
    expect(fail).toContain('SELECT COUNT(*)');
  });

  fence('pg-boss', 'src/jobs/queue.ts', "the worker still completes and fails jobs without awaiting (manager.js work), which is why queue.ts answers those two statements itself", ({ dir }) => {
    const manager = readFileSync(path.join(dir, 'src/manager.js'), 'utf8');
    expect(manager).toMatch(/^\s+this\.complete\(name, jobIds/m);
    expect(manager).toMatch(/^\s+this\.fail\(name, jobIds, err\)/m);
  });

  fence('pg-boss', 'src/jobs/queue.ts', 'complete() and fail() send exactly those texts; when the database drops, queue.ts answers them with a count of 0 and only them', async () => {
    const sent: string[] = [];
    const pool = {
      query: async (text: string) => {
        sent.push(text);
        throw new Error('Connection terminated unexpectedly');
      },
    } as unknown as Pool;
    const queue = new JobQueue(pool, silent);
    const id = '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
    await expect(queue.boss.complete('some-queue', id)).resolves.toMatchObject({ jobs: [id], requested: 1, affected: 0 });
    await expect(queue.boss.fail('some-queue', id, new Error('boom'))).resolves.toMatchObject({ jobs: [id], requested: 1, affected: 0 });
    const plans = plansModule() as { completeJobs(s: string): string; failJobsById(s: string): string };
    expect(sent).toEqual([plans.completeJobs(SCHEMA), plans.failJobsById(SCHEMA)]);
    // Anything else still fails as usual.
    await expect(queue.boss.cancel('some-queue', id)).rejects.toThrow('Connection terminated unexpectedly');
  });
});

describe('Bolt: src/listeners/app.ts acknowledgeAfterProcessing', () => {
  fence('@slack/bolt', 'src/listeners/app.ts (acknowledgeAfterProcessing)', "SocketModeReceiver has a `client` (an event emitter: on, removeAllListeners) with exactly one 'slack_event' listener, Bolt's own", () => {
    const receiver = new SocketModeReceiver({ appToken: 'xapp-1-A0-1-fence' });
    const client = (receiver as unknown as { client?: Partial<EventEmitter> }).client;
    expect(client).toBeDefined();
    for (const method of ['on', 'removeAllListeners', 'listenerCount'] as const) expect(typeof client![method]).toBe('function');
    expect(client!.listenerCount!('slack_event')).toBe(1);
  });

  fence('@slack/socket-mode', 'src/listeners/app.ts (acknowledgeAfterProcessing)', "the client emits 'slack_event' with { ack, body, retry_num, retry_reason } for an events_api envelope", async () => {
    const receiver = new SocketModeReceiver({ appToken: 'xapp-1-A0-1-fence' });
    const client = receiver.client as unknown as EventEmitter & { onWebSocketMessage(data: string, isBinary: boolean): Promise<void> };
    client.removeAllListeners('slack_event');
    const emitted: Array<Record<string, unknown>> = [];
    client.on('slack_event', (args: Record<string, unknown>) => emitted.push(args));
    const payload = { type: 'event_callback', event: { type: 'channel_created', channel: { id: 'C0FENCE' } } };
    await client.onWebSocketMessage(JSON.stringify({ envelope_id: 'env-1', type: 'events_api', payload, accepts_response_payload: false, retry_attempt: 2, retry_reason: 'timeout' }), false);
    expect(emitted).toHaveLength(1);
    expect(typeof emitted[0]!.ack).toBe('function');
    expect(emitted[0]).toMatchObject({ body: payload, retry_num: 2, retry_reason: 'timeout' });
  });
  // That the app's listener then holds the acknowledgement: test/integration/socket-mode.test.ts.
});

describe('pglite-socket: src/dev/embedded-postgres.ts BackendScheduler', () => {
  const QUEUE_METHODS = ['enqueue', 'getQueueLength', 'clearQueueForHandler', 'clearTransactionIfNeeded'];

  fence('@electric-sql/pglite-socket', 'src/dev/embedded-postgres.ts (BackendScheduler)', "the private query queue (PGLiteSocketServer's queryQueue) has the methods BackendScheduler stands in for", () => {
    const server = new PGLiteSocketServer({ db: {} as never });
    const queue = (server as unknown as { queryQueue?: object }).queryQueue;
    expect(queue).toBeDefined();
    const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(queue));
    expect(methods).toEqual(expect.arrayContaining(QUEUE_METHODS));
    for (const method of QUEUE_METHODS) expect(typeof (BackendScheduler.prototype as unknown as Record<string, unknown>)[method]).toBe('function');
  });

  fence('@electric-sql/pglite-socket', 'src/dev/embedded-postgres.ts (BackendScheduler)', 'PGLiteSocketHandler takes the queue as `queryQueue` and calls only enqueue(id, bytes, onData), then clearQueueForHandler(id) and clearTransactionIfNeeded(id) on close', async () => {
    const calls: Array<[string, unknown[]]> = [];
    const recording = new Proxy({} as Record<string, unknown>, {
      get(_target, property) {
        if (typeof property !== 'string' || !QUEUE_METHODS.includes(property)) throw new Error(`the handler used queryQueue.${String(property)}, which BackendScheduler does not have`);
        return (...args: unknown[]) => {
          calls.push([property, args]);
          if (property === 'enqueue') {
            (args[2] as (data: Uint8Array) => void)(new Uint8Array([0x5a, 0, 0, 0, 5, 0x49])); // ReadyForQuery
            return Promise.resolve(6);
          }
          return property === 'getQueueLength' ? 0 : Promise.resolve();
        };
      },
    });
    const handler = new PGLiteSocketHandler({ queryQueue: recording as never, closeOnDetach: true });
    const server = createServer((socket: Socket) => void handler.attach(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = connect((server.address() as { port: number }).port, '127.0.0.1');
      const reply = new Promise<Buffer>((resolve) => client.once('data', resolve));
      await new Promise<void>((resolve) => client.once('connect', resolve));
      // A startup message: its length, protocol 3.0, user=postgres, and the closing zero.
      const params = Buffer.from('user\0postgres\0\0');
      const startup = Buffer.alloc(8 + params.length);
      startup.writeInt32BE(startup.length, 0);
      startup.writeInt32BE(196_608, 4);
      params.copy(startup, 8);
      client.write(startup);
      expect([...(await reply)]).toEqual([0x5a, 0, 0, 0, 5, 0x49]);
      client.end();
      await new Promise<void>((resolve) => client.once('close', () => resolve()));
      for (let i = 0; i < 50 && !calls.some(([m]) => m === 'clearTransactionIfNeeded'); i++) await new Promise((r) => setTimeout(r, 10));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    const id = handler.handlerId;
    expect(calls[0]![0]).toBe('enqueue');
    expect(calls[0]![1][0]).toBe(id);
    expect(calls[0]![1][1]).toBeInstanceOf(Uint8Array);
    expect(calls.filter(([m]) => m !== 'enqueue' && m !== 'getQueueLength')).toEqual([
      ['clearQueueForHandler', [id]],
      ['clearTransactionIfNeeded', [id]],
    ]);
  });
});
