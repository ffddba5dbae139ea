/**
 * How many runs a fast-check property makes: all of them in `npm test`, fewer in the inner loop.
 */

/** The variable `npm run test:fast` sets (jest.fast.config.js): the inner loop runs every property, with fewer runs. */
export const FAST_RUNS_VARIABLE = "BBO_TEST_FAST";

/**
 * Runs of a property: `runs` in `npm test` (and CI); a quarter of them (at least 5) in `npm run test:fast`,
 * the inner loop. `npm test` (CI) always makes every run.
 */
export function propertyRuns(runs: number): number {
  return process.env[FAST_RUNS_VARIABLE] === "1" ? Math.min(runs, Math.max(5, Math.ceil(runs / 4))) : runs;
}
