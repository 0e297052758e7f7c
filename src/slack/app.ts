import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, LogLevel, SocketModeReceiver, type ReceiverEvent } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Config } from '../config';
import { isDatabaseReachable } from '../db/client';
import type { Deps } from '../deps';
import type { Logger } from '../log';
import { boltLogger } from './bolt-logger';
import { registerListeners } from './listeners';

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
    const app = new App({ token: config.slack.botToken, logger: boltLogger(log), logLevel: LogLevel.INFO, clientOptions, receiver });
    acknowledgeAfterProcessing(receiver, app, log);
    return app;
  }
  return new App({
    token: config.slack.botToken,
    logger: boltLogger(log),
    logLevel: LogLevel.INFO,
    clientOptions,
    customRoutes,
    signingSecret: config.slack.signingSecret,
    // The response waits for the listener, so an event that could not be stored is answered 500.
    processBeforeResponse: true,
    signatureVerification: true,
    port: config.port,
  });
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

/** GET /healthz and GET /metrics, served by the same HTTP server as Slack's requests. */
export function operationalRoutes(getDeps: () => Deps | undefined) {
  return [
    {
      path: '/healthz',
      method: 'GET',
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        const deps = getDeps();
        const check = deps ? isDatabaseReachable(deps.pool) : Promise.resolve(false);
        void check.then((up) => {
          res.writeHead(up ? 200 : 503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: up ? 'ok' : 'unavailable', database: up ? 'up' : 'down' }));
        });
      },
    },
    {
      path: '/metrics',
      method: 'GET',
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        const deps = getDeps();
        if (!deps) {
          res.writeHead(503);
          res.end();
          return;
        }
        void deps.metrics.registry.metrics().then(
          (body) => {
            res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
            res.end(body);
          },
          () => {
            res.writeHead(500);
            res.end();
          },
        );
      },
    },
  ];
}

/**
 * Registers the listeners and the global error handler: a known error code is logged as such;
 * anything else gets a short reference id, logged with it, so a person can quote it.
 */
export function wireApp(app: App, deps: Deps): void {
  registerListeners(app, deps);
  app.error(async (error) => {
    const reference = randomUUID().slice(0, 8);
    deps.log.error({ err: error.original ?? error, code: error.code, reference }, 'unhandled error in a Slack request');
    // Rethrown so that the HTTP receiver answers 500 and Slack delivers the event again.
    throw error;
  });
}
