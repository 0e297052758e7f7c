import { isBoltRequestFailure, isDatabaseOutage } from '../../src/process-guard';

describe('isDatabaseOutage: the only unhandled rejection the process rides out', () => {
  it('recognises node-postgres connection failures, by message or by code', () => {
    expect(isDatabaseOutage(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseOutage(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseOutage(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseOutage(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
  });

  it('treats everything else as a bug: other errors, SQL errors, and values that are not errors', () => {
    expect(isDatabaseOutage(new TypeError("Cannot read properties of undefined (reading 'channel')"))).toBe(false);
    expect(isDatabaseOutage(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false);
    expect(isDatabaseOutage('Connection terminated unexpectedly')).toBe(false);
    expect(isDatabaseOutage(undefined)).toBe(false);
  });
});

describe("isBoltRequestFailure: one request's failure inside Bolt's receiver", () => {
  const withStack = (message: string, frames: string[]) => Object.assign(new TypeError(message), { stack: [`TypeError: ${message}`, ...frames.map((f) => `    at ${f}`)].join('\n') });

  it("recognises a throw at the top of Bolt's HTTP receiver (a signed JSON null body)", () => {
    const error = withStack("Cannot read properties of null (reading 'ssl_check')", ['<anonymous> (/app/node_modules/@slack/bolt/dist/receivers/HTTPReceiver.js:488:16)', 'process.processTicksAndRejections (node:internal/process/task_queues:95:5)']);
    expect(isBoltRequestFailure(error)).toBe(true);
  });

  it('does not excuse a bug of ours that Bolt only called, nor anything without a stack', () => {
    const ours = withStack("Cannot read properties of undefined (reading 'channel')", ['onJoin (/app/dist/src/listeners/actions/join-incident.js:12:3)', '<anonymous> (/app/node_modules/@slack/bolt/dist/App.js:900:10)']);
    expect(isBoltRequestFailure(ours)).toBe(false);
    expect(isBoltRequestFailure(Object.assign(new Error('x'), { stack: undefined }))).toBe(false);
    expect(isBoltRequestFailure('HTTPReceiver')).toBe(false);
  });
});
