// @ts-check
/**
 * Two projects:
 *   unit       test/**\/*.test.ts      plain, no target
 *   scenarios  scenarios/**\/*.test.ts  globalSetup starts the target (TESTBED_TARGET, default embedded)
 * `npm run test:unit` / `npm run test:scenarios` select one; `npm test` runs both after the typecheck.
 * (JavaScript rather than jest.config.ts: a .ts config would need ts-node at run time.)
 */

// The AWS SDK warns once per module registry (so once per test file) that its 2027 releases will
// need Node 22. The project targets Node 20 (package.json engines); keep test output readable.
// Set here, before jest forks its workers, so they inherit it. Export it as "false" to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** @type {[string, Record<string, unknown>]} */
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

/** @type {import('jest').Config} */
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.testbed/'],
};

/** @type {import('jest').Config} */
module.exports = {
  verbose: true,
  // A global option: project-level values are ignored when several projects run together.
  testTimeout: 60_000,
  maxWorkers: 2,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'scenarios',
      testMatch: ['<rootDir>/scenarios/**/*.test.ts'],
      globalSetup: '<rootDir>/scenarios/_support/globalSetup.ts',
      globalTeardown: '<rootDir>/scenarios/_support/globalTeardown.ts',
    },
  ],
};
