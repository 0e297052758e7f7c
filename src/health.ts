import type { Pool } from 'pg';
import { isDatabaseReachable } from './db/client';
import type { Role } from './config';

/** /healthz never answers from a probe older than this (SPEC.md section 8). */
export const HEALTH_MAX_AGE_MS = 5_000;
const PROBE_EVERY_MS = 1_000;
const PROBE_TIMEOUT_MS = 2_000;

export interface Health {
  status: 'ok' | 'unavailable';
  database: 'up' | 'down';
  role: Role;
}

/**
 * The database check behind GET /healthz, run in the background once a second on one connection
 * at most. Requests only read its last result, so a flood of GETs costs no connection and cannot
 * make the storing of an event wait (RELIABILITY.md, GET flood). A result older than
 * HEALTH_MAX_AGE_MS (the probe itself is stuck) counts as down.
 */
export class HealthProbe {
  private last: { up: boolean; at: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  /** probes run, for tests and the fault suite */
  probes = 0;

  constructor(
    private readonly pool: Pool,
    readonly role: Role,
    private readonly now: () => number = Date.now,
  ) {}

  async start(): Promise<void> {
    await this.probe();
    this.timer = setInterval(() => void this.probe(), PROBE_EVERY_MS);
    this.timer.unref();
  }

  private probe(): Promise<void> {
    // One probe at a time: a hung database must not pile probes up on the pool.
    this.inFlight ??= isDatabaseReachable(this.pool, PROBE_TIMEOUT_MS).then((up) => {
      this.probes += 1;
      this.last = { up, at: this.now() };
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  current(): Health {
    const up = this.last !== undefined && this.last.up && this.now() - this.last.at <= HEALTH_MAX_AGE_MS;
    return { status: up ? 'ok' : 'unavailable', database: up ? 'up' : 'down', role: this.role };
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }
}
