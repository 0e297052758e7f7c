/**
 * What goes wrong on purpose: fault rules a test adds (HTTP 429/5xx or an ok:false error, by
 * method, argument, count and seeded chance) and, when asked, Slack's rate-limit tiers (tiers.ts).
 */
import { TierLimiter } from './tiers';
import type { FaultRule } from './types';
import { fail, type Args, type Reply } from './wire';

interface ActiveFault {
  rule: FaultRule;
  remaining: number;
}

export function rateLimitedReply(retryAfterSeconds: number): Reply {
  return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'Retry-After': String(retryAfterSeconds) } };
}

function faultReply(rule: FaultRule): Reply {
  if (rule.status === 429) return rateLimitedReply(rule.retryAfterSeconds ?? 1);
  if (rule.status !== undefined) {
    return { status: rule.status, body: { ok: false, error: rule.status === 503 ? 'service_unavailable' : 'internal_error' } };
  }
  return fail(rule.error ?? 'internal_error');
}

/** Pages of one listing (a method and its arguments but the cursor): number by cursor, and those already asked for. */
interface Listing {
  pageNumbers: Map<string, number>;
  asked: Set<string>;
}

export class Faults {
  private faults: ActiveFault[] = [];
  private readonly listings = new Map<string, Listing>();

  /** `random` is the emulator's seeded PRNG, so that probabilistic faults repeat for a seed. */
  constructor(private readonly random: () => number) {}

  add(rule: FaultRule): void {
    if (rule.status === undefined && rule.error === undefined) {
      throw new Error('SlackEmulator.addFault: a rule needs `status` or `error`');
    }
    if (rule.probability !== undefined && (rule.probability < 0 || rule.probability > 1)) {
      throw new Error('SlackEmulator.addFault: probability must be within 0..1');
    }
    if (rule.everyNthPage !== undefined && !(Number.isInteger(rule.everyNthPage) && rule.everyNthPage >= 1)) {
      throw new Error('SlackEmulator.addFault: everyNthPage must be a whole number from 1');
    }
    this.faults.push({ rule, remaining: rule.times ?? 1 });
  }

  clear(): void {
    this.faults = [];
    this.listings.clear();
  }

  /** The reply of the first rule that applies to this call (using it up once), if any. */
  take(method: string, args: Args): Reply | undefined {
    let page: { number: number; first: boolean } | undefined;
    for (const fault of this.faults) {
      const { rule } = fault;
      if (fault.remaining <= 0) continue;
      if (rule.method !== '*' && rule.method !== method) continue;
      if (rule.when && !rule.when(args)) continue;
      if (rule.everyNthPage !== undefined) {
        page ??= this.pageOf(method, args);
        if (!page.first || page.number % rule.everyNthPage !== 0) continue;
      }
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      fault.remaining -= 1;
      this.faults = this.faults.filter((f) => f.remaining > 0);
      return faultReply(rule);
    }
    return undefined;
  }

  /** Which page of its listing this request asks for, and whether it is the first request for that page. */
  private pageOf(method: string, args: Args): { number: number; first: boolean } {
    const { cursor, ...rest } = args;
    const key = `${method} ${JSON.stringify(Object.keys(rest).sort().map((k) => [k, rest[k]]))}`;
    let listing = this.listings.get(key);
    if (!listing) {
      listing = { pageNumbers: new Map(), asked: new Set() };
      this.listings.set(key, listing);
    }
    const at = typeof cursor === 'string' ? cursor : '';
    if (!listing.pageNumbers.has(at)) listing.pageNumbers.set(at, listing.pageNumbers.size + 1);
    const first = !listing.asked.has(at);
    listing.asked.add(at);
    return { number: listing.pageNumbers.get(at)!, first };
  }
}

/** Slack's rate-limit tiers as replies: a 429 with Retry-After when a call is over its window. */
export class RateLimits {
  private readonly limiter: TierLimiter;

  constructor(timeScale: number) {
    this.limiter = new TierLimiter(timeScale);
  }

  take(method: string, channel: string | undefined): Reply | undefined {
    const retryAfter = this.limiter.take(method, channel);
    return retryAfter === null ? undefined : rateLimitedReply(retryAfter);
  }
}
