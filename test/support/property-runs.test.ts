/** The inner loop's configuration: which files `npm run test:fast` leaves out (terraform, consumer, emulator), and its property runs. */
import { join } from "node:path";
import { FAST_RUNS_VARIABLE, propertyRuns } from "./property-runs";

const ROOT = join(__dirname, "..", "..");

// Under test:fast the variable is set already: each test starts without it and puts it back after.
const given = process.env[FAST_RUNS_VARIABLE];
beforeEach(() => {
  delete process.env[FAST_RUNS_VARIABLE];
});
afterEach(() => {
  if (given === undefined) delete process.env[FAST_RUNS_VARIABLE];
  else process.env[FAST_RUNS_VARIABLE] = given;
});

test("GIVEN npm test THEN every property makes all its runs; GIVEN test:fast THEN a quarter, at least 5, never more", () => {
  expect([propertyRuns(80), propertyRuns(25), propertyRuns(3)]).toEqual([80, 25, 3]);
  process.env[FAST_RUNS_VARIABLE] = "1";
  expect([propertyRuns(80), propertyRuns(25), propertyRuns(3)]).toEqual([20, 7, 3]);
});

test("GIVEN jest.fast.config.js THEN it sets the fast-runs variable and leaves out exactly the terraform, consumer and rehearsal files", () => {
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fast = require(join(ROOT, "jest.fast.config.js")) as { testPathIgnorePatterns: string[] };
    expect(process.env[FAST_RUNS_VARIABLE]).toBe("1");
    const ignored = (file: string): boolean => fast.testPathIgnorePatterns.some((p) => new RegExp(p).test(join(ROOT, "test", file)));
    for (const slow of ["consumer/cdktf-consumer.test.ts", "rehearsal/harness.test.ts", "foundation/cdktf-synth.test.ts"]) expect({ slow, ignored: ignored(slow) }).toEqual({ slow, ignored: true });
    for (const kept of ["wild/validate-synth.test.ts", "explain/bin.test.ts", "support/property-runs.test.ts"]) expect({ kept, ignored: ignored(kept) }).toEqual({ kept, ignored: false });
  });
});
