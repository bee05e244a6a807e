// Mutation testing of the domain rules against their own specs: `npm run test:mutation`
// (one file: `npm run test:mutation -- --mutate src/modules/cards/domain/charge.rules.ts`).
// See docs/testing.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.domain.config.js',
    enableFindRelatedTests: false,
  },
  coverageAnalysis: 'perTest',
  mutate: ['src/modules/*/domain/*.ts', '!src/modules/*/domain/*.spec.ts'],
  // Only what the domain specs need is copied into the sandbox (no database files, no build).
  ignorePatterns: [
    'dist',
    '.data',
    'coverage',
    'bench',
    'docker',
    'migrations',
    'reports',
    'test/e2e',
  ],
  // The machine is small and shared.
  concurrency: 2,
  timeoutMS: 10000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/domain.html' },
  jsonReporter: { fileName: 'reports/mutation/domain.json' },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
};
