/**
 * An embedded PostgreSQL for `npm run demo` and for `npm test` on a machine without a server:
 * PGlite (PostgreSQL compiled to WebAssembly, in this process) served over a local TCP socket,
 * so that `pg`, Prisma and pg-boss connect to it like to any PostgreSQL.
 *
 * Limits worth knowing (see docs/toolchain.md):
 * - every connection shares one backend, so queries run one at a time, and while one connection
 *   is inside a transaction the others wait; code that awaits another connection from inside a
 *   transaction deadlocks here (it would only be slow on a real server);
 * - the database name in a connection string is ignored: there is one database per instance;
 * - a fresh instance runs initdb (2-5 s), so the initialised data directory is kept as a template
 *   in the OS temp folder and each instance starts from a copy of it (well under a second);
 * - PGlite loads parts of itself with dynamic import(), which jest's module sandbox refuses, so
 *   tests run it in a child process (spawnEmbeddedPostgres); the demo runs it in its own process.
 *
 * The connections are served by pglite-socket's per-connection handler, but scheduled by
 * BackendScheduler below rather than by pglite-socket's own queue, which hands the backend to
 * another connection between any two protocol messages: with the extended protocol (Parse, Bind,
 * Execute, Sync, as pg sends every parameterised query) two connections then overwrite each
 * other's unnamed statement ("bind message supplies 3 parameters, but prepared statement ""
 * requires 4").
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** postgresql://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** stops the socket server and frees the database; safe to call twice */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** default 0: any free port */
  port?: number;
  /** concurrent client connections accepted (default 20); more are refused */
  maxConnections?: number;
  /** where the initialised template is kept (default: <os tmpdir>/smokejumper-pglite) */
  templateDir?: string;
}

/** Named after the PGlite version: a data directory from another version would not load. */
function templatePath(dir: string): string {
  // The package exports no package.json, so it is read from beside its entry point (dist/index.cjs).
  const manifest = path.join(path.dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  return path.join(dir, `template-pglite-${version}.tar`);
}

/** A PGlite whose data directory is a copy of the cached template; builds the template the first time. */
async function freshPglite(templateDir: string): Promise<PGlite> {
  const file = templatePath(templateDir);
  if (existsSync(file)) {
    try {
      return await PGlite.create({ loadDataDir: new Blob([readFileSync(file)]) });
    } catch {
      // A damaged template (an interrupted write on an old version, a full disk): build a new one below.
    }
  }
  const db = await PGlite.create();
  try {
    const dump = await db.dumpDataDir('none');
    mkdirSync(templateDir, { recursive: true });
    // Written aside and renamed, so that two processes building it at once never read half a file.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
  } catch {
    // No writable temp folder: every start pays for initdb, nothing else changes.
  }
  return db;
}


interface Pending {
  connection: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: Error) => void;
}

const SYNC = 0x53; // 'S'

/** A simple Query message: 'Q', its length, the SQL and a terminating zero. */
function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const message = Buffer.alloc(5 + text.length);
  message[0] = 0x51;
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return new Uint8Array(message);
}
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'

/**
 * Hands PGlite's single backend to one connection at a time, at the boundaries where PostgreSQL's
 * protocol allows it: a connection keeps the backend until its batch of messages ends (Sync, a
 * simple Query, Terminate, or its startup message) and, after that, for as long as it has a
 * transaction open. The other connections' messages wait in arrival order.
 *
 * It has the shape of pglite-socket's QueryQueueManager, which PGLiteSocketHandler calls.
 */
export class BackendScheduler {
  private owner: number | null = null;
  private queue: Pending[] = [];
  private running = false;

  constructor(private readonly db: PGlite) {}

