/**
 * The real app in a child process: start() from src/main.ts with the environment it is given, as
 * `npm start` would run it, except that BENCH_NOW fixes the app's clock (it ticks on from there),
 * as the test harness does, so that working hours are the same in every run.
 */
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { start } from '../../src/main';

async function main(): Promise<void> {
  const config = loadConfig(process.env, 'start');
  const log = createLogger(config.logLevel);
  const offset = process.env.BENCH_NOW ? new Date(process.env.BENCH_NOW).getTime() - Date.now() : 0;
  const running = await start(config, log, { clock: () => new Date(Date.now() + offset) });
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'stop') void running.stop().finally(() => process.exit(0));
  });
  process.send!({ type: 'ready', url: running.url });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench app failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
