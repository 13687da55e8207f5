// Two projects: fast unit tests beside the code, and the conformance suite against real services.
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }];

/** @type {import('jest').Config} */
module.exports = {
  reporters: [
    'default',
    ['jest-junit', { outputDirectory: 'reports', outputName: 'junit.xml', suiteNameTemplate: '{displayName} {filepath}', classNameTemplate: '{classname}', titleTemplate: '{title}' }],
    '<rootDir>/conformance/report/conformance-reporter.cjs',
  ],
  projects: [
    {
      displayName: 'unit',
      // .runtimes/ holds service data (Databend's raft `.snap` files would look like jest snapshots).
      roots: ['<rootDir>/src', '<rootDir>/scripts', '<rootDir>/conformance'],
      testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/scripts/**/*.test.ts', '<rootDir>/conformance/**/*.unit.test.ts'],
      // The demo's and the benchmark's checks against the suite's services run in the conformance project.
      testPathIgnorePatterns: ['/node_modules/', '\\.conformance\\.test\\.ts$'],
      transform: { '^.+\\.ts$': swc },
      testEnvironment: 'node',
    },
    {
      displayName: 'conformance',
      // scripts/: the demo's and the benchmark's own checks on the suite's services (they use our sink;
      // the suite in conformance/ imports neither scripts/ nor src/).
      roots: ['<rootDir>/conformance', '<rootDir>/scripts'],
      setupFilesAfterEnv: ['<rootDir>/conformance/jest/test-timeout.ts'],
      testMatch: ['<rootDir>/conformance/**/*.conformance.test.ts', '<rootDir>/scripts/**/*.conformance.test.ts'],
      transform: { '^.+\\.ts$': swc },
      testEnvironment: 'node',
      globalSetup: '<rootDir>/conformance/jest/global-setup.ts',
      globalTeardown: '<rootDir>/conformance/jest/global-teardown.ts',
    },
  ],
};
