import { request } from 'node:http';
import { signRequest } from '../../src/dev/slack-sender';
import { MAX_BODY_BYTES } from '../../src/listeners/app';
import { person, SIGNING_SECRET, startHarness, waitUntil, type Harness } from '../helpers/harness';

/**
 * The Slack-facing port on the open internet (SPEC.md section 8): what is kept of an envelope, and
 * bodies over the limit refused before they are read whole.
 */
const team = [person('U0CREATOR', 'Casey'), person('U0JUNIOR1', 'Jo')];

/**
 * Starts a POST to /slack/events, writes `sendBytes` of body and leaves the request open (never
 * ends it), and resolves with the status the server answers meanwhile: a server that waited for the
 * whole body would never answer.
 */
function postWithoutEnding(url: string, headers: Record<string, string>, sendBytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/slack/events`, { method: 'POST', headers });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', (err) => {
      // The server may close the connection right after its answer; the answer already counted.
      if (!(err as NodeJS.ErrnoException).code?.startsWith('ECONNRESET')) reject(err);
    });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < sendBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
    };
    pump();
    setTimeout(() => reject(new Error('no answer within 20 s while the body was left open')), 20_000).unref();
  });
}

describe('the Slack-facing port, hardened', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ users: team });
  });
  afterAll(async () => h?.stop());

  it('stores only event_id, event_time, the team and the event: never the verification token or the authorizations', async () => {
    const envelope = h.sender.envelope({ type: 'channel_created', channel: { id: 'C0KEEPLESS', name: 'team-lunch', created: Math.floor(h.clock().getTime() / 1000), creator: 'U0CREATOR' } });
    expect(envelope).toHaveProperty('token');
    expect(envelope).toHaveProperty('authorizations');
    const res = await h.sender.deliver(envelope);
    expect(res.status).toBe(200);

    const { rows } = await h.app.deps.pool.query<{ payload: Record<string, unknown> }>('SELECT payload FROM slack_events WHERE event_id = $1', [envelope.event_id]);
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!.payload).sort()).toEqual(['event', 'event_id', 'event_time', 'team_id']);
    expect(rows[0]!.payload).toMatchObject({ event_id: envelope.event_id, event_time: envelope.event_time, team_id: h.emulator.teamId, event: { type: 'channel_created' } });
    expect(JSON.stringify(rows[0]!.payload)).not.toContain('emulated-verification-token');
    await waitUntil(async () => (await h.app.deps.db.slackEvent.findUniqueOrThrow({ where: { eventId: envelope.event_id as string } })).processedAt !== null, 'the slimmed event to be processed');
  });

  it('refuses a body whose Content-Length is over the limit with 413, before the body has arrived', async () => {
    const status = await postWithoutEnding(h.app.url, { 'content-type': 'application/json', 'content-length': String(MAX_BODY_BYTES + 1), ...signRequest(SIGNING_SECRET, 'x') }, 64 * 1024);
    expect(status).toBe(413);
  });

  it('refuses a streamed body (no Content-Length) with 413 once more than the limit has arrived, without waiting for its end', async () => {
    const status = await postWithoutEnding(h.app.url, { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...signRequest(SIGNING_SECRET, 'x') }, MAX_BODY_BYTES + 256 * 1024);
    expect(status).toBe(413);
  });

  it('still takes a signed body of several hundred kilobytes, larger than any payload Slack sends this app', async () => {
    const envelope = h.sender.envelope({ type: 'member_joined_channel', user: 'U0JUNIOR1', channel: 'C0NOTANINC', channel_type: 'C', team: h.emulator.teamId, padding: 'p'.repeat(600 * 1024) });
    const res = await h.sender.deliver(envelope);
    expect(res.status).toBe(200);
  });
});
