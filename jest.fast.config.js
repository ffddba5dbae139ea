/**
 * The inner loop (`npm run test:fast`): every test file except the slow kinds, found by what the file
 * uses, so a new test of those kinds is left out without being listed here:
 * - terraform tests: they run the real terraform (test/support/terraform.ts, or `terraform` on PATH);
 * - consumer tests: they pack the package and install it into a consumer project;
 * - rehearsal tests: they run against the AWS emulator (moto_server) or live in test/rehearsal/.
 * `npm test` runs them all.
 * Property tests (fast-check) make a quarter of their runs here (test/support/property-runs.ts);
 * `npm test` makes all of them.
 */
const fs = require("node:fs");
const path = require("node:path");
const base = require("./jest.config");

// Read by test/support/property-runs.ts in the workers, which inherit this process's environment.
process.env.BBO_TEST_FAST = "1";

const SLOW_KINDS = {
  terraform: /\b(describeWithTerraform|terraformStatus|haveTerraform|runTerraform|startTerraform|terraformOk)\b|spawnSync\("terraform"/,
  consumer: /\b(sharedConsumer|sharedPackage|createConsumer)\b/,
  rehearsal: /\bstartMoto\b|^test\/rehearsal\//m,
};

function testFiles(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) testFiles(full, out);
    else if (entry.name.endsWith(".test.ts")) out.push(full);
  }
  return out;
}

/** The test files of the slow kinds, and which kind each is. */
function slowFiles() {
  const found = [];
  for (const file of testFiles(path.join(__dirname, "test"))) {
    const text = `${path.relative(__dirname, file)}\n${fs.readFileSync(file, "utf8")}`;
    const kind = Object.keys(SLOW_KINDS).find((k) => SLOW_KINDS[k].test(text));
    if (kind) found.push({ file, kind });
  }
  return found;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

module.exports = {
  ...base,
  testPathIgnorePatterns: ["/node_modules/", ...slowFiles().map((f) => `^${escape(f.file)}$`)],
};
