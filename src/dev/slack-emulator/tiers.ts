/**
 * Slack's per-method rate limits, for the emulator when asked (`rateLimits: 'tiers'`). Tiers are
 * from test/fixtures/slack/FACTS.md section 1 and the java-slack-sdk's rate_limit_tiers.json
 * (copied here: nothing under src reads the fixtures). Limits apply "per API method per
 * workspace per app"; chat.postMessage is special: about one message a second per channel, and a
 * workspace-wide limit Slack only calls "several hundred messages per minute", taken here as 300.
 *
 * `timeScale` shortens every window by that factor (60: a minute lasts a second), so that a
 * benchmark can meet the limits of a 10,000-person digest in seconds; the figures it gives are
 * then against the floor scaled the same way.
 */
export const TIER_PER_MINUTE = { 1: 1, 2: 20, 3: 50, 4: 100 } as const;

export const METHOD_TIERS: Record<string, keyof typeof TIER_PER_MINUTE> = {
  'users.list': 2,
  'conversations.info': 3,
  'conversations.invite': 3,
  'conversations.join': 3,
  'conversations.open': 3,
  'conversations.history': 3,
  'users.lookupByEmail': 3,
  'chat.update': 3,
  'bookmarks.list': 3,
  'chat.postEphemeral': 4,
  'conversations.members': 4,
  'users.info': 4,
  'views.publish': 4,
  'views.open': 4,
  'views.update': 4,
  'views.push': 4,
};

/** auth.test: "hundreds of requests per minute"; the SDKs budget 600. */
export const AUTH_TEST_PER_MINUTE = 600;
/** chat.postMessage across the workspace ("several hundred messages per minute"). */
export const POST_MESSAGE_WORKSPACE_PER_MINUTE = 300;
/** chat.postMessage into one channel ("one message per second per channel"). */
export const POST_MESSAGE_CHANNEL_PER_SECOND = 1;

interface Window {
  limit: number;
  ms: number;
}

/** The windows a call counts against: one per method, and one per channel for chat.postMessage. */
export function windowsFor(method: string, channel: string | undefined): Array<{ key: string; window: Window }> {
  const perMinute = (limit: number) => ({ limit, ms: 60_000 });
  if (method === 'chat.postMessage') {
    const windows = [{ key: method, window: perMinute(POST_MESSAGE_WORKSPACE_PER_MINUTE) }];
    if (channel) windows.push({ key: `${method} ${channel}`, window: { limit: POST_MESSAGE_CHANNEL_PER_SECOND, ms: 1_000 } });
    return windows;
  }
  if (method === 'auth.test') return [{ key: method, window: perMinute(AUTH_TEST_PER_MINUTE) }];
  const tier = METHOD_TIERS[method];
  return tier ? [{ key: method, window: perMinute(TIER_PER_MINUTE[tier]) }] : [];
}

/** Sliding windows of the calls let through; a call over any of its windows is refused with a wait. */
export class TierLimiter {
  private readonly calls = new Map<string, number[]>();

  constructor(
    private readonly timeScale = 1,
    private readonly now: () => number = Date.now,
  ) {
    if (!(timeScale > 0)) throw new Error('TierLimiter: timeScale must be above 0');
  }

  /** null when the call may go ahead (and is counted), else the seconds to wait (Retry-After, at least 1). */
  take(method: string, channel: string | undefined): number | null {
    const now = this.now();
    const windows = windowsFor(method, channel).map(({ key, window }) => ({ key, limit: window.limit, ms: window.ms / this.timeScale }));
    let waitMs = 0;
    for (const w of windows) {
      const recent = this.recent(w.key, now, w.ms);
      if (recent.length >= w.limit) waitMs = Math.max(waitMs, recent[recent.length - w.limit]! + w.ms - now);
    }
    if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000));
    for (const w of windows) this.recent(w.key, now, w.ms).push(now);
    return null;
  }

  private recent(key: string, now: number, ms: number): number[] {
    const list = this.calls.get(key) ?? [];
    let drop = 0;
    while (drop < list.length && list[drop]! <= now - ms) drop += 1;
    const kept = drop > 0 ? list.slice(drop) : list;
    this.calls.set(key, kept);
    return kept;
  }
}
