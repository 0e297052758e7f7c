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

export type LinkKind = 'dashboard' | 'logs' | 'runbook' | 'link';

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

/** Reads the channel's messages (any order) into what a prompt can quote. */
export function readChannelContext(messages: readonly ContextMessage[]): ChannelContext {
  const ordered = [...messages].sort((a, b) => Number(a.ts) - Number(b.ts));
  const links: SharedLink[] = [];
  const seen = new Set<string>();
  let lastStatement: ChannelContext['lastStatement'] = null;
  const counts = new Map<string, number>();
  let humanMessages = 0;
  for (const m of ordered) {
    const at = tsToDate(m.ts);
    for (const match of m.text.matchAll(SLACK_LINK)) {
      const url = match[1]!;
      if (seen.has(url)) continue;
      seen.add(url);
      links.push({ url, label: match[2]?.trim() || null, kind: linkKind(url), user: m.user, at });
    }
    if (m.fromBot || !m.user) continue;
    humanMessages++;
    counts.set(m.user, (counts.get(m.user) ?? 0) + 1);
    if (isStatement(m.text)) lastStatement = { user: m.user, text: m.text, at };
  }
  let mostActive: ChannelContext['mostActive'] = null;
  for (const [user, n] of counts) if (!mostActive || n > mostActive.messages) mostActive = { user, messages: n };
  return { links, lastStatement, mostActive, humanMessages };
}

/** A prompt is skipped when nobody (human) wrote in the channel since the previous one. */
export function channelWasSilent(messages: readonly ContextMessage[], since: Date): boolean {
  return !messages.some((m) => !m.fromBot && m.user && tsToDate(m.ts) > since);
}
