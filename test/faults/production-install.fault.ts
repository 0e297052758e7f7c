import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { SlackEmulator } from '../../src/dev/slack-emulator';
import { signRequest } from '../../src/dev/slack-sender';
import { createTestDatabase, requiresRealPostgres, type TestDatabase } from '../helpers/database';
import { freshSecrets } from './support';

/**
 * The production install of SPEC.md section 1, as the Docker image makes it, outside Docker: the
 * repository's files copied to a temporary folder, `npm ci`, `npm run build`,
 * `npm prune --omit=dev --omit=optional`; then what an operator runs there must work from dist/ alone.
 */
const ROOT = path.resolve(__dirname, '../..');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A clean environment: nothing of this test run (jest's, npm's or a developer's .env) reaches the install. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'npm_config_cache'];
  const env: Record<string, string> = { NPM_CONFIG_UPDATE_NOTIFIER: 'false', NPM_CONFIG_FUND: 'false', NPM_CONFIG_AUDIT: 'false' };
  for (const key of keep) if (process.env[key]) env[key] = process.env[key]!;
  // npx (and npm run) put this checkout's node_modules/.bin first: its tsx must not be found.
  env.PATH = (env.PATH ?? '/usr/bin:/bin').split(path.delimiter).filter((dir) => !dir.includes('node_modules')).join(path.delimiter);
  return { ...env, ...extra };
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = cleanEnv(), timeoutMs = 300_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (chunk: Buffer) => (out.stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out.stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ...out });
    });
  });
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(prefix, entry.name);
    return entry.isDirectory() ? filesUnder(dir, relative) : [relative];
  });
}

/** The repository's files (tracked, and new ones not ignored), as a fresh clone would have them. */
function copyRepository(to: string): number {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  const files = listed.stdout.split('\0').filter((file) => file && existsSync(path.join(ROOT, file)));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    copyFileSync(path.join(ROOT, file), path.join(to, file));
  }
  return files.length;
}

function explain(step: string, result: Run): string {
  return `${step} exited ${result.code ?? result.signal}\n--- stdout\n${result.stdout.slice(-3_000)}\n--- stderr\n${result.stderr.slice(-3_000)}`;
}

