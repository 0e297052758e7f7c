import type { Claim, LedgerEntry, LedgerStatus } from '../../../src/db/ledger';
import { deliverOnce } from '../../../src/flows/deliver';
import { createLogger } from '../../../src/log';

/**
 * The ledger protocol of deliverOnce, on an in-memory ledger entry: what it records after each kind
 * of Slack answer, and what it gives the send. The tables themselves are tested against PostgreSQL
 * (test/faults/reconcile.test.ts, test/integration/digest.test.ts).
 */
function memoryEntry(initial: { status: LedgerStatus; staleClaimedAt?: Date } = { status: 'pending' }) {
  const record: { status: LedgerStatus; error?: string; released: number } = { status: initial.status, released: 0 };
  const entry: LedgerEntry = {
    key: 'intro:C1',
    async claim(now) {
      if (record.status !== 'pending' && !initial.staleClaimedAt) return null;
      record.status = 'sending';
      return { key: 'intro:C1', attempts: 1, claimedAt: now, staleClaimedAt: initial.staleClaimedAt ?? null } satisfies Claim;
    },
    renew: async () => true,
    async settle(_claim, status, _now, error) {
      record.status = status;
      record.error = error;
      return true;
    },
    async releaseUncertain(_claim, _leaseMs, error) {
      record.released += 1;
      record.error = error;
      return true;
    },
    status: async () => record.status,
  };
  return { entry, record };
}

const deps = { log: createLogger('silent'), clock: () => new Date('2026-11-23T08:00:00Z') };
const failure = (error: string, retryable = true) => async () => ({ ok: false as const, error, retryable });

describe('deliverOnce', () => {
  it('records a sent effect as sent', async () => {
    const { entry, record } = memoryEntry();
    expect(await deliverOnce(deps, entry, async () => ({ ok: true, value: 'x' }))).toEqual({ outcome: 'sent', ours: true });
    expect(record.status).toBe('sent');
  });

  it('puts a key back to pending after a 429, since Slack did nothing', async () => {
    const { entry, record } = memoryEntry();
    expect(await deliverOnce(deps, entry, failure('ratelimited'))).toEqual({ outcome: 'retry', ours: true });
    expect(record).toMatchObject({ status: 'pending', error: 'ratelimited', released: 0 });
  });

  it('gives a key back as uncertain after a 5xx, so that the next attempt looks in Slack first', async () => {
    const { entry, record } = memoryEntry();
    expect(await deliverOnce(deps, entry, failure('http_503'))).toEqual({ outcome: 'retry', ours: true });
    expect(record).toMatchObject({ status: 'sending', error: 'http_503', released: 1 });
  });

  it('keeps a taken-over key uncertain even after a 429: the earlier holder may have sent it', async () => {
    const { entry, record } = memoryEntry({ status: 'sending', staleClaimedAt: new Date('2026-11-23T07:00:00Z') });
    expect(await deliverOnce(deps, entry, failure('ratelimited'))).toEqual({ outcome: 'retry', ours: true });
    expect(record.released).toBe(1);
  });

  it('records a refusal as failed for good', async () => {
    const { entry, record } = memoryEntry();
    expect(await deliverOnce(deps, entry, failure('user_is_restricted', false))).toEqual({ outcome: 'failed', ours: true });
    expect(record).toMatchObject({ status: 'failed', error: 'user_is_restricted' });
  });

  it('asks the send to look since shortly before the stale claim, and only then', async () => {
    const stale = new Date('2026-11-23T07:00:00Z');
    const seen: unknown[] = [];
    await deliverOnce(deps, memoryEntry({ status: 'sending', staleClaimedAt: stale }).entry, async (delivery) => (seen.push(delivery), 'skip'));
    await deliverOnce(deps, memoryEntry().entry, async (delivery) => (seen.push(delivery), 'skip'));
    expect(seen).toHaveLength(2);
    const [takeover, fresh] = seen as Array<{ key: string; lookSince?: Date }>;
    expect(takeover!.key).toBe('intro:C1');
    // A minute of margin for clock skew, on the wall clock (the app's clock here is fixed).
    const shift = Date.now() - deps.clock().getTime();
    expect(Math.abs(takeover!.lookSince!.getTime() - (stale.getTime() + shift - 60_000))).toBeLessThan(5_000);
    expect(fresh).toEqual({ key: 'intro:C1' });
  });

  it('leaves a key settled by someone else alone and says how it ended', async () => {
    const { entry } = memoryEntry({ status: 'sent' });
    const send = jest.fn();
    expect(await deliverOnce(deps, entry, send)).toEqual({ outcome: 'sent', ours: false });
    expect(send).not.toHaveBeenCalled();
  });
});
