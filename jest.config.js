/**
 * Jest runs TypeScript through SWC (no type-checking here: `npm run typecheck` does that once).
 * globalSetup makes one folder per run where slow fixtures (the packed package, the consumer projects)
 * are built once and shared (test/support/shared-fixture.ts); globalTeardown removes it. globalSetup also
 * brings dist/ up to date, so that every file loads the precompiled schema validator (moduleNameMapper).
 * test/support/plain-token-traces.ts keeps jest from source-mapping the stack traces cdktf records.
 * Two workers on these 2-core machines: much of the suite waits on child processes (terraform, npm,
 * cdktf), so a second worker overlaps that waiting; more would only fight over the CPUs. The sequencer
 * keeps the two consumer tests from starting side by side (one would wait idle for the shared package).
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
  },
  setupFilesAfterEnv: ["<rootDir>/test/support/plain-token-traces.ts"],
  // The schema validator that scripts/build.js precompiles (globalSetup builds it), as the bin loads it.
  moduleNameMapper: { "^\\./schema-validator\\.js$": "<rootDir>/dist/lib/config/schema-validator.js" },
  globalSetup: "<rootDir>/test/support/global-setup.ts",
  globalTeardown: "<rootDir>/test/support/global-teardown.ts",
  maxWorkers: 2,
  testSequencer: "<rootDir>/test/support/sequencer.js",
  testTimeout: 60000,
};
