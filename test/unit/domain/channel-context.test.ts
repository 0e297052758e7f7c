import { channelWasSilent, contextMessage, findPostmortemLink, hasContext, linkKind, readChannelContext, type ChannelBookmark, type ContextMessage, type SlackMessageShape } from '../../../src/domain/channel-context';
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

/** Slack's own payloads (test/fixtures/slack), read the way the gateway reads them. */
const pinsFixture = () => readFixture<{ items: Array<{ message: SlackMessageShape }> }>('docs.slack.dev/examples/pins.list.success.json').items.map((i) => contextMessage(i.message));
const bookmarkFixture = (): ChannelBookmark => {
  const b = readFixture<{ bookmarks: Array<{ title: string; link: string; last_updated_by_user_id: string; date_created: number }> }>('docs.slack.dev/examples/bookmarks.list.success.json').bookmarks[0]!;
  return { title: b.title, url: b.link, user: b.last_updated_by_user_id, at: new Date(b.date_created * 1000) };
};

describe('contextMessage on real message shapes', () => {
  it('counts a channel_join system message (message.channel_join envelope) as nobody writing', () => {
    const event = readFixture<{ event: SlackMessageShape }>('slack-docs-pages/message.channel_join.envelope.json').event;
    const m = contextMessage(event);
    expect(m).toEqual({ ts: '1358877458.000011', user: 'U2147483828', text: '<@U2147483828|cal> has joined the channel', fromBot: true });
    expect(channelWasSilent([m], new Date(0))).toBe(true);
    expect(readChannelContext([m])).toEqual({ links: [], lastStatement: null, mostActive: null, humanMessages: 0 });
  });

  it("reads pins.list's pinned messages as a person's, and chat.postMessage's bot message as not", () => {
    expect(pinsFixture().map((p) => p.fromBot)).toEqual([false, false]);
    const bot = readFixture<{ message: SlackMessageShape }>('docs.slack.dev/examples/chat.postMessage.success.json').message;
    expect(contextMessage(bot).fromBot).toBe(Boolean(bot.bot_id));
  });
});

describe('readChannelContext with pins and bookmarks', () => {
  it('adds bookmark links (the title as label) and links in pinned messages, in time order, without counting them as posts', () => {
    const bookmark = { ...bookmarkFixture(), title: 'Checkout dashboard', url: 'https://grafana.example.com/d/xyz/checkout' };
    const pinned: ContextMessage = { ts: '1700000010.000100', user: 'U0ANA', text: 'logs <https://kibana.example.com/app/discover>', fromBot: false };
    const context = readChannelContext([msg(1700000100, 'U0SAM', 'I think it is the cache')], { pins: [pinned], bookmarks: [bookmark] });
    expect(context.links.map((l) => [l.kind, l.url, l.label, l.user])).toEqual([
      ['dashboard', 'https://grafana.example.com/d/xyz/checkout', 'Checkout dashboard', 'U0334B6G6G5'],
      ['logs', 'https://kibana.example.com/app/discover', null, 'U0ANA'],
    ]);
    expect(context.humanMessages).toBe(1);
    expect(context.mostActive).toEqual({ user: 'U0SAM', messages: 1 });
  });

  it('has context when there is a link, a statement or someone posting; not for a channel of bots', () => {
    expect(hasContext(readChannelContext([msg(1, 'B0BOT', 'Deployed', true)]))).toBe(false);
    expect(hasContext(readChannelContext([], { bookmarks: [bookmarkFixture()] }))).toBe(true);
    expect(hasContext(readChannelContext([msg(1, 'U0SAM', 'ok')]))).toBe(true);
  });
});

describe('findPostmortemLink', () => {
  it('finds a bookmark titled postmortem, post-mortem, incident review or retro, and nothing in Slack\'s example bookmark', () => {
    expect(findPostmortemLink([], { bookmarks: [bookmarkFixture()] })).toBeNull();
    for (const title of ['Postmortem', 'Post-mortem: checkout', 'Incident review #42', 'Retro notes', 'post mortem']) {
      const found = findPostmortemLink([], { bookmarks: [{ ...bookmarkFixture(), title }] });
      expect(found).toMatchObject({ url: 'https://google.com', title, source: 'bookmark', user: 'U0334B6G6G5' });
    }
    expect(findPostmortemLink([], { bookmarks: [{ ...bookmarkFixture(), title: 'Retrofit dashboard' }] })).toBeNull();
  });

  it('finds a pinned message with one, then the most recent human message with one', () => {
    const pins = pinsFixture();
    expect(findPostmortemLink([], { pins })).toBeNull();
    const pinned = { ...pins[0]!, text: 'The postmortem is here: <https://docs.example.com/pm/42>' };
    expect(findPostmortemLink([], { pins: [pinned] })).toMatchObject({ url: 'https://docs.example.com/pm/42', source: 'pin', user: 'U123ABC456' });
    const messages = [
      msg(1, 'U0SAM', 'draft <https://docs.example.com/incident-review/1|Incident review draft>'),
      msg(2, 'U0ANA', 'Final: <https://docs.example.com/d/2|post-mortem>'),
      msg(3, 'B0BOT', 'Retro: <https://bot.example.com/x>', true),
      msg(4, 'U0BOB', 'graphs <https://grafana.example.com/d/1> and <https://kibana.example.com/2> for the retro'),
    ];
    expect(findPostmortemLink(messages)).toMatchObject({ url: 'https://docs.example.com/d/2', title: 'post-mortem', source: 'message', user: 'U0ANA' });
  });
});
