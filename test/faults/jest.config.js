/**
 * The fault suite (`npm run test:faults`, RELIABILITY.md): the app as child processes against the
 * Slack emulator and a real PostgreSQL, under crashes, outages, throttling and bad input. Its own
 * config because it takes minutes, not seconds; `npm test` runs the fast part (*.test.ts here).
 * @type {import('jest').Config}
 */
const base = require('../../jest.config.js');

module.exports = {
  ...base,
  rootDir: '../..',
  testMatch: ['<rootDir>/test/faults/**/*.fault.ts'],
  // Each scenario waits on real processes, bursts and recoveries; the slowest takes about a minute.
  testTimeout: 300_000,
  maxWorkers: 2,
};
