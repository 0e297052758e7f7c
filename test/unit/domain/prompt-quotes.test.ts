import { readChannelContext, type ContextMessage } from '../../../src/domain/channel-context';
import { channelQuotes, linkSite, QUOTE_MAX_CHARS } from '../../../src/domain/prompts';

const msg = (iso: string, user: string | null, text: string, fromBot = false): ContextMessage => ({ ts: (new Date(iso).getTime() / 1000).toFixed(6), user, text, fromBot });

describe('channelQuotes', () => {
  it('quotes the latest dashboard, logs and runbook links, the latest statement and who posts most, at times in the learner\'s zone', () => {
    const context = readChannelContext([
      msg('2026-11-25T09:01:00Z', 'U0SAM', 'old graph <https://grafana.example.com/d/old>'),
      msg('2026-11-25T09:04:00Z', 'U0SAM', 'p99: <https://grafana.example.com/d/abc|latency>'),
      msg('2026-11-25T09:05:00Z', 'U0ANA', 'runbook <https://wiki.example.com/runbooks/checkout>'),
      msg('2026-11-25T09:06:00Z', 'U0SAM', 'Rolled back to v41'),
      msg('2026-11-25T09:07:00Z', 'U0SAM', 'watching'),
    ]);
    expect(channelQuotes(context, 'Europe/Berlin')).toEqual([
      { kind: 'link', linkKind: 'dashboard', site: 'Grafana', url: 'https://grafana.example.com/d/abc', user: 'U0SAM', time: '10:04' },
      { kind: 'link', linkKind: 'runbook', site: 'runbook', url: 'https://wiki.example.com/runbooks/checkout', user: 'U0ANA', time: '10:05' },
      { kind: 'statement', user: 'U0SAM', text: 'Rolled back to v41', time: '10:06' },
      { kind: 'most-active', user: 'U0SAM', messages: 4 },
    ]);
  });

  it('quotes an unnamed link only when there is no dashboard, logs or runbook; nobody as most active after one message', () => {
    const context = readChannelContext([msg('2026-11-25T09:04:00Z', 'U0SAM', 'see <https://github.com/org/repo/pull/1>')]);
    expect(channelQuotes(context, 'Asia/Tokyo')).toEqual([{ kind: 'link', linkKind: 'link', site: 'link', url: 'https://github.com/org/repo/pull/1', user: 'U0SAM', time: '18:04' }]);
  });

  it('cuts a long statement and quotes nothing from an empty channel', () => {
    const long = `I think ${'x'.repeat(400)}`;
    const [quote] = channelQuotes(readChannelContext([msg('2026-11-25T09:04:00Z', 'U0SAM', long)]), 'UTC');
    expect(quote).toMatchObject({ kind: 'statement' });
    expect((quote as { text: string }).text).toHaveLength(QUOTE_MAX_CHARS);
    expect(channelQuotes(readChannelContext([]), 'UTC')).toEqual([]);
  });
});

describe('linkSite', () => {
  it.each([
    ['https://grafana.example.com/d/abc', 'dashboard', 'Grafana'],
    ['https://app.datadoghq.com/dashboard/x', 'dashboard', 'Datadog'],
    ['https://kibana.example.com/app', 'logs', 'Kibana'],
    ['https://metrics.example.com/dashboard/1', 'dashboard', 'dashboard'],
  ] as const)('%s is %s', (url, kind, site) => {
    expect(linkSite(url, kind)).toBe(site);
  });
});
