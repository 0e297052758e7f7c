/**
 * What a learner's next prompt can point at, read from the incident channel since they joined
 * (issue "From watching to leading", prompts that follow the channel). Pure: messages in, a few
 * facts out. The channel's text is used to compose one DM and never stored.
 */

export interface ContextMessage {
  /** Slack message ts ("1700000000.000100"): seconds, the message's id */
  ts: string;
  user: string | null;
  text: string;
  fromBot: boolean;
}

/**
 * Message subtypes written by a person; every other subtype (channel_join, channel_topic,
 * bot_message, …) is the system's or an app's, and says nothing about what the responders do.
 */
const HUMAN_SUBTYPES = new Set(['thread_broadcast', 'file_share', 'me_message']);

/** A message as conversations.history, pins.list and the `message` event carry it. */
export interface SlackMessageShape {
  ts?: string;
  user?: string;
  text?: string;
  bot_id?: string;
  subtype?: string;
}

/** What the extractor reads of a Slack message: a bot's, an app's or the system's counts as not a person's. */
export const contextMessage = (m: SlackMessageShape): ContextMessage => ({
  ts: m.ts ?? '0',
  user: m.user ?? null,
  text: m.text ?? '',
  fromBot: Boolean(m.bot_id) || (m.subtype !== undefined && !HUMAN_SUBTYPES.has(m.subtype)),
});

export type LinkKind = 'dashboard' | 'logs' | 'runbook' | 'link';

/** A link in the channel's header (bookmarks.list). */
export interface ChannelBookmark {
  title: string;
  url: string;
  user: string | null;
  at: Date;
}

/** What else the channel holds beside its messages, where the app may read it (scopes pins:read, bookmarks:read). */
export interface ChannelExtras {
  pins?: readonly ContextMessage[];
  bookmarks?: readonly ChannelBookmark[];
}

export interface SharedLink {
  url: string;
  /** the text Slack shows for it (`<url|label>`), if any */
  label: string | null;
  kind: LinkKind;
  user: string | null;
  at: Date;
}

export interface ChannelContext {
  /** links in the order they were posted, at most one per URL */
  links: SharedLink[];
  /** the most recent message that states a hypothesis, a change or a finding */
  lastStatement: { user: string | null; text: string; at: Date } | null;
  /** the human who posted most (ties: who posted first) */
  mostActive: { user: string; messages: number } | null;
  /** human messages counted */
  humanMessages: number;
}

/** Hosts and paths that name what a link shows; the first that matches wins. Documented in SPEC.md. */
const LINK_KINDS: ReadonlyArray<{ kind: LinkKind; pattern: RegExp }> = [
  { kind: 'runbook', pattern: /runbook|playbook|wiki|confluence|notion\.so|docs\./i },
  { kind: 'logs', pattern: /kibana|logs?[./]|loki|splunk|papertrail|logtail|elastic|cloudwatch.*log|sentry/i },
  { kind: 'dashboard', pattern: /grafana|datadog|newrelic|honeycomb|prometheus|dashboard|\/d\/|chronograf|signalfx|lightstep|cloudwatch/i },
];

/** Phrases that state a hypothesis, a change or a finding (documented in SPEC.md). */
export const STATEMENT_PHRASES = [
  'i think', 'i suspect', 'looks like', 'seems like', 'might be', 'could be', 'probably', 'root cause', 'caused by',
  'rolled back', 'rolling back', 'rollback', 'reverted', 'deployed', 'deploying', 'restarted', 'failed over', 'scaled',
  'went out', 'shipped', 'fixed', 'mitigated', 'found',
];
const STATEMENT = new RegExp(`\\b(?:${STATEMENT_PHRASES.map((p) => p.replace(/ /g, '\\s+')).join('|')})\\b`, 'i');

/** Whether a message states a hypothesis, a change or a finding. */
export const isStatement = (text: string): boolean => STATEMENT.test(text);

/** Slack writes links as `<https://…>` or `<https://…|label>`; user mentions `<@U…>` are not links. */
const SLACK_LINK = /<(https?:\/\/[^|>\s]+)(?:\|([^>]*))?>/g;

export const tsToDate = (ts: string): Date => new Date(Math.round(Number(ts) * 1000));

export function linkKind(url: string): LinkKind {
  return LINK_KINDS.find((k) => k.pattern.test(url))?.kind ?? 'link';
}

/**
 * Reads the channel's messages (any order) into what a prompt can quote. Pinned messages and
 * bookmarks add links (a bookmark's title is its label) but never count as someone posting.
 */