  enqueue(connection: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ connection, message, onData, resolve, reject });
      void this.pump();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(connection: number): void {
    const mine = this.queue.filter((p) => p.connection === connection);
    this.queue = this.queue.filter((p) => p.connection !== connection);
    for (const p of mine) p.reject(new Error('connection closed'));
  }

  /** A connection went away: if it held the backend, end whatever it left open and pass the backend on. */
  async clearTransactionIfNeeded(connection: number): Promise<void> {
    if (this.owner !== connection) return;
    // Raw protocol messages under the query lock: db.exec() would take that lock again and wait forever.
    await this.db.runExclusive(async () => {
      // Sync ends an unfinished extended-protocol batch (and any error state it left); then roll back.
      await this.db.execProtocolRaw(new Uint8Array([SYNC, 0, 0, 0, 4])).catch(() => undefined);
      if (this.db.isInTransaction()) await this.db.execProtocolRaw(simpleQuery('ROLLBACK')).catch(() => undefined);
    });
    this.owner = null;
    void this.pump();
  }

  private next(): Pending | undefined {
    const index = this.owner === null ? 0 : this.queue.findIndex((p) => p.connection === this.owner);
    return index < 0 ? undefined : this.queue.splice(index, 1)[0];
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        this.owner = item.connection;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item!.message, {
              onRawData: (data) => {
                bytes += data.length;
                item!.onData(data);
              },
            }),
          );
          item.resolve(bytes);
        } catch (error) {
          item.reject(error as Error);
        }
        const type = item.message[0];
        // A startup message has no type byte: it starts with its length, whose first byte is 0.
        const endsBatch = type === SYNC || type === QUERY || type === TERMINATE || type === 0;
        if (endsBatch && !this.db.isInTransaction()) this.owner = null;
      }
    } finally {
      this.running = false;
    }
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const db = await freshPglite(options.templateDir ?? path.join(os.tmpdir(), 'smokejumper-pglite'));
  const scheduler = new BackendScheduler(db);
  const maxConnections = options.maxConnections ?? 20;
  const handlers = new Set<PGLiteSocketHandler>();
  const server: Server = createServer((socket: Socket) => {
    if (handlers.size >= maxConnections) {
      socket.destroy();
      return;
    }
    const handler = new PGLiteSocketHandler({
      queryQueue: scheduler as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]['queryQueue'],
      closeOnDetach: true,
    });
    handlers.add(handler);
    socket.once('close', () => handlers.delete(handler));
    handler.attach(socket).catch(() => socket.destroy());
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  const port = (server.address() as { port: number }).port;
  let stopped: Promise<void> | undefined;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop() {
      stopped ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([...handlers].map((h) => h.detach(true).catch(() => undefined)));
        await closed;
        await db.close().catch(() => undefined);
      })();
      return stopped;
    },
  };
}

/**
 * The same server in a child process (`node --import tsx` on this file). It prints its URL as one
 * JSON line, stops on SIGTERM, and exits by itself when the parent goes away (its stdin closes),
 * so a test run that is killed leaves nothing behind.
 */
export async function spawnEmbeddedPostgres(options: { startTimeoutMs?: number } = {}): Promise<EmbeddedPostgres> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename], {
    cwd: path.resolve(__dirname, '../..'),
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, SMOKEJUMPER_EMBEDDED_POSTGRES_CHILD: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
    // Whatever the server says on stderr is a problem worth seeing (a crash, a PGlite abort).
    process.stderr.write(`embedded PostgreSQL: ${chunk.toString()}`);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<{ url: string; port: number }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      try {
        resolve(JSON.parse(line) as { url: string; port: number });
      } catch {
        reject(new Error(`embedded PostgreSQL printed ${line}`));
      }
    });
    void exited.then((code) => reject(new Error(`embedded PostgreSQL exited (${code}) before it was ready: ${stderr.trim()}`)));
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`embedded PostgreSQL did not start within ${options.startTimeoutMs ?? 60_000} ms`)), options.startTimeoutMs ?? 60_000);
  });
  try {
    const { url, port } = await Promise.race([ready, timeout]);
    let stopped: Promise<void> | undefined;
    return {
      url,
      port,
      stop() {
        stopped ??= (async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(force);
        })();
        return stopped;
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function serveFromChildProcess(): Promise<void> {
  const server = await startEmbeddedPostgres();
  const stop = () => {
    // A client stuck inside a transaction can hold the close up; the parent is gone or asked, so go anyway.
    setTimeout(() => process.exit(0), 3_000).unref();
    void server.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
  process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port })}\n`);
}

if (require.main === module && process.env.SMOKEJUMPER_EMBEDDED_POSTGRES_CHILD === '1') {
  serveFromChildProcess().catch((error: unknown) => {
    process.stderr.write(`embedded PostgreSQL failed to start: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
