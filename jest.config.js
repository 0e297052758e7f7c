/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  setupFiles: ['<rootDir>/test/helpers/env.ts'],
  testTimeout: 30_000,
  // Two cores on the CI machines; each integration file has its own database and app.
  maxWorkers: 2,
};
