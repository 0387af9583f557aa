// Three levels (DESIGN §7): unit (pure domain), bundle (dist/Code.js in the runtime), browser
// (Chromium). TypeScript is transformed by esbuild; type checking is `npm run typecheck`.
const transform = { '^.+\\.(ts|mjs)$': '<rootDir>/tests/esbuild-transform.cjs' };
const common = {
  transform,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    { ...common, displayName: 'bundle', testMatch: ['<rootDir>/tests/bundle/**/*.test.ts'] },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/tests/browser/**/*.test.ts'],
    },
  ],
  // Browser tests start Chromium; jest 29 sets timeouts globally, not per project.
  testTimeout: 60000,
  // The machine has 2 cores; jest's default (cores - 1) would run the suites one at a time.
  maxWorkers: 2,
};
