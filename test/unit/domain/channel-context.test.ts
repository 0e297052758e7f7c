import { channelWasSilent, linkKind, readChannelContext, type ContextMessage } from '../../../src/domain/channel-context';
import { readFixture } from '../../helpers/fixtures';

const msg = (ts: number, user: string | null, text: string, fromBot = false): ContextMessage => ({ ts: `${ts}.000100`, user, text, fromBot });

describe('readChannelContext', () => {
  it('collects links with their kind, who shared them and when, once per URL', () => {
    const context = readChannelContext([
      msg(1700000100, 'U0SAM', 'p99 is up: <https://grafana.example.com/d/abc/checkout?orgId=1|checkout latency>'),
      msg(1700000050, 'U0ANA', 'logs: <https://kibana.example.com/app/discover#/q> and runbook <https://wiki.example.com/runbooks/db-failover>'),
      msg(1700000200, 'U0ANA', 'same again <https://grafana.example.com/d/abc/checkout?orgId=1>'),
      msg(1700000300, 'U0BOB', 'ping <@U0SAM> and <#C0123|general>'),
    ]);
    expect(context.links).toEqual([
      { url: 'https://kibana.example.com/app/discover#/q', label: null, kind: 'logs', user: 'U0ANA', at: new Date(1700000050000) },
      { url: 'https://wiki.example.com/runbooks/db-failover', label: null, kind: 'runbook', user: 'U0ANA', at: new Date(1700000050000) },
      { url: 'https://grafana.example.com/d/abc/checkout?orgId=1', label: 'checkout latency', kind: 'dashboard', user: 'U0SAM', at: new Date(1700000100000) },
    ]);
  });

  it('keeps the most recent human statement of a hypothesis or change, and who posts most', () => {
    const context = readChannelContext([
      msg(1, 'U0SAM', 'I think the new index is missing'),
      msg(2, 'U0ANA', 'checking'),
      msg(3, 'U0SAM', 'Rolled back to v41, watching'),
      msg(4, 'B0BOT', 'Deployed v42 (automation)', true),
      msg(5, 'U0ANA', 'ok'),
      msg(6, 'U0SAM', 'thanks'),
    ]);
    expect(context.lastStatement).toEqual({ user: 'U0SAM', text: 'Rolled back to v41, watching', at: new Date(3000) });
    expect(context.mostActive).toEqual({ user: 'U0SAM', messages: 3 });
    expect(context.humanMessages).toBe(5);
  });

  it('finds nothing in a quiet channel', () => {
    expect(readChannelContext([])).toEqual({ links: [], lastStatement: null, mostActive: null, humanMessages: 0 });
  });

  it("reads Slack's own chat.postMessage example message", () => {
    const example = readFixture<{ message: { ts: string; user?: string; bot_id?: string; text: string } }>('docs.slack.dev/examples/chat.postMessage.success.json').message;
    const context = readChannelContext([{ ts: example.ts, user: example.user ?? null, text: example.text, fromBot: Boolean(example.bot_id) }]);
    expect(context.links).toEqual([]);
    expect(context.humanMessages).toBe(example.bot_id ? 0 : 1);
  });
});

describe('linkKind', () => {
  it.each([
    ['https://app.datadoghq.com/dashboard/xyz', 'dashboard'],
    ['https://company.grafana.net/d/uid/name', 'dashboard'],
    ['https://eu.logtail.com/team/1', 'logs'],
    ['https://company.atlassian.net/wiki/spaces/OPS/pages/1/Runbook', 'runbook'],
    ['https://github.com/org/repo/pull/1', 'link'],
  ])('%s is a %s', (url, kind) => {
    expect(linkKind(url)).toBe(kind);
  });
});

describe('channelWasSilent', () => {
  const since = new Date(2000);
  it('is silent when only bots wrote, or nobody since', () => {
    expect(channelWasSilent([msg(1, 'U0SAM', 'earlier'), msg(3, 'B0BOT', 'status', true)], since)).toBe(true);
  });
  it('is not silent when a human wrote since', () => {
    expect(channelWasSilent([msg(3, 'U0SAM', 'news')], since)).toBe(false);
  });
});
