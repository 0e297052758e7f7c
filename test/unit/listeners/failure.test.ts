import type { CodedError } from '@slack/bolt';
import { AppError, RetryableError } from '../../../src/errors';
import { afterAck } from '../../../src/listeners/after-ack';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { explainFailure, onUnhandledError, tellThroughResponseUrl } from '../../../src/listeners/failure';
import type { Message } from '../../../src/slack/views/blocks';
import { afterAckDone, fakeDeps, referenceIn } from './fake-bolt';

function coded(original: Error): CodedError {
  return Object.assign(new Error(original.message), { code: 'slack_bolt_unknown_error', original }) as CodedError;
}

describe('explainFailure: one reference, in the log line and in what the person is told', () => {
  it('an unknown error: something went wrong, with the reference that is logged', () => {
    const { deps, lines } = fakeDeps();
    const { reference, reply } = explainFailure(deps.log, new TypeError('x is undefined'), { user: 'U1' }, 'failed');
    expect(reference).toMatch(/^[0-9a-f]{8}$/);
    expect(referenceIn(reply.text)).toBe(reference);
    expect(reply.text).toContain('Something went wrong');
    expect(lines).toEqual([expect.objectContaining({ level: 'error', msg: 'failed', reference, user: 'U1', err: expect.objectContaining({ message: 'x is undefined' }) })]);
    expect(lines[0]!.code).toBeUndefined();
  });

  it('a known code with words for the person: those words, and the code in the log', () => {
    const { deps, lines } = fakeDeps();
    const { reply, reference } = explainFailure(deps.log, new AppError('unknown_user', 'no engineer U9', 'U9 is not a known engineer'), {}, 'failed');
    expect(reply.text).toBe(`U9 is not a known engineer (reference ${reference})`);
    expect(lines[0]).toEqual(expect.objectContaining({ code: 'unknown_user', reference }));
  });

  it('a retryable failure: try again in a minute', () => {
    const { deps, lines } = fakeDeps();
    const { reply } = explainFailure(deps.log, new RetryableError('ratelimited', 'views.publish failed'), {}, 'failed');
    expect(reply.text).toContain('Please try again in a minute');
    expect(lines[0]!.code).toBe('ratelimited');
  });
});

describe("the Bolt app's global error handler (onUnhandledError)", () => {
  it('tells the person who asked through the response_url, logs the same reference, and throws again so that Slack sees a failure', async () => {
    const { deps, lines } = fakeDeps();
    const tell = jest.fn(async (_url: string, _message: Message) => undefined);
    const error = coded(new Error('boom'));
    await expect(onUnhandledError(deps.log, tell)({ error, body: { command: '/volunteer', user_id: 'U1', response_url: 'https://hooks.slack.test/r', token: 'secret' } as never })).rejects.toBe(error);
    expect(tell).toHaveBeenCalledTimes(1);
    const [url, message] = tell.mock.calls[0]!;
    expect(url).toBe('https://hooks.slack.test/r');
    const line = lines.find((l) => l.msg === 'unhandled error in a Slack request')!;
    expect(line).toEqual(expect.objectContaining({ level: 'error', request: '/volunteer', user: 'U1', boltCode: 'slack_bolt_unknown_error', err: expect.objectContaining({ message: 'boom' }) }));
    expect(referenceIn(message.text)).toBe(line.reference);
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('an event has nobody to tell: logged with its reference and thrown again (HTTP answers 500, Slack retries)', async () => {
    const { deps, lines } = fakeDeps();
    const tell = jest.fn(async () => undefined);
    const error = coded(new Error('database is down'));
    await expect(onUnhandledError(deps.log, tell)({ error, body: { type: 'event_callback', event_id: 'Ev1', event: { type: 'channel_created' } } as never })).rejects.toBe(error);
    expect(tell).not.toHaveBeenCalled();
    expect(lines).toEqual([expect.objectContaining({ request: 'channel_created', eventId: 'Ev1', reference: expect.stringMatching(/^[0-9a-f]{8}$/) })]);
  });

  it('a reply that cannot be sent is logged as such, and the error is still thrown', async () => {
    const { deps, lines } = fakeDeps();
    const error = coded(new Error('boom'));
    await expect(onUnhandledError(deps.log, async () => Promise.reject(new Error('response_url answered 404')))({ error, body: { response_url: 'https://hooks.slack.test/r', user: { id: 'U1' } } as never })).rejects.toBe(error);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['error', 'unhandled error in a Slack request'],
      ['warn', 'could not tell the person about the failure'],
    ]);
    expect(lines[1]!.reference).toBe(lines[0]!.reference);
  });
});

describe('afterAck shares the same explanation', () => {
  it('a failure after the acknowledgement is shown with the reference of its log line', async () => {
    const { deps, lines } = fakeDeps();
    const told: Message[] = [];
    afterAck(deps, { person: 'U1' }, async () => Promise.reject(new AppError('week_in_future', 'future', 'pick an earlier week')), async (m) => told.push(m));
    await afterAckDone();
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain('pick an earlier week');
    expect(referenceIn(told[0]!.text)).toBe(lines[0]!.reference);
    expect(lines[0]).toEqual(expect.objectContaining({ msg: 'interactive request failed after its acknowledgement', code: 'week_in_future', user: 'U1' }));
  });
});

describe('tellThroughResponseUrl', () => {
  it('posts the reply as an ephemeral message that replaces nothing, and a refusal is an error', async () => {
    const received: unknown[] = [];
    let status = 200;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/r`;
    try {
      await tellThroughResponseUrl(url, { text: 'hi', blocks: [] });
      expect(received).toEqual([{ response_type: 'ephemeral', replace_original: false, text: 'hi', blocks: [] }]);
      status = 404;
      await expect(tellThroughResponseUrl(url, { text: 'again', blocks: [] })).rejects.toThrow('response_url answered 404');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
