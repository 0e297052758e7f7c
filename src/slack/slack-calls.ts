import { ErrorCode, WebClientEvent, type WebClient } from '@slack/web-api';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { Pacer } from './pacer';

/**
 * The Slack Web API calls the app makes. Each call returns a result instead of throwing, so a
 * caller handles Slack's errors per person (one `user_is_restricted` never stops the other
 * invites). HTTP 429 is waited out, honouring Retry-After.
 */
export type SlackFailure = { ok: false; error: string; retryable: boolean };
export type SlackResult<T> = { ok: true; value: T } | SlackFailure;

// Errors worth trying again later; anything else is about this person or channel and will not change by retrying.
const RETRYABLE = new Set([
  'ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout',
  'slack_webapi_request_error', 'slack_webapi_http_error', 'slack_webapi_rate_limited_error',
]);

/** Errors that Slack answers instead of acting (HTTP 429): a retry needs no look in Slack first. */
const SLACK_DID_NOTHING = new Set(['ratelimited', 'slack_webapi_rate_limited_error']);

/** Whether a failed call may have acted in Slack before it failed (anything but a 429). */
export const mayHaveActed = (failure: SlackFailure): boolean => !SLACK_DID_NOTHING.has(failure.error);

/**
 * How often one call is tried again after HTTP 429 when the WebClient hands the 429 back
 * (`rejectRateLimitedCalls`); each wait is Slack's Retry-After.
 */
export const RATE_LIMIT_RETRIES = 5;

const methodOf = (url: string): string => url.slice(url.lastIndexOf('/') + 1).split('?')[0]!;

interface SlackErrorLike {
  code?: string;
  data?: { error?: string };
  statusCode?: number;
  retryAfter?: number;
}

/** Slack's error code for a thrown WebClient error: the API's own `error`, `http_NNN`, or the client's code. */
export function errorCodeOf(error: unknown): string {
  const e = error as SlackErrorLike;
  if (e?.code === ErrorCode.PlatformError && e.data?.error) return e.data.error;
  if (e?.code === ErrorCode.HTTPError) return `http_${e.statusCode ?? 'error'}`;
  if (typeof e?.code === 'string') return e.code;
  return 'unknown_error';
}

/** Whether an error code is worth trying again later. */
export function isRetryable(code: string): boolean {
  return RETRYABLE.has(code) || code.startsWith('http_5') || code === 'ECONNREFUSED' || code === 'ECONNRESET';
}

/**
 * The call core of the gateway: per-method holds after a 429, the retry of a 429 the WebClient
 * handed back, and the classification of every other error into a result.
 */
export class SlackCalls {
  /** Slack method -> no call before this time (ms), from its last 429's Retry-After. */
  private readonly heldUntil = new Map<string, number>();
  /** spaces calls to each method's tier when set (paceBy) */
  private pacer: Pacer | undefined;

  /**
   * Calls that change something in Slack (invite, join, post, publish) go through a client that
   * never retries by itself: a 500 or a dropped connection may come after Slack acted, and a silent
   * retry would double the effect. The ledger retries them instead, looking in Slack first.
   */
  protected readonly once: { client: WebClient };

  constructor(
    readonly client: WebClient,
    protected readonly log: Logger,
    private readonly metrics?: Metrics,
    effectClient: WebClient = client,
  ) {
    this.once = { client: effectClient };
    // Slack's limits are per method. The WebClient waits out a 429 by pausing its whole queue, but
    // when two 429s overlap the first pause's end resumes the queue early; holding the method here
    // keeps this gateway's next calls to it behind Retry-After.
    client.on?.(WebClientEvent.RATE_LIMITED, (retryAfterSeconds: number, request: { url?: string }) => {
      if (request?.url) this.hold(methodOf(request.url), retryAfterSeconds);
    });
  }

  /** From now on every call waits for its method's slot in `pacer` first (the backfill's reads). */
  paceBy(pacer: Pacer): this {
    this.pacer = pacer;
    return this;
  }

  private hold(method: string, retryAfterSeconds: number): void {
    const until = Date.now() + Math.max(0, retryAfterSeconds) * 1000;
    if (until > (this.heldUntil.get(method) ?? 0)) this.heldUntil.set(method, until);
  }

  /** Waits while `method` is held by a Retry-After. */
  private async turn(method: string): Promise<void> {
    for (;;) {
      const wait = (this.heldUntil.get(method) ?? 0) - Date.now();
      if (wait <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  protected async call<T>(method: string, context: Record<string, unknown>, run: () => Promise<T>): Promise<SlackResult<T>> {
    for (let attempt = 0; ; attempt++) {
      await this.pacer?.wait(method);
      await this.turn(method);
      try {
        return { ok: true, value: await run() };
      } catch (error) {
        const retryAfter = (error as SlackErrorLike)?.code === ErrorCode.RateLimitedError ? (error as SlackErrorLike).retryAfter : undefined;
        if (retryAfter !== undefined) {
          // The WebClient handed the 429 back (rejectRateLimitedCalls): Slack did nothing; wait and try again.
          this.hold(method, retryAfter);
          if (attempt < RATE_LIMIT_RETRIES) continue;
        }
        return this.failure(method, context, error);
      }
    }
  }

  /**
   * A cursor-paged listing, one call() per page: after a 429 the same page is asked again with the
   * same cursor once Retry-After has passed, never the listing from its start (a 10,000-person
   * users.list is 50 pages; restarting it at every 429 may never finish). Each page goes to
   * `onPage` as it arrives, so a caller can write it at once; a failure returns after the pages
   * already handed over, and the caller knows the pass was not complete.
   */
  protected async eachPage<T>(
    method: string,
    context: Record<string, unknown>,
    fetch: (cursor: string | undefined) => Promise<{ items: T[]; next: string | undefined }>,
    onPage: (items: T[]) => Promise<void> | void,
  ): Promise<SlackResult<{ pages: number }>> {
    let cursor: string | undefined;
    let pages = 0;
    do {
      const at = cursor;
      const page = await this.call(method, { ...context, page: pages + 1 }, () => fetch(at));
      if (!page.ok) return page;
      pages++;
      await onPage(page.value.items);
      cursor = page.value.next || undefined;
    } while (cursor);
    return { ok: true, value: { pages } };
  }

  /** Every item of a paged listing (eachPage), for callers that need the whole list at once. */
  protected async allPages<T>(
    method: string,
    context: Record<string, unknown>,
    fetch: (cursor: string | undefined) => Promise<{ items: T[]; next: string | undefined }>,
  ): Promise<SlackResult<T[]>> {
    const all: T[] = [];
    const listed = await this.eachPage(method, context, fetch, (items) => void all.push(...items));
    return listed.ok ? { ok: true, value: all } : listed;
  }

  private failure(method: string, context: Record<string, unknown>, error: unknown): SlackFailure {
    const code = errorCodeOf(error);
    const retryable = isRetryable(code);
    this.metrics?.slackErrors.inc({ method, code });
    this.log.warn({ method, error: code, retryable, ...context }, 'slack call failed');
    return { ok: false, error: code, retryable };
  }
}
