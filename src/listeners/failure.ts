import { randomUUID } from 'node:crypto';
import type { AnyMiddlewareArgs, CodedError } from '@slack/bolt';
import { AppError, RetryableError } from '../errors';
import type { Logger } from '../log';
import { section, type Message } from '../slack/views/blocks';
import { somethingWentWrongReply } from '../slack/views/volunteer-replies';

/**
 * The one place where a failure at the Slack edge becomes words, for the Bolt app's global error
 * handler and for work after the acknowledgement alike. Every failure gets a short reference id,
 * logged with its code on the same line; the person is told:
 * - what to do, for an AppError that carries a message for them (userMessage);
 * - to try again in a minute, for a RetryableError (Slack or the database slow or rate limited);
 * - for anything else, that something went wrong, with the reference to quote.
 */
export interface ExplainedFailure {
  reference: string;
  code: string | undefined;
  reply: Message;
}

export function explainFailure(log: Logger, error: unknown, context: Record<string, unknown>, what: string): ExplainedFailure {
  const reference = randomUUID().slice(0, 8);
  const code = error instanceof AppError ? error.code : undefined;
  log.error({ err: error, code, reference, ...context }, what);
  return { reference, code, reply: replyFor(error, reference) };
}

function replyFor(error: unknown, reference: string): Message {
  if (error instanceof AppError && error.userMessage) {
    const text = `${error.userMessage} (reference ${reference})`;
    return { text, blocks: [section(`:warning: ${text}`)] };
  }
  return somethingWentWrongReply(reference, error instanceof RetryableError);
}

type Tell = (responseUrl: string, message: Message) => Promise<unknown>;

/** How long the error handler waits for Slack to take the reply: the request it answers is already failing. */
const TELL_TIMEOUT_MS = 5_000;

/** An ephemeral reply through a response_url, as Bolt's `respond` sends it. */
export const tellThroughResponseUrl: Tell = async (responseUrl, message) => {
  const answer = await fetch(responseUrl, {
    method: 'POST',
    signal: AbortSignal.timeout(TELL_TIMEOUT_MS),
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, ...message }),
  });
  if (!answer.ok) throw new Error(`response_url answered ${answer.status}`);
};

/** Who and what a request was, for the log line: never its tokens. */
function requestContext(body: AnyMiddlewareArgs['body'] | undefined): Record<string, unknown> {
  const b = (body ?? {}) as { type?: unknown; command?: unknown; user_id?: unknown; user?: { id?: unknown }; event?: { type?: unknown }; event_id?: unknown };
  return {
    request: b.command ?? b.event?.type ?? b.type,
    user: b.user_id ?? b.user?.id,
    eventId: b.event_id,
  };
}

/**
 * Bolt's global error handler (extendedErrorHandler): a listener threw. The failure is explained
 * once; a person who asked for something (a command or a button, which carry a response_url) is
 * told through it; then the error is thrown again, so that the HTTP receiver answers 500 and Slack
 * delivers an event again.
 */
export function onUnhandledError(log: Logger, tell: Tell = tellThroughResponseUrl) {
  return async ({ error, body }: { error: CodedError; body?: AnyMiddlewareArgs['body'] }): Promise<void> => {
    const original = error.original ?? error;
    const context = { ...requestContext(body), boltCode: error.code };
    const { reference, reply } = explainFailure(log, original, context, 'unhandled error in a Slack request');
    const responseUrl = (body as { response_url?: unknown } | undefined)?.response_url;
    if (typeof responseUrl === 'string') {
      await tell(responseUrl, reply).catch((err: unknown) => log.warn({ err, reference, ...context }, 'could not tell the person about the failure'));
    }
    throw error;
  };
}
