import type { Deps } from '../deps';
import { channelWasSilent, hasContext, readChannelContext, type ChannelBookmark, type ContextMessage } from '../domain/channel-context';
import { channelQuotes, type ChannelQuote } from '../domain/prompts';
import { RetryableError } from '../errors';

/**
 * Prompts that follow the channel (SPEC.md section 5): before prompt 2 onward, the channel is read
 * since the learner joined (conversations.history, plus pins.list and bookmarks.list where the
 * scopes allow) and reduced to what the prompt quotes. A channel nobody wrote in since the
 * previous prompt was due skips this one.
 *
 * The channel's text lives only in this call: it is turned into the quotes of one DM and dropped.
 * Nothing here stores it or logs it (logs carry counts only).
 */
export type PromptReading = { silent: true } | { silent: false; quotes: ChannelQuote[] };

export interface PromptReadingInput {
  channelId: string;
  /** 1-based; the first prompt is never read for, nor skipped */
  number: number;
  joinedAt: Date;
  /** when the previous prompt was due; silence is counted from here */
  previousDueAt: Date | null;
  /** the learner's, for the times quoted */
  timeZone: string;
  log: Deps['log'];
}

/** Slack's timestamps are on the wall clock; the app's clock is a parameter (tests, the demo). */
export function clocks(deps: Pick<Deps, 'clock'>) {
  const skewMs = Date.now() - deps.clock().getTime();
  return {
    toWall: (appTime: Date) => new Date(appTime.getTime() + skewMs),
    message: (m: ContextMessage): ContextMessage => ({ ...m, ts: ((Number(m.ts) * 1000 - skewMs) / 1000).toFixed(6) }),
    bookmark: (b: ChannelBookmark): ChannelBookmark => ({ ...b, at: new Date(b.at.getTime() - skewMs) }),
  };
}

export async function readPromptContext(deps: Pick<Deps, 'slack' | 'clock'>, input: PromptReadingInput): Promise<PromptReading> {
  if (input.number <= 1) return { silent: false, quotes: [] };
  const clock = clocks(deps);
  const history = await deps.slack.channelMessages(input.channelId, clock.toWall(input.joinedAt));
  if (!history.ok) {
    if (history.retryable) throw new RetryableError(history.error, `conversations.history of ${input.channelId} failed for now`);
    // Not in the channel any more, or no history scope: the prompt cannot tell silence from talk, so it keeps its usual text.
    input.log.warn({ channel: input.channelId, error: history.error }, 'could not read the channel for a prompt; sending the usual text');
    return { silent: false, quotes: [] };
  }
  const messages = history.value.map(clock.message);
  if (channelWasSilent(messages, input.previousDueAt ?? input.joinedAt)) {
    input.log.info({ channel: input.channelId, prompt: input.number, messages: messages.length }, 'prompt skipped: nobody wrote in the channel since the previous one');
    return { silent: true };
  }
  // Pins and bookmarks are extras: without their scopes (missing_scope) the prompt still quotes the messages.
  const pins = await deps.slack.pinnedMessages(input.channelId);
  const bookmarks = await deps.slack.channelBookmarks(input.channelId);
  const context = readChannelContext(messages, {
    pins: pins.ok ? pins.value.map(clock.message) : [],
    bookmarks: bookmarks.ok ? bookmarks.value.map(clock.bookmark) : [],
  });
  const quotes = hasContext(context) ? channelQuotes(context, input.timeZone) : [];
  input.log.info(
    { channel: input.channelId, prompt: input.number, messages: messages.length, links: context.links.length, quotes: quotes.length, pins: pins.ok ? 'read' : pins.error, bookmarks: bookmarks.ok ? 'read' : bookmarks.error },
    'channel read for a prompt',
  );
  return { silent: false, quotes };
}
