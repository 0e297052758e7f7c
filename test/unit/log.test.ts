import { Writable } from 'node:stream';
import { createLogger, maskSecrets } from '../../src/log';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { lines.push(chunk.toString()); done(); } });
  return { lines, log: createLogger('info', stream) };
}

describe('logging', () => {
  it('masks Slack tokens anywhere in a message or an error', () => {
    expect(maskSecrets('auth failed for xoxb-123-456-abcDEF and xapp-1-A1-99')).toBe('auth failed for xoxb-[redacted] and xapp-[redacted]');
    const { lines, log } = capture();
    log.error({ err: new Error('invalid_auth: token xoxb-9-9-secret') }, 'call failed with xoxp-1-2-3');
    const line = JSON.parse(lines[0]!);
    expect(line.msg).toBe('call failed with xoxp-[redacted]');
    expect(line.err.message).toBe('invalid_auth: token xoxb-[redacted]');
    expect(lines[0]).not.toContain('secret');
  });

  it('redacts known secret fields and keeps the context', () => {
    const { lines, log } = capture();
    log.info({ incident: 7, user: 'U1', token: 'xoxb-1', headers: { authorization: 'Bearer xoxb-2' }, signingSecret: 'abc' }, 'hello');
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: 'info', incident: 7, user: 'U1', token: '[redacted]', headers: { authorization: '[redacted]' }, signingSecret: '[redacted]', msg: 'hello' });
  });
});
