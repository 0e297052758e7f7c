import type { Logger } from './log';

/**
 * Connection failures of PostgreSQL as node-postgres reports them. pg-boss 10 runs a few
 * statements without awaiting them (manager.js: completing or failing a job); when the database
 * drops at that moment the rejection is unhandled, and the process must ride the outage out.
 */
const DATABASE_GONE = [/Connection terminated/i, /connect ECONNREFUSED/, /read ECONNRESET/, /write EPIPE/, /timeout exceeded when trying to connect/i, /Client has encountered a connection error/i];
const DATABASE_GONE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08003', '08006']);

export function isDatabaseOutage(reason: unknown): boolean {
  if (!(reason instanceof Error)) return false;
  const code = (reason as { code?: unknown }).code;
  if (typeof code === 'string' && DATABASE_GONE_CODES.has(code)) return true;
  return DATABASE_GONE.some((p) => p.test(reason.message));
}

/**
 * Bolt's HTTPReceiver handles each request in a promise it does not await, so a throw inside it is
 * an unhandled rejection: a signed body of JSON `null` makes it read `null.ssl_check`
 * (HTTPReceiver.ts, @slack/bolt 5.1). Such a failure belongs to that one request, which gets no
 * answer (Slack would retry it); nothing shared was left half-done, so the process keeps serving.
 * Recognised by the frame at the top of the stack, so a bug of ours called from Bolt still exits.
 */
export function isBoltRequestFailure(reason: unknown): boolean {
  if (!(reason instanceof Error) || !reason.stack) return false;
  const firstFrame = reason.stack.split('\n').find((line) => line.trimStart().startsWith('at '));
  return firstFrame !== undefined && /[\\/]@slack[\\/]bolt[\\/](src|dist)[\\/]receivers[\\/]/.test(firstFrame);
}

/**
 * What an unhandled rejection does: a database outage (the pg-boss case above) and a failure of one
 * request inside Bolt's receiver are logged and the process keeps running; anything else is a bug
 * whose state nobody knows, so it is logged as fatal and the process exits non-zero for the
 * orchestrator to restart it. Jobs and stored events are durable, so a restart loses nothing.
 */
export function guardUnhandledRejections(log: Logger, exit: (code: number) => void = (code) => process.exit(code)): void {
  process.on('unhandledRejection', (reason) => {
    if (isDatabaseOutage(reason)) {
      log.error({ err: reason }, 'unhandled promise rejection from a database outage (kept running)');
      return;
    }
    if (isBoltRequestFailure(reason)) {
      log.error({ err: reason }, 'a request failed inside the Slack receiver; it got no answer (kept running)');
      return;
    }
    log.fatal({ err: reason }, 'unhandled promise rejection; exiting so that the process is restarted');
    // pino writes synchronously to stdout, so the line is out before the exit.
    exit(1);
  });
}
