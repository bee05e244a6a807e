/**
 * `npm run test:faults`: the fault tests (kill -9, a PostgreSQL restart, two instances, SIGTERM)
 * against the production build (`node dist/src/main.js`) run as child processes, each file on a
 * PostgreSQL of its own. Not part of `npm test`; `.ci/run` runs it after.
 * @type {import('jest').Config}
 */
module.exports = {
  rootDir: '.',
  moduleFileExtensions: ['js', 'json', 'ts'],
  testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  testEnvironment: 'node',
  // each file runs servers and a PostgreSQL of its own: one file at a time on a small machine
  maxWorkers: 1,
  testTimeout: 240000,
};
