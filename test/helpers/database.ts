import { spawnSync } from 'node:child_process';
import { migrate } from '../../src/db/migrator';
import { spawnEmbeddedPostgres } from '../../src/dev/embedded-postgres';
import { createScratchDatabase, type ScratchDatabase } from '../../src/dev/scratch-database';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export type TestDatabase = ScratchDatabase;

// ---------------------------------------------------------------------------------------------
// Which PostgreSQL the tests use (SPEC.md section 1, `npm test`): the server at TEST_DATABASE_URL
// when it answers; otherwise, unless REQUIRE_POSTGRES=1, an embedded PGlite per test database.
// ---------------------------------------------------------------------------------------------

export type DatabaseMode = { kind: 'server' } | { kind: 'embedded'; why: string };

let mode: DatabaseMode | undefined;

/**
 * Whether something listens at TEST_DATABASE_URL's host and port. Synchronous (a short child
 * process) because jest collects tests synchronously, and a skip must be decided at collection.
 */
function serverListening(url: string): boolean {
  const u = new URL(url);
  const host = u.hostname === '' || u.hostname === 'localhost' ? '127.0.0.1' : u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port || 5432);
  const probe = `const s=require('node:net').connect(${port},${JSON.stringify(host)});s.setTimeout(1500);s.on('connect',()=>process.exit(0));s.on('timeout',()=>process.exit(1));s.on('error',()=>process.exit(1));`;
  const result = spawnSync(process.execPath, ['-e', probe], { timeout: 3_000, stdio: 'ignore' });
  return result.status === 0;
}

export function databaseMode(): DatabaseMode {
  if (mode) return mode;
  const where = new URL(TEST_DATABASE_URL).host || '127.0.0.1:5432';
  if (serverListening(TEST_DATABASE_URL)) {
    mode = { kind: 'server' };
  } else if (process.env.REQUIRE_POSTGRES === '1') {
    throw new Error(`REQUIRE_POSTGRES=1, but no PostgreSQL answers at ${where} (TEST_DATABASE_URL). Start it, or unset REQUIRE_POSTGRES to use the embedded PGlite.`);
  } else {
    mode = { kind: 'embedded', why: `no PostgreSQL answers at ${where} (TEST_DATABASE_URL)` };
  }
  return mode;
}

/**
 * For tests that need a real server, e.g. several processes on one database, which the embedded
 * PGlite (in this process) cannot give. Returns `describe`, or `describe.skip` with the reason
 * printed. With REQUIRE_POSTGRES=1 a missing server is an error, never a skip.
 *
 *   requiresRealPostgres('two replicas share one database')('replicas', () => { ... });
 */
export function requiresRealPostgres(why: string): jest.Describe {
  return needsServer(why) ? describe : describe.skip;
}

/**
 * The same for one test, e.g. one that holds a lock on its own connection while the app works:
 * on the embedded PGlite every connection shares one backend, so that test would wait forever.
 *
 *   itRequiresRealPostgres('it holds a row lock while the app queries')('acks at once', async () => { ... });
 */
export function itRequiresRealPostgres(why: string): jest.It {
  return needsServer(why) ? it : it.skip;
}

function needsServer(why: string): boolean {
  const current = databaseMode();
  if (current.kind === 'server') return true;
  process.stderr.write(`skipped (${expect.getState().testPath ?? 'this file'}): needs a real PostgreSQL server because ${why}; ${current.why}\n`);
  return false;
}

/** A fresh, migrated database for one test file, so files can run in parallel. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  if (databaseMode().kind === 'embedded') {
    // One PGlite per test database (it has a single database, so separate instances keep files apart),
    // in a child process, because PGlite cannot load inside jest's module sandbox.
    const embedded = await spawnEmbeddedPostgres();
    if (options.migrate !== false) await migrate(embedded.url).catch(async (error: unknown) => {
      await embedded.stop();
      throw error;
    });
    return { url: embedded.url, name: `sj_test_embedded_${process.pid}`, drop: () => embedded.stop() };
  }
  const scratch = await createScratchDatabase(TEST_DATABASE_URL, 'sj_test');
  if (options.migrate !== false) await migrate(scratch.url);
  return scratch;
}
