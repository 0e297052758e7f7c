import path from 'node:path';
import { AppProcess, appEnv, LogBook } from '../helpers/app-process';
import { createTestDatabase, requiresRealPostgres, type TestDatabase } from '../helpers/database';
import { SlackEmulator } from '../../src/dev/slack-emulator';

/**
 * SPEC.md section 8: an unhandled promise rejection ends the process (non-zero, a fatal line) so
 * that the orchestrator restarts it, except the database outage pg-boss can leave unawaited, which
 * the process rides out. The app runs as a process; a fixture loaded before it (`--import`)
 * leaves one rejection unhandled once it is listening.
 */
const FIXTURE = path.join(__dirname, '../fixtures/reject-later.mjs');

requiresRealPostgres('the app runs as a separate process on the database')('unhandled rejections in the app process', () => {
  let database: TestDatabase;
  let emulator: SlackEmulator;
  beforeAll(async () => {
    database = await createTestDatabase();
    emulator = new SlackEmulator();
    await emulator.start();
  });
  afterAll(async () => {
    await emulator?.stop();
    await database?.drop();
  });

  const startApp = (name: string, kind: string, logBook: LogBook) =>
    AppProcess.start({
      name,
      logBook,
      nodeArgs: ['--import', FIXTURE],
      env: { ...appEnv({ databaseUrl: database.url, name, botToken: emulator.botToken, signingSecret: 'process-exit-secret', slackApiUrl: emulator.apiUrl, poolMax: 3 }), REJECT_KIND: kind },
    });

  it('exits non-zero with a fatal line on any other unhandled rejection', async () => {
    const logBook = new LogBook();
    const app = await startApp('reject-bug', 'bug', logBook);
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([app.exited, new Promise<'running'>((r) => (timer = setTimeout(() => r('running'), 20_000)))]);
    clearTimeout(timer);
    if (exit === 'running') await app.kill();
    expect(exit).toEqual({ code: 1, signal: null });
    const fatal = logBook.json().filter((l) => l.level === 'fatal');
    expect(fatal.map((l) => l.msg)).toEqual(['unhandled promise rejection; exiting so that the process is restarted']);
    expect(JSON.stringify(fatal[0]!.err)).toContain("reading 'channel'");
  }, 60_000);

  it('keeps running through the database outage pg-boss leaves unawaited, and still answers', async () => {
    const logBook = new LogBook();
    const app = await startApp('reject-outage', 'database', logBook);
    try {
      await new Promise((r) => setTimeout(r, 200));
      const deadline = Date.now() + 20_000;
      while (!logBook.json().some((l) => String(l.msg).startsWith('unhandled promise rejection from a database outage')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(logBook.json().filter((l) => String(l.msg).startsWith('unhandled promise rejection')).map((l) => l.msg)).toEqual(['unhandled promise rejection from a database outage (kept running)']);
      expect(app.alive).toBe(true);
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    } finally {
      await app.stop();
    }
  }, 60_000);
});
