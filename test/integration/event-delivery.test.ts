import { signRequest } from '../../src/dev/slack-sender';
import { startHarness, waitUntil, person, SIGNING_SECRET, type Harness } from '../helpers/harness';

const team = [person('U0CREATOR', 'Casey'), person('U0JUNIOR1', 'Jo'), person('U0JUNIOR2', 'Kim')];

describe('event delivery: signatures, redeliveries, storage failures', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ users: team });
  });
  afterAll(async () => h?.stop());

  const created = (id: string, name: string) => ({ type: 'channel_created', channel: { id, name, created: Math.floor(h.clock().getTime() / 1000), creator: 'U0CREATOR' } });
  const storedEvents = () => h.app.deps.db.slackEvent.count();

  it('refuses a forged signature with 401 and stores nothing', async () => {
    const before = await storedEvents();
    const res = await h.sender.event(created('C0FORGED1', 'inc-forged'), { signature: 'v0=' + '0'.repeat(64) });
    expect(res.status).toBe(401);
    expect(await storedEvents()).toBe(before);
  });

  it('refuses a timestamp older than 5 minutes with 401 and stores nothing', async () => {
    const before = await storedEvents();
    const res = await h.sender.event(created('C0STALE01', 'inc-stale'), { timestampSec: Math.floor(Date.now() / 1000) - 301 });
    expect(res.status).toBe(401);
    expect(await storedEvents()).toBe(before);
    expect(await h.app.deps.db.incident.count({ where: { channelId: 'C0STALE01' } })).toBe(0);
  });

  it('gives the same event delivered four times (retries, two of them concurrent) one effect', async () => {
    const channel = h.emulator.addChannel({ name: 'inc-retry-storm', creator: 'U0CREATOR' });
    const envelope = h.sender.envelope(created(channel.id, channel.name));
    const first = await h.sender.deliver(envelope);
    const [second, third] = await Promise.all([h.sender.deliver(envelope, { retryNum: 1 }), h.sender.deliver(envelope, { retryNum: 2, retryReason: 'http_error' })]);
    const fourth = await h.sender.deliver(envelope, { retryNum: 3 });
    expect([first.status, second.status, third.status, fourth.status]).toEqual([200, 200, 200, 200]);
    await h.emulator.waitFor((calls) => calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel.id).length >= 1);
    await waitUntil(async () => (await h.app.deps.db.delivery.count({ where: { key: { startsWith: 'welcome-dm:' + channel.id }, status: 'sent' } })) === 2, 'both welcome DMs');
    expect(h.emulator.callsTo('conversations.invite').filter((c) => c.args.channel === channel.id)).toHaveLength(2);
    expect(h.emulator.messagesTo(channel.id)).toHaveLength(1);
    expect(await h.app.deps.db.slackEvent.count({ where: { eventId: envelope.event_id as string } })).toBe(1);
  });

  it('does not acknowledge an event it cannot store, and takes Slack\'s redelivery', async () => {
    const channel = h.emulator.addChannel({ name: 'inc-db-hiccup', creator: 'U0CREATOR' });
    const envelope = h.sender.envelope(created(channel.id, channel.name));
    // The table disappearing is as good as the database refusing the write.
    await h.app.deps.pool.query('ALTER TABLE slack_events RENAME TO slack_events_away');
    let failed;
    try {
      failed = await h.sender.deliver(envelope);
    } finally {
      await h.app.deps.pool.query('ALTER TABLE slack_events_away RENAME TO slack_events');
    }
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(await h.app.deps.db.incident.count({ where: { channelId: channel.id } })).toBe(0);
    const retried = await h.sender.deliver(envelope, { retryNum: 1, retryReason: 'http_error' });
    expect(retried.status).toBe(200);
    await waitUntil(async () => (await h.app.deps.db.incident.count({ where: { channelId: channel.id, selectedAt: { not: null } } })) === 1, 'the incident from the redelivery');
  });

  it('acknowledges a malformed event payload without storing it', async () => {
    const before = await storedEvents();
    const res = await h.sender.event({ type: 'channel_created', channel: { id: 42, name: '' } });
    expect(res.status).toBe(200);
    expect(await storedEvents()).toBe(before);
  });

  it('answers a body that is not JSON from a signed request with 4xx, and the url_verification challenge', async () => {
    const body = '{"type": "event_callback", nope';
    const bad = await h.sender.raw(body, { 'content-type': 'application/json', ...signRequest(SIGNING_SECRET, body) });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    const challenge = JSON.stringify({ type: 'url_verification', token: 'x', challenge: 'abc123' });
    const ok = await h.sender.raw(challenge, { 'content-type': 'application/json', ...signRequest(SIGNING_SECRET, challenge) });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('abc123');
  });
});
