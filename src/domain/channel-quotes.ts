/**
 * What a prompt after the first quotes from the incident channel (SPEC.md section 5): the words,
 * and the pure choice of what to quote from readChannelContext's extract.
 */
import dayjs from 'dayjs';
import type { ChannelContext, LinkKind } from './channel-context';
import { safeZone } from './working-time';

/** What a prompt quotes from the channel, in the order it says it; built from readChannelContext. */
export type ChannelQuote =
  | { kind: 'link'; linkKind: LinkKind; site: string; url: string; user: string | null; time: string }
  | { kind: 'statement'; user: string | null; text: string; time: string }
  | { kind: 'most-active'; user: string; messages: number };

/** Names of the tools a link may point at, by host; the first that matches wins. */
const SITES: ReadonlyArray<[RegExp, string]> = [
  [/grafana/i, 'Grafana'], [/datadog/i, 'Datadog'], [/kibana/i, 'Kibana'], [/newrelic/i, 'New Relic'], [/honeycomb/i, 'Honeycomb'],
  [/splunk/i, 'Splunk'], [/sentry/i, 'Sentry'], [/loki/i, 'Loki'], [/prometheus/i, 'Prometheus'], [/cloudwatch|console\.aws/i, 'CloudWatch'],
  [/confluence|atlassian\.net\/wiki/i, 'Confluence'], [/notion\.so/i, 'Notion'],
];

/** "Grafana" for a Grafana URL; else what the link is ("dashboard", "logs", "runbook", "link"). */
export function linkSite(url: string, kind: LinkKind): string {
  let host = url;
  try {
    host = new URL(url).host + new URL(url).pathname;
  } catch {
    // a URL Slack accepted but URL() does not: match on the text as it is
  }
  return SITES.find(([pattern]) => pattern.test(host))?.[1] ?? kind;
}

/** A quoted statement is cut to this many characters: enough to recognise it, short enough for a DM. */
export const QUOTE_MAX_CHARS = 200;

/** Slack's `<url|label>`, `<@U…>` and `<#C…|name>` stay as they are; only the length is cut. */
const shorten = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= QUOTE_MAX_CHARS ? flat : `${flat.slice(0, QUOTE_MAX_CHARS - 1).trimEnd()}…`;
};

/**
 * What the next prompt quotes: the latest dashboard, logs and runbook links (the latest other
 * link only when there is none of those), the latest statement of a hypothesis or a change, and
 * who has posted most. Times in the learner's zone. Empty when the channel gave nothing.
 */
export function channelQuotes(context: ChannelContext, timeZone: string): ChannelQuote[] {
  const zone = safeZone(timeZone);
  const time = (at: Date) => dayjs(at).tz(zone).format('HH:mm');
  const latest = (kind: LinkKind) => context.links.filter((l) => l.kind === kind).at(-1);
  const named = (['dashboard', 'logs', 'runbook'] as const).flatMap((k) => latest(k) ?? []);
  const links = named.length > 0 ? named : context.links.slice(-1);
  const quotes: ChannelQuote[] = links
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((l) => ({ kind: 'link', linkKind: l.kind, site: linkSite(l.url, l.kind), url: l.url, user: l.user, time: time(l.at) }));
  if (context.lastStatement) quotes.push({ kind: 'statement', user: context.lastStatement.user, text: shorten(context.lastStatement.text), time: time(context.lastStatement.at) });
  if (context.mostActive && context.mostActive.messages > 1) quotes.push({ kind: 'most-active', user: context.mostActive.user, messages: context.mostActive.messages });
  return quotes;
}

/** The words of each quote; `who` and `link` come formatted by the Block Kit builder. */
export const CHANNEL_COPY = {
  heading: 'From the channel',
  someone: 'Someone',
  link: (who: string, kind: LinkKind, site: string, link: string, time: string): string => {
    switch (kind) {
      case 'dashboard':
        return `${who} shared a ${site === 'dashboard' ? 'dashboard' : site} link at ${time} (${link}): what is its y-axis, and when did the line move?`;
      case 'logs':
        return `${who} shared ${site === 'logs' ? 'logs' : `${site} logs`} at ${time} (${link}): which error shows up most, and since when?`;
      case 'runbook':
        return `${who} linked a runbook at ${time} (${link}): which step are the responders on?`;
      default:
        return `${who} shared a link at ${time} (${link}): what does it show, and why does it matter here?`;
    }
  },
  statement: (who: string, text: string, time: string): string => `At ${time} ${who} wrote: “${text}” What would confirm or rule that out?`,
  mostActive: (who: string, messages: number): string => `${who} has posted most since you joined (${messages} messages): likely the person to follow.`,
};

