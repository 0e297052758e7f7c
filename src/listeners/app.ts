import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPModuleFunctions, HTTPReceiver, LogLevel, SocketModeReceiver, type ReceiverEvent } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Config } from '../config';
import type { Deps } from '../deps';
import type { HealthProbe } from '../health';
import type { Logger } from '../log';
import { answerHealth } from '../ops-server';
import { boltLogger } from './bolt-logger';
import { registerListeners } from '.';
import { onUnhandledError } from './failure';

export const WEB_API_RETRY = { retries: 4, factor: 2, minTimeout: 250, maxTimeout: 4_000, randomize: true };

/** For calls with an effect: no retry inside the client (see SlackGateway). */
export function createEffectClient(config: Readonly<Config>, log: Logger): WebClient {
  return new WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: boltLogger(log),
  });
}

/**
 * The largest request body accepted on the Slack-facing port (SPEC.md section 8). Slack's largest
 * payloads for this app are interactivity posts (a message or modal echoed back with its blocks,
 * form-encoded) and message-bearing events: tens of kilobytes, a few hundred at the very most
 * (a 40,000-character message with 50 blocks). 1 MiB leaves room for all of that; anything
 * bigger is refused with 413 as soon as its Content-Length says so, or as soon as that many bytes
 * have arrived, before it is buffered whole or its signature is checked.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/** How long a refused request's connection is left open, so that its client can read the answer, before it is cut. */
const REFUSED_BODY_GRACE_MS = 10_000;

/**
 * Bolt 5.1 reads `body.ssl_check` of whatever the body parses to, so a signed `null` (as JSON, or
 * as an interactivity `payload`) rejects a promise nobody awaits, which ends the process
 * (src/process-guard.ts). Slack never sends one; it is answered 400 here.
 */
function isNullBody(raw: Buffer, contentType: string | undefined): boolean {
  const text = raw.toString().trim();
  if (contentType?.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams(text).get('payload')?.trim() === 'null';
  return text === 'null';
}

/**
 * The Slack endpoint's body, read here before Bolt sees it (Bolt reuses the buffer): over
 * MAX_BODY_BYTES it is refused 413, at once when its Content-Length says so (Bolt's own limit
 * counts bytes only, and waits forever on a body that declares a huge length and trickles) or as
 * soon as that many bytes have arrived. The rest of a refused body is never read; the client can
 * still read the answer, and the connection is cut after a grace.
 */
function guardBodies(receiver: HTTPReceiver, log: Logger): void {
  const next = receiver.requestListener;
  const refuse = (req: IncomingMessage, res: ServerResponse, status: number) => {
    res.writeHead(status);
    res.end();
    if (req.complete) return;
    req.pause();
    const cut = setTimeout(() => req.socket.destroy(), REFUSED_BODY_GRACE_MS);
    cut.unref();
    req.socket.once('close', () => clearTimeout(cut));
  };
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') return next(req, res);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      log.warn({ contentLength: declared, limit: MAX_BODY_BYTES, path: req.url }, 'request refused: body over the limit');
      return refuse(req, res, 413);
    }
    HTTPModuleFunctions.bufferIncomingMessage(req, MAX_BODY_BYTES).then(
      (buffered) => {
        if (isNullBody(buffered.rawBody, req.headers['content-type'])) return refuse(req, res, 400);
        next(req, res);
      },
      (err: unknown) => {
        const tooLarge = HTTPModuleFunctions.isRawBodyError(err) && (err as { type?: string }).type === 'entity.too.large';
        if (tooLarge) log.warn({ limit: MAX_BODY_BYTES, path: req.url }, 'request refused: body over the limit');
        refuse(req, res, tooLarge ? 413 : 400);
      },
    );
  };
}

/** The Web API client for reads and for calls that Bolt's retries make safe; a worker has no Bolt app to take it from. */
export function createReadClient(config: Readonly<Config>, log: Logger): WebClient {
  return new WebClient(config.slack.botToken, { slackApiUrl: config.slack.apiUrl, retryConfig: WEB_API_RETRY, rejectRateLimitedCalls: true, logger: boltLogger(log) });
}

export function createBoltApp(config: Readonly<Config>, log: Logger, customRoutes: Array<{ path: string; method: string; handler: (req: IncomingMessage, res: ServerResponse) => void }>): App {
  const clientOptions = { slackApiUrl: config.slack.apiUrl, retryConfig: WEB_API_RETRY, rejectRateLimitedCalls: true };
  if (config.slack.appToken) {
    const receiver = new SocketModeReceiver({
      appToken: config.slack.appToken,
      logger: boltLogger(log),
      logLevel: LogLevel.INFO,
      customRoutes,
      installerOptions: { port: config.port, clientOptions: { slackApiUrl: config.slack.apiUrl } },
    });
    const app = new App({ token: config.slack.botToken, logger: boltLogger(log), logLevel: LogLevel.INFO, clientOptions, receiver, extendedErrorHandler: true });
    acknowledgeAfterProcessing(receiver, app, log);
    return app;
  }
  const receiver = new HTTPReceiver({
    signingSecret: config.slack.signingSecret ?? '',
    logger: boltLogger(log),
    logLevel: LogLevel.INFO,
    customRoutes,
    // The response waits for the listener, so an event that could not be stored is answered 500.
    processBeforeResponse: true,
    signatureVerification: true,
    port: config.port,
    bodyLimit: MAX_BODY_BYTES,
  });
  guardBodies(receiver, log);
  return new App({ token: config.slack.botToken, logger: boltLogger(log), logLevel: LogLevel.INFO, clientOptions, receiver, extendedErrorHandler: true });
}

/**
 * Socket Mode's receiver acknowledges an envelope as soon as Bolt calls ack(), which Bolt does for
 * events before any listener runs: an event could be acknowledged and then fail to be stored.
 * Here the acknowledgement is held until Bolt has finished with the envelope, as HTTP mode does
 * with processBeforeResponse; an envelope that failed is not acknowledged, so Slack sends it again.
 */
function acknowledgeAfterProcessing(receiver: SocketModeReceiver, app: App, log: Logger): void {
  receiver.client.removeAllListeners('slack_event');
  receiver.client.on('slack_event', async (args: { body: Record<string, unknown>; ack: (response?: unknown) => Promise<void>; retry_num?: number; retry_reason?: string }) => {
    let acknowledged: { response?: unknown } | undefined;
    const event: ReceiverEvent = {
      body: args.body,
      ack: async (response?: unknown) => {
        acknowledged = { response };
      },
      retryNum: args.retry_num,
      retryReason: args.retry_reason,
      customProperties: {},
    };
    try {
      await app.processEvent(event);
    } catch (err) {
      log.warn({ err, retryNum: args.retry_num }, 'socket mode envelope failed; not acknowledged, so Slack delivers it again');
      return;
    }
    if (acknowledged) await args.ack(acknowledged.response);
  });
}

/** GET /healthz on the Slack-facing port, for the load balancer; /metrics is on METRICS_PORT only. */
export function healthRoute(probe: HealthProbe) {
  return [{ path: '/healthz', method: 'GET', handler: (_req: IncomingMessage, res: ServerResponse) => answerHealth(probe, res) }];
}

/**
 * Registers the listeners and the global error handler (failure.ts): a known error code becomes a
 * message the person can act on, anything else a short reference id that is in the log line too.
 * The App must be built with extendedErrorHandler (createBoltApp does), so the handler sees the request.
 */
export function wireApp(app: App, deps: Deps): void {
  registerListeners(app, deps);
  app.error(onUnhandledError(deps.log));
}
