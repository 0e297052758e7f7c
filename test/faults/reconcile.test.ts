import { deliveryLedger, findDelivery, planDeliveries } from '../../src/db/deliveries';
import { LEDGER_LEASE_MS } from '../../src/db/ledger';
import { deliverOnce, type DeliverOptions, type Send } from '../../src/flows/deliver';
import { DELIVERY_METADATA_TYPE, type DeliveryContext } from '../../src/slack/gateway';
import { person, startHarness, type Harness } from '../helpers/harness';

/**
 * The once-only ledger across a crash (SPEC.md section 8): a worker that claimed a key and died
 * may or may not have reached Slack. Whoever takes the stale claim over looks for the effect in
 * Slack (message metadata in conversations.history, channel membership) and sends only if it is
 * not there. A live worker keeps its claim fresh, so nobody takes it over while it waits on Slack.
 */
const team = [person('U0CREATOR', 'Casey'), person('U0LEARNER', 'Lee'), person('U0OTHER01', 'Ola')];

describe('deliverOnce after a worker died mid-call', () => {
  let h: Harness;
  let channel: string;
  let n = 0;
  beforeAll(async () => {
    h = await startHarness({ users: team });
    channel = h.emulator.addChannel({ name: 'inc-ledger', creator: 'U0CREATOR', members: [h.emulator.botUserId] }).id;
  });
  afterAll(async () => h?.stop());

  const deps = () => h.app.deps;
  const ledger = (key: string) => deliveryLedger(deps().db, key);
  const deliver = async (key: string, send: Send, options?: DeliverOptions) => (await deliverOnce(deps(), ledger(key), send, options)).outcome;
  const newKey = async (kind: string) => {
    const key = `test-${kind}:${channel}:${++n}`;
    await planDeliveries(deps().db, [{ key, kind }]);
    return key;
  };
  const postsWith = (key: string) =>
    h.emulator.callsTo('chat.postMessage').filter((c) => (c.args.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key === key && (c.response as { ok: boolean }).ok);
  /** What a worker does before it dies: claims, maybe calls Slack, never records the outcome; then its lease runs out. */
  const dieWhileSending = async (key: string, call?: (delivery: DeliveryContext) => Promise<unknown>) => {
    const claim = await ledger(key).claim(deps().clock(), LEDGER_LEASE_MS);
    expect(claim).not.toBeNull();
    if (call) await call({ key });
    await deps().pool.query(`UPDATE deliveries SET claimed_at = claimed_at - interval '10 minutes' WHERE key = $1`, [key]);
  };
  const intro = (text: string) => ({ text });

  it('tags every message sent for a ledger key with that key as Slack metadata', async () => {
    const key = await newKey('tagged');
    const outcome = await deliver(key, (d) => deps().slack.post(channel, intro('tagged'), {}, d));
    expect(outcome).toBe('sent');
    expect(postsWith(key).map((c) => c.args.metadata)).toEqual([{ event_type: DELIVERY_METADATA_TYPE, event_payload: { key } }]);
  });

  it('does not post a channel message again that the dead worker had posted', async () => {
    const key = await newKey('intro');
    await dieWhileSending(key, (d) => deps().slack.post(channel, intro('first try'), {}, d));
    let sends = 0;
    const outcome = await deliver(key, (d) => {
      sends += 1;
      return deps().slack.post(channel, intro('second try'), {}, d);
    });
    expect(outcome).toBe('sent');
    // The closure runs (the gateway decides), but Slack sees one message.
    expect(sends).toBe(1);
    expect(postsWith(key)).toHaveLength(1);
    expect(h.emulator.messagesTo(channel).filter((m) => m.text === 'second try')).toEqual([]);
    expect((await findDelivery(deps().db, key))?.status).toBe('sent');
  });

  it('does not send a DM again that the dead worker had sent', async () => {
    const key = await newKey('dm');
    await dieWhileSending(key, (d) => deps().slack.dm('U0LEARNER', { text: 'prompt 1' }, {}, d));
    const outcome = await deliver(key, (d) => deps().slack.dm('U0LEARNER', { text: 'prompt 1' }, {}, d));
    expect(outcome).toBe('sent');
    expect(postsWith(key)).toHaveLength(1);
    expect(h.emulator.messagesTo('U0LEARNER').filter((m) => m.text === 'prompt 1')).toHaveLength(1);
  });

  it('does not invite again someone the dead worker had invited', async () => {
    const key = await newKey('invite');
    await dieWhileSending(key, (d) => deps().slack.invite(channel, 'U0LEARNER', d));
    const invitesBefore = h.emulator.callsTo('conversations.invite').length;
    const outcome = await deliver(key, (d) => deps().slack.invite(channel, 'U0LEARNER', d));
    expect(outcome).toBe('sent');
    expect(h.emulator.callsTo('conversations.invite')).toHaveLength(invitesBefore);
    expect(h.emulator.callsTo('conversations.members').length).toBeGreaterThan(0);
  });

  it('sends once what the dead worker never reached Slack with', async () => {
    const key = await newKey('unsent');
    await dieWhileSending(key);
    const outcome = await deliver(key, (d) => deps().slack.post(channel, intro('only try'), {}, d));
    expect(outcome).toBe('sent');
    expect(postsWith(key)).toHaveLength(1);
  });

  it('keeps a stale claim stale when Slack cannot be asked, and finds the message on the next attempt', async () => {
    const key = await newKey('look-fails');
    await dieWhileSending(key, (d) => deps().slack.post(channel, intro('before the crash'), {}, d));
    h.emulator.addFault({ method: 'conversations.history', error: 'internal_error', times: 1 });
    const first = await deliver(key, (d) => deps().slack.post(channel, intro('after the crash'), {}, d));
    expect(first).toBe('retry');
    const row = await findDelivery(deps().db, key);
    expect(row?.status).toBe('sending');
    // Still as old as the dead worker's claim, so that the next look reaches back to its attempt.
    expect(row!.claimedAt!.getTime()).toBeLessThan(deps().clock().getTime() - 9 * 60_000);
    const second = await deliver(key, (d) => deps().slack.post(channel, intro('after the crash'), {}, d));
    expect(second).toBe('sent');
    expect(postsWith(key)).toHaveLength(1);
  });

  it('leaves a key alone while a live worker holds it, and keeps a slow worker\'s claim fresh', async () => {
    const key = await newKey('slow');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // A 300 ms lease, renewed every 100 ms, while the Slack call takes over a second.
    const slow = deliver(key, async (d) => {
      await gate;
      return deps().slack.post(channel, intro('slow'), {}, d);
    }, { leaseMs: 300 });
    await new Promise((r) => setTimeout(r, 1_000));
    let called = false;
    const meanwhile = await deliver(key, async (d) => {
      called = true;
      return deps().slack.post(channel, intro('meanwhile'), {}, d);
    }, { leaseMs: 300 });
    release();
    expect(meanwhile).toBe('retry');
    expect(called).toBe(false);
    expect(await slow).toBe('sent');
    expect(postsWith(key)).toHaveLength(1);
  });

  it('does not let a worker whose claim was taken over overwrite the new holder\'s record', async () => {
    const key = await newKey('overwrite');
    const old = await ledger(key).claim(deps().clock(), LEDGER_LEASE_MS);
    await deps().pool.query(`UPDATE deliveries SET claimed_at = claimed_at - interval '10 minutes' WHERE key = $1`, [key]);
    const taken = await ledger(key).claim(deps().clock(), LEDGER_LEASE_MS);
    expect(taken?.staleClaimedAt).not.toBeNull();
    expect(await ledger(key).settle(taken!, 'sent', deps().clock())).toBe(true);
    expect(await ledger(key).settle(old!, 'pending', deps().clock(), 'ratelimited')).toBe(false);
    expect((await findDelivery(deps().db, key))?.status).toBe('sent');
  });

  it('returns metadata from conversations.history only when asked for it (the emulator, as Slack)', async () => {
    const key = await newKey('history');
    await deliver(key, (d) => deps().slack.post(channel, intro('history'), {}, d));
    const without = (await deps().slack.client.conversations.history({ channel })).messages ?? [];
    const withMetadata = (await deps().slack.client.conversations.history({ channel, include_all_metadata: true })).messages ?? [];
    expect(without.some((m) => 'metadata' in m)).toBe(false);
    expect(withMetadata[0]?.metadata).toEqual({ event_type: DELIVERY_METADATA_TYPE, event_payload: { key } });
    expect(Number(withMetadata[0]?.ts)).toBeGreaterThanOrEqual(Number(withMetadata[withMetadata.length - 1]?.ts));
  });
});
