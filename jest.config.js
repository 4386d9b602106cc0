// npm test = jest (through scripts/bootstrap.mjs, which installs what is missing first).
// One Postgres and one Temporal dev server are started for the whole run by test/global-setup.ts.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2022', transform: { react: { runtime: 'automatic' } } },
        module: { type: 'commonjs' },
      },
    ],
  },
  // Web component tests (*.test.tsx) pick jsdom with a per-file docblock; the rest run in node.
  testMatch: ['<rootDir>/**/*.test.ts', '<rootDir>/test/web/**/*.test.tsx'],
  testPathIgnorePatterns: ['/node_modules/', '/.data/', '/.tools/', '/web/dist/'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // Real servers on a 2-core machine: generous per-test time, never timing assertions.
  testTimeout: 120_000,
  maxWorkers: 2,
};
