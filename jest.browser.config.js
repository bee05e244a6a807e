/**
 * `npm run test:browser`: the relatives' page in a real browser — Debian's Chromium, headless,
 * driven by playwright-core (which never downloads a browser), against the real server on a
 * throwaway PostgreSQL. The setup installs Chromium with apt-get when it is missing and we run as
 * root; elsewhere the tests are skipped, saying why in one loud line. Not part of `npm test`;
 * `.ci/run` runs it after. Screenshots: test-artifacts/browser/ (git-ignored).
 * @type {import('jest').Config}
 */
module.exports = {
  rootDir: '.',
  moduleFileExtensions: ['js', 'json', 'ts'],
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/browser/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  maxWorkers: 1,
  testTimeout: 180000,
};
