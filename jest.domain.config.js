/**
 * The domain rules' own specs, alone: pure functions, no database, no Nest. Used by
 * `npm run test:mutation` (Stryker), and runnable directly: `npx jest -c jest.domain.config.js`.
 * @type {import('jest').Config}
 */
module.exports = {
  rootDir: '.',
  moduleFileExtensions: ['js', 'json', 'ts'],
  testMatch: ['<rootDir>/src/**/domain/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  testEnvironment: 'node',
  // a mutation run's sandbox copy of the project, when one is open
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp'],
};
