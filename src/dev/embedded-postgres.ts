/**
 * An embedded PostgreSQL for `npm run demo` and for `npm test` on a machine without a server:
 * PGlite (PostgreSQL compiled to WebAssembly, in this process) served over a local TCP socket,
 * so that `pg`, Prisma and pg-boss connect to it like to any PostgreSQL.
 *
 * Limits worth knowing (see /work/shared/TOOLCHAIN.md):
 * - every connection shares one backend, so queries run one at a time, and while one connection
 *   is inside a transaction the others wait; code that awaits another connection from inside a
 *   transaction deadlocks here (it would only be slow on a real server);
 * - the database name in a connection string is ignored: there is one database per instance;
 * - a fresh instance runs initdb (2-5 s), so the initialised data directory is kept as a template
 *   in the OS temp folder and each instance starts from a copy of it (well under a second);
 * - PGlite loads parts of itself with dynamic import(), which jest's module sandbox refuses, so
 *   tests run it in a child process (spawnEmbeddedPostgres); the demo runs it in its own process.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

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
  /** concurrent client connections the socket server accepts (default 20) */
  maxConnections?: number;
  /** where the initialised template is kept (default: <os tmpdir>/smokejumper-pglite) */
  templateDir?: string;
}

/** Bumped with the PGlite version: a data directory from another version would not load. */
const PGLITE_VERSION = '0.5.14';

function templatePath(dir: string): string {
  return path.join(dir, `template-pglite-${PGLITE_VERSION}.tar`);
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

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const db = await freshPglite(options.templateDir ?? path.join(os.tmpdir(), 'smokejumper-pglite'));
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: options.port ?? 0, maxConnections: options.maxConnections ?? 20 });
  try {
    await server.start();
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  const port = Number(server.getServerConn().split(':').pop());
  let stopped: Promise<void> | undefined;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop() {
      stopped ??= (async () => {
        await server.stop().catch(() => undefined);
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
  const stop = () => void server.stop().then(() => process.exit(0));
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
