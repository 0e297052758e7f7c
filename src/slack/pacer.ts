/**
 * Spaces the calls of each Slack method to its rate-limit tier (test/fixtures/slack/FACTS.md
 * section 1: Tier 2 20 a minute, Tier 3 50, Tier 4 100), for work that reads a lot at once (the
 * backfill): it then meets few 429s instead of running into one per window. A 429 that comes
 * anyway is still waited out by the gateway (slack-calls.ts). Slots are reserved in order, so
 * callers running side by side share one method's rate.
 */
export const PACED_TIERS: Readonly<Record<string, 2 | 3 | 4>> = {
  'users.list': 2,
  'conversations.list': 2,
  'usergroups.list': 2,
  'usergroups.users.list': 2,
  'conversations.info': 3,
  'conversations.history': 3,
  'conversations.members': 4,
  'users.info': 4,
};

const CALLS_PER_MINUTE = { 2: 20, 3: 50, 4: 100 } as const;

export class Pacer {
  /** method -> the earliest time (ms) its next call may start */
  private readonly nextSlot = new Map<string, number>();

  /**
   * `timeScale` above 1 shortens every gap by that factor, for tests and benchmarks against the
   * emulator run with the same `timeScale` (SPEC.md section 2, BACKFILL_TIME_SCALE).
   */
  constructor(private readonly timeScale = 1) {
    if (!(timeScale >= 1)) throw new Error('Pacer: timeScale must be at least 1');
  }

  /** The gap between two calls of `method`, in ms (0 for a method without a known tier). */
  gapOf(method: string): number {
    const tier = PACED_TIERS[method];
    return tier ? 60_000 / CALLS_PER_MINUTE[tier] / this.timeScale : 0;
  }

  /** Waits for `method`'s next slot and takes it. */
  async wait(method: string): Promise<void> {
    const gap = this.gapOf(method);
    if (gap === 0) return;
    const now = Date.now();
    const at = Math.max(now, this.nextSlot.get(method) ?? 0);
    this.nextSlot.set(method, at + gap);
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }
}
