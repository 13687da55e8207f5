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
      testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/scripts/**/*.test.ts', '<rootDir>/conformance/**/*.unit.test.ts'],
      transform: { '^.+\\.ts$': swc },
      testEnvironment: 'node',
    },
    {
      displayName: 'conformance',
      testMatch: ['<rootDir>/conformance/**/*.conformance.test.ts'],
      transform: { '^.+\\.ts$': swc },
      testEnvironment: 'node',
      globalSetup: '<rootDir>/conformance/jest/global-setup.ts',
      globalTeardown: '<rootDir>/conformance/jest/global-teardown.ts',
    },
  ],
};