requiresRealPostgres('it migrates a database from the pruned install, in a separate process')('production install (npm ci, build, prune --omit=dev)', () => {
  let dir: string;
  let testDb: TestDatabase;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'smokejumper-prod-'));
    expect(copyRepository(dir)).toBeGreaterThan(100);
    for (const [step, args] of [
      ['npm ci', ['ci', '--prefer-offline']],
      ['npm run build', ['run', 'build']],
      // As the Dockerfile does (see there for what npm keeps).
      ['npm prune', ['prune', '--omit=dev']],
    ] as const) {
      const result = await run('npm', [...args], dir);
      if (result.code !== 0) throw new Error(explain(step, result));
    }
    testDb = await createTestDatabase({ migrate: false });
  }, 900_000);

  afterAll(async () => {
    await testDb?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('leaves no dev dependency behind, and the runtime ones in place', () => {
    const modules = path.join(dir, 'node_modules');
    // prisma and typescript stay: @prisma/client names them as optional peers (npm marks them
    // devOptional), and only --omit=optional would drop them, which would also drop the chart
    // renderer's platform binary (@resvg/resvg-js-*, an optional dependency). Nothing in dist/ loads them.
    for (const dev of ['tsx', 'jest', 'ts-jest', 'ws', '@electric-sql/pglite', '@electric-sql/pglite-socket', '@prisma/schema-engine-wasm', 'pngjs']) {
      expect([dev, existsSync(path.join(modules, dev))]).toEqual([dev, false]);
    }
    expect([`@resvg/resvg-js-${process.platform}-${process.arch}`, readdirSync(path.join(modules, '@resvg')).some((name) => name.startsWith(`resvg-js-${process.platform}-${process.arch}`))]).toEqual([`@resvg/resvg-js-${process.platform}-${process.arch}`, true]);
    for (const runtime of ['@slack/bolt', '@prisma/client', '@prisma/adapter-pg', 'pg-boss', 'uuid', 'vega', 'vega-lite', '@resvg/resvg-js']) {
      expect([runtime, existsSync(path.join(modules, runtime))]).toEqual([runtime, true]);
    }
  });

  it('has built dist/ from src/ alone: nothing from src/dev or src/sim, and no import of them or of a dev dependency', () => {
    const files = filesUnder(path.join(dir, 'dist'));
    const scripts = files.filter((file) => file.endsWith('.js'));
    expect(scripts).toEqual(expect.arrayContaining(['src/main.js', 'src/cli/migrate.js', 'src/cli/roster.js', 'src/cli/digest.js', 'src/generated/prisma/client.js']));
    expect(files.filter((file) => !file.startsWith('src/') || /^src\/(dev|sim)\//.test(file))).toEqual([]);
    const offending = scripts.filter((file) => /require\("(\.\.?\/)+(dev|sim)\/|require\("(tsx|prisma|@electric-sql\/[^"]+|ws)"\)/.test(readFileSync(path.join(dir, 'dist', file), 'utf8')));
    expect(offending).toEqual([]);
  });

  it('npm start with a bad configuration exits 78 with the one line naming the variable', async () => {
    const env = cleanEnv({ DATABASE_URL: 'mysql://somewhere/db', SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'secret' });
    const direct = await run(process.execPath, ['dist/src/main.js'], dir, env);
    expect(direct.code).toBe(78);
    expect(direct.stderr).toBe('smokejumper: configuration error: DATABASE_URL: must start with postgresql://\n');
    const viaNpm = await run('npm', ['start', '--silent'], dir, env);
    expect(viaNpm.code).not.toBe(0);
    expect(viaNpm.stderr).toContain('smokejumper: configuration error: DATABASE_URL: must start with postgresql://');
  });

  it('npm run db:migrate runs from dist and migrates a fresh database; a second run finds nothing to do', async () => {
    const migrations = readdirSync(path.join(dir, 'prisma/migrations'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).length;
    expect(migrations).toBeGreaterThan(0);
    const env = cleanEnv({ DATABASE_URL: testDb.url });
    const first = await run('npm', ['run', '--silent', 'db:migrate'], dir, env);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(new RegExp(`^applied ${migrations} migration\\(s\\): `));
    const client = new Client({ connectionString: testDb.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL');
      expect(Number(rows[0]!.n)).toBe(migrations);
    } finally {
      await client.end();
    }
    const second = await run('npm', ['run', '--silent', 'db:migrate'], dir, env);
    expect(second).toMatchObject({ code: 0, stdout: `database is up to date (${migrations} migration(s) applied earlier)\n` });
  });

  it('the other operator commands run from dist too; the dev-only simulator is not there', async () => {
    const env = cleanEnv({ DATABASE_URL: testDb.url });
    const digest = await run('npm', ['run', '--silent', 'digest', '--', '--week', '2026-11-16', '--bogus'], dir, env);
    expect(digest.code).toBe(2);
    expect(digest.stderr).toContain('digest: unknown argument "--bogus"');
    const roster = await run('npm', ['run', '--silent', 'roster', '--', 'import'], dir, env);
    expect(roster).toMatchObject({ code: 2, stderr: 'usage: npm run roster -- import FILE.csv   (header: user,level,started_on,mentor[,manager][,team])\n' });
    const report = await run('npm', ['run', '--silent', 'report', '--', '--weeks', '2', '--format', 'json'], dir, env);
    expect({ code: report.code, stderr: report.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(report.stdout)).toHaveProperty('weeks', 2);
    // The "Chart" button's renderer from dist/: vega, vega-lite and resvg's platform binary survived the prune.
    const chart = await run(process.execPath, ['-e', [
      "const { exposureChartSpec } = require('./dist/src/domain/exposure-chart.js');",
      "const { renderChartPng } = require('./dist/src/render/chart-png.js');",
      "renderChartPng(exposureChartSpec([{ week: '2026-11-16', byRole: { learner: 2, volunteer: 0, responder: 1, mentor: 1 } }], 'everyone'))",
      "  .then((png) => process.stdout.write(png.subarray(1, 4).toString('latin1') + ' ' + png.length));",
    ].join('\n')], dir, env);
    expect({ code: chart.code, stderr: chart.stderr }).toEqual({ code: 0, stderr: '' });
    expect(chart.stdout).toMatch(/^PNG \d{4,}$/);
    const simulate = await run('npm', ['run', '--silent', 'simulate'], dir, env);
    expect({ code: simulate.code, stderr: simulate.stderr }).toEqual({ code: 127, stderr: expect.stringContaining('tsx') });
  });

  it('npm start serves Slack from the pruned install, against the emulator, and stops on SIGTERM', async () => {
    const secrets = freshSecrets();
    const emulator = new SlackEmulator({ botToken: secrets.botToken });
    await emulator.start();
    const child = spawn('npm', ['start', '--silent'], {
      cwd: dir,
      env: cleanEnv({ DATABASE_URL: testDb.url, SLACK_BOT_TOKEN: secrets.botToken, SLACK_SIGNING_SECRET: secrets.signingSecret, SLACK_API_URL: emulator.apiUrl, PORT: '0', LOG_LEVEL: 'info' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const listening = await new Promise<{ port: number }>((resolve, reject) => {
        createInterface({ input: child.stdout! }).on('line', (text) => {
          lines.push(text);
          if (text.includes('smokejumper is listening')) resolve(JSON.parse(text) as { port: number });
        });
        createInterface({ input: child.stderr! }).on('line', (text) => lines.push(text));
        void exited.then((code) => reject(new Error(`npm start exited (${code}) before listening:\n${lines.slice(-20).join('\n')}`)));
      });
      expect(listening.port).toBeGreaterThan(0);
      // A request Bolt must verify and answer: a signed url_verification.
      const body = JSON.stringify({ type: 'url_verification', challenge: 'prod-install' });
      const response = await fetch(`http://127.0.0.1:${listening.port}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signRequest(secrets.signingSecret, body) },
        body,
      });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('prod-install');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      await emulator.stop();
    }
  }, 120_000);
});
