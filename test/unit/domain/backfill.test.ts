import {
  backfilledIncident,
  emptyReading,
  heavyUnclassified,
  parseSince,
  readHistoryPage,
  whyNotBackfilled,
  type ListedChannel,
} from '../../../src/domain/backfill';
import { progressBar, progressSteps, summaryText } from '../../../src/domain/backfill-text';

const BOT = 'U0BOT';
const NOW = new Date('2026-11-25T09:00:00Z');
const DAY = 86_400_000;
const PATTERN = /^(inc|incident)[-_]/i;

function channel(extra: Partial<ListedChannel> = {}): ListedChannel {
  return { id: 'C1', name: 'inc-db', isPrivate: false, isArchived: false, isMember: true, isExtShared: false, creator: 'U0A', created: (NOW.getTime() - 10 * DAY) / 1000, updated: null, topic: '', purpose: '', ...extra };
}

describe('whyNotBackfilled', () => {
  const since = new Date(NOW.getTime() - 365 * DAY);
  it('takes incident channels of the period, and leaves the others with a reason', () => {
    expect(whyNotBackfilled(channel(), PATTERN, since, NOW)).toBeNull();
    expect(whyNotBackfilled(channel({ name: 'general' }), PATTERN, since, NOW)).toBe('not_incident');
    expect(whyNotBackfilled(channel({ isExtShared: true }), PATTERN, since, NOW)).toBe('shared');
    expect(whyNotBackfilled(channel({ created: (since.getTime() - 1000) / 1000 }), PATTERN, since, NOW)).toBe('too_old');
    // the last hour belongs to the live app
    expect(whyNotBackfilled(channel({ created: (NOW.getTime() - 30 * 60_000) / 1000 }), PATTERN, since, NOW)).toBe('too_recent');
  });
});

describe('readHistoryPage and backfilledIncident', () => {
  const created = (NOW.getTime() - 10 * DAY) / 1000;
  const ts = (minutes: number) => `${created + minutes * 60}.000100`;
  const page = [
    { user: 'U0A', ts: ts(30), subtype: null, botId: null },
    { user: 'U0B', ts: ts(5), subtype: 'channel_join', botId: null },
    { user: 'U0C', ts: ts(20), subtype: 'thread_broadcast', botId: null },
    { user: BOT, ts: ts(10), subtype: null, botId: 'B0BOT' },
    { user: 'U0PAGER', ts: ts(90), subtype: 'bot_message', botId: 'B0PAGER' },
    { user: 'U0GONE', ts: ts(15), subtype: null, botId: null },
  ];

  it('counts people who wrote, not joins or bots, and the newest message of any kind', () => {
    const reading = emptyReading();
    readHistoryPage(reading, page, BOT);
    expect([...reading.posters].sort()).toEqual(['U0A', 'U0C', 'U0GONE']);
    expect(reading.lastMessageAt).toBe((created + 90 * 60) * 1000);
  });

  it('writers are responders, watchers learners, and whoever wrote and left is there too; resolved at the last message', () => {
    const reading = emptyReading();
    readHistoryPage(reading, page, BOT);
    const incident = backfilledIncident(channel(), ['U0A', 'U0B', 'U0C', BOT], reading, BOT);
    expect(Object.fromEntries(incident.roles)).toEqual({ U0A: 'responder', U0B: 'learner', U0C: 'responder', U0GONE: 'responder' });
    expect(incident.openedAt).toEqual(new Date(created * 1000));
    expect(incident.resolvedAt).toEqual(new Date((created + 90 * 60) * 1000));
  });

  it('an archived channel resolves at its archiving; without history every member is a responder and an open channel stays open', () => {
    const archivedAt = (created + 3600) * 1000;
    expect(backfilledIncident(channel({ isArchived: true, updated: archivedAt }), ['U0A'], null, BOT).resolvedAt).toEqual(new Date(archivedAt));
    const unread = backfilledIncident(channel({ isMember: false }), ['U0A', 'U0B'], null, BOT);
    expect(Object.fromEntries(unread.roles)).toEqual({ U0A: 'responder', U0B: 'responder' });
    expect(unread.resolvedAt).toBeNull();
  });
});

describe('parseSince', () => {
  it('reads days, weeks and months of 30 days, from 1 day to 10 years', () => {
    expect(parseSince('365d')).toBe(365 * DAY);
    expect(parseSince('2w')).toBe(14 * DAY);
    expect(parseSince('12m')).toBe(360 * DAY);
    for (const bad of ['', '0d', '365', 'd', '1y', '3651d', '-5d', '1.5d']) expect(parseSince(bad)).toBeNull();
  });
});

describe('heavyUnclassified', () => {
  it('names people with 5 or more fires whose level says nothing yet (unknown, junior, or not in the roster), most fires first', () => {
    const people = [
      { slackId: 'U1', name: 'A', level: 'junior', fires: 5 },
      { slackId: 'U2', name: 'B', level: 'unknown', fires: 9 },
      { slackId: 'U3', name: 'C', level: 'senior', fires: 30 },
      { slackId: 'U4', name: 'D', level: 'junior', fires: 4 },
      { slackId: 'U5', name: 'E', level: null, fires: 6 },
    ];
    expect(heavyUnclassified(people).map((p) => p.slackId)).toEqual(['U2', 'U5', 'U1']);
  });
});

describe('backfill text', () => {
  it('a progress bar on a terminal, and one line per 10% otherwise', () => {
    expect(progressBar(15, 30)).toBe(`backfill [${'#'.repeat(15)}${'-'.repeat(15)}] 15/30 channels`);
    const lines = Array.from({ length: 300 }, (_, i) => progressSteps(i + 1, 300)).flat();
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('backfill: 10% (30/300 channels)');
    expect(lines[9]).toBe('backfill: 100% (300/300 channels)');
    // fewer channels than steps: still each 10% once
    expect(Array.from({ length: 3 }, (_, i) => progressSteps(i + 1, 3)).flat()).toHaveLength(10);
  });

  it('the summary names the skipped channels, the unread ones and the admin command for each heavy responder', () => {
    const text = summaryText({
      dryRun: false, channelsSeen: 12, incidentChannels: 9, incidents: 6, participations: 30, alreadyBackfilled: 1, recordedLive: 1, tooOld: 2,
      skipped: [{ channelId: 'C9', name: 'inc-x', reason: 'conversations.members: ratelimited' }],
      historyUnread: [{ channelId: 'C8', name: 'inc-y', reason: 'the app is not a member' }],
      listStopped: null,
      heavy: [{ slackId: 'U0KIM', name: 'Kim Lee', level: 'junior', fires: 7 }],
    });
    expect(text).toContain('Channels seen: 12; incident channels in the period: 9.');
    expect(text).toContain('Incidents recorded: 6; participations recorded: 30.');
    expect(text).toContain('Not read again: 1 channel recorded by an earlier backfill; 1 channel the app recorded live (left as they are); 2 incident channels older than --since.');
    expect(text).toContain('  #inc-x (C9): conversations.members: ratelimited');
    expect(text).toContain('  #inc-y (C8): the app is not a member');
    expect(text).toContain('/volunteer admin level @KimLee senior    # Kim Lee (U0KIM): 7 past fires, level junior');
  });
});
