"use strict";
/**
 * Jest's own order (failed first, then slowest first), with one change: of the test files that need
 * the shared packed package (the consumer tests, test/support/shared-fixture.ts), only the first keeps
 * its place; the others come right after the file that follows it. Side by side at the start, one of them would wait idle
 * on a worker while the other builds the package; this way the other worker runs another file meanwhile
 * and the later consumer test finds the package built.
 */
const Sequencer = require("@jest/test-sequencer").default;

/** Test files that use the shared packed package (the consumer tests, and the README's own-workspace steps). */
const SHARED_PACKAGE_USERS = /[\\/]test[\\/](consumer[\\/][^\\/]+-consumer|docs[\\/]own-workspace)\.test\.ts$/;

/** The reordering itself, on anything with a `path`. */
function spreadSharedPackageUsers(tests) {
  const users = tests.filter((t) => SHARED_PACKAGE_USERS.test(t.path));
  if (users.length < 2) return tests;
  const [lead, ...later] = users;
  const rest = tests.filter((t) => !later.includes(t));
  rest.splice(Math.min(rest.length, rest.indexOf(lead) + 2), 0, ...later);
  return rest;
}

class SharedPackageSequencer extends Sequencer {
  sort(tests) {
    return spreadSharedPackageUsers(super.sort(tests));
  }
}

module.exports = SharedPackageSequencer;
module.exports.spreadSharedPackageUsers = spreadSharedPackageUsers;
