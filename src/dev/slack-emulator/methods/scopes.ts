/**
 * The bot scopes a method needs, for the emulator's `missing_scope` answer when it is started
 * with `scopes` (SlackEmulatorOptions). Only methods whose scope an app can reasonably lack are
 * listed: any one of a method's scopes lets the call through, as on docs.slack.dev/reference.
 * pins.list: pins:read; bookmarks.list: bookmarks:read; conversations.history: the history
 * scope of the conversation's type (one of them is enough here).
 */
import { fail, type Reply } from '../wire';

export const METHOD_SCOPES: Record<string, readonly string[]> = {
  'pins.list': ['pins:read'],
  'bookmarks.list': ['bookmarks:read'],
  'conversations.history': ['channels:history', 'groups:history', 'im:history', 'mpim:history'],
};

/** Slack's answer to a token without the scope: `{ok:false, error:'missing_scope', needed, provided}`. */
export function scopeRefusal(method: string, granted: readonly string[] | undefined): Reply | undefined {
  const needed = METHOD_SCOPES[method];
  if (!granted || !needed || needed.some((s) => granted.includes(s))) return undefined;
  return fail('missing_scope', { needed: needed[0], provided: granted.join(',') });
}