export function readChannelContext(messages: readonly ContextMessage[], extras: ChannelExtras = {}): ChannelContext {
  const ordered = [...messages].sort((a, b) => Number(a.ts) - Number(b.ts));
  const links: SharedLink[] = [];
  const seen = new Set<string>();
  for (const b of extras.bookmarks ?? []) {
    if (seen.has(b.url)) continue;
    seen.add(b.url);
    links.push({ url: b.url, label: b.title.trim() || null, kind: linkKind(b.url), user: b.user, at: b.at });
  }
  const linksIn = (m: ContextMessage) => {
    for (const match of m.text.matchAll(SLACK_LINK)) {
      const url = match[1]!;
      if (seen.has(url)) continue;
      seen.add(url);
      links.push({ url, label: match[2]?.trim() || null, kind: linkKind(url), user: m.user, at: tsToDate(m.ts) });
    }
  };
  for (const pin of extras.pins ?? []) linksIn(pin);
  let lastStatement: ChannelContext['lastStatement'] = null;
  const counts = new Map<string, number>();
  let humanMessages = 0;
  for (const m of ordered) {
    const at = tsToDate(m.ts);
    linksIn(m);
    if (m.fromBot || !m.user) continue;
    humanMessages++;
    counts.set(m.user, (counts.get(m.user) ?? 0) + 1);
    if (isStatement(m.text)) lastStatement = { user: m.user, text: m.text, at };
  }
  let mostActive: ChannelContext['mostActive'] = null;
  for (const [user, n] of counts) if (!mostActive || n > mostActive.messages) mostActive = { user, messages: n };
  links.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { links, lastStatement, mostActive, humanMessages };
}

/** Whether a prompt has anything from the channel to quote; if not, it keeps its usual text. */
export const hasContext = (context: ChannelContext): boolean => context.links.length > 0 || context.lastStatement !== null || context.mostActive !== null;

/**
 * Words that name a postmortem in a bookmark's or pin's title, a link's label or URL, or a
 * message (SPEC.md section "Growth"): postmortem, post-mortem, post mortem, incident review,
 * retro, retrospective.
 */
export const POSTMORTEM = /(?:^|[^a-z])(?:post[\s_-]?mortem|incident[\s_-]+review|retro(?:spective)?)(?:$|[^a-z])/i;

export interface PostmortemLink {
  url: string;
  /** the bookmark's title or the link's label, if any */
  title: string | null;
  source: 'bookmark' | 'pin' | 'message';
  user: string | null;
  at: Date;
}

/** The links in one message, with their labels. */
function messageLinks(m: ContextMessage): Array<{ url: string; label: string | null }> {
  return [...m.text.matchAll(SLACK_LINK)].map((match) => ({ url: match[1]!, label: match[2]?.trim() || null }));
}

/** A message's postmortem link: a link named so (label or URL), else its only link when the message names one. */
function postmortemIn(m: ContextMessage): { url: string; label: string | null } | null {
  const links = messageLinks(m);
  const named = links.find((l) => POSTMORTEM.test(l.url) || (l.label !== null && POSTMORTEM.test(l.label)));
  if (named) return named;
  return links.length === 1 && POSTMORTEM.test(m.text.replace(SLACK_LINK, ' ')) ? links[0]! : null;
}

/**
 * The incident's postmortem, if the channel shows one: a bookmark titled so first (the header is
 * where teams put it), then a pinned message, then the most recent human message with one.
 */
export function findPostmortemLink(messages: readonly ContextMessage[], extras: ChannelExtras = {}): PostmortemLink | null {
  const bookmark = (extras.bookmarks ?? []).find((b) => POSTMORTEM.test(b.title) || POSTMORTEM.test(b.url));
  if (bookmark) return { url: bookmark.url, title: bookmark.title.trim() || null, source: 'bookmark', user: bookmark.user, at: bookmark.at };
  for (const pin of extras.pins ?? []) {
    const link = postmortemIn(pin);
    if (link) return { url: link.url, title: link.label, source: 'pin', user: pin.user, at: tsToDate(pin.ts) };
  }
  const newestFirst = [...messages].filter((m) => !m.fromBot).sort((a, b) => Number(b.ts) - Number(a.ts));
  for (const m of newestFirst) {
    const link = postmortemIn(m);
    if (link) return { url: link.url, title: link.label, source: 'message', user: m.user, at: tsToDate(m.ts) };
  }
  return null;
}

/** A prompt is skipped when nobody (human) wrote in the channel since the previous one (from that moment on). */
export function channelWasSilent(messages: readonly ContextMessage[], since: Date): boolean {
  return !messages.some((m) => !m.fromBot && m.user && tsToDate(m.ts) >= since);
}
