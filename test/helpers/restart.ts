import { startHarness, type Harness, type HarnessOptions } from './harness';

/**
 * Stops a harness's app and emulator, keeping its database, and starts a new app (with a new
 * emulator) on that same database, its clock carrying on from the old one: a deploy or a crash
 * and restart, as far as the database and the job queue can tell. The caller drops the database.
 */
export async function restartHarness(old: Harness, options: Omit<HarnessOptions, 'database' | 'now'> = {}): Promise<Harness> {
  const now = old.app.deps.clock();
  await old.app.stop();
  await old.emulator.stop();
  return startHarness({ ...options, database: old.database, now });
}
