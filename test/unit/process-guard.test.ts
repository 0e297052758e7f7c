import { isDatabaseOutage } from '../../src/process-guard';

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
