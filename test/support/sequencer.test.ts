/** The test order: consumer tests are spread so that the second finds the shared package built. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { spreadSharedPackageUsers } = require("./sequencer") as { spreadSharedPackageUsers<T extends { path: string }>(tests: T[]): T[] };

const files = (...names: string[]) => names.map((n) => ({ path: `/repo/test/${n}.test.ts` }));
const names = (tests: { path: string }[]) => tests.map((t) => t.path.replace(/^\/repo\/test\/|\.test\.ts$/g, ""));

test("GIVEN both consumer tests first (the slowest) THEN the second moves behind the next file (run by the other worker meanwhile)", () => {
  const order = files("consumer/cdktf-consumer", "consumer/cdktn-consumer", "explain/bin", "accounts/accounts", "state/locking-both");
  expect(names(spreadSharedPackageUsers(order))).toEqual(["consumer/cdktf-consumer", "explain/bin", "consumer/cdktn-consumer", "accounts/accounts", "state/locking-both"]);
});

test("GIVEN one consumer test, or few files THEN the order stays, nothing is lost", () => {
  const one = files("explain/bin", "consumer/cdktf-consumer", "consumer/api-docs");
  expect(spreadSharedPackageUsers(one)).toEqual(one);
  const two = files("consumer/cdktn-consumer", "consumer/cdktf-consumer");
  expect(names(spreadSharedPackageUsers(two))).toEqual(["consumer/cdktn-consumer", "consumer/cdktf-consumer"]);
});
