#!/usr/bin/env node
"use strict";
/**
 * Fills the npm cache with everything the consumer tests (test/consumer) install with
 * `npm install --offline`: the package's runtime dependencies, the TypeScript tools a `cdktf init`
 * project adds, and the CDK Terrain packages. npm ci caches tarballs only, not the registry documents
 * an install without a lockfile resolves against, so this installs the same specs once, online, into
 * a throw-away folder: the offline install later resolves against the very documents cached here.
 *
 *   node scripts/consumer-cache.js           fill the cache (scripts/setup.sh runs it)
 *   node scripts/consumer-cache.js --list    print the specs
 */
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const cdktn = require("./cdktn-flavor");

const pkg = require(path.join(__dirname, "..", "package.json"));

/** The dev tools `cdktf init` adds to a TypeScript project (jest left out), at this repo's ranges. */
const CONSUMER_DEV_TOOLS = Object.fromEntries(["typescript", "ts-node", "@types/node"].map((n) => [n, pkg.devDependencies[n]]));

/** Every spec the consumer tests install from the cache. */
function consumerSpecs() {
  const all = { ...pkg.dependencies, ...CONSUMER_DEV_TOOLS, ...cdktn.tested };
  return Object.entries(all).map(([name, range]) => `${name}@${range}`);
}

function fillCache() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bbo-consumer-cache-"));
  try {
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "consumer-cache", version: "1.0.0", private: true }));
    execFileSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--ignore-scripts", "--legacy-peer-deps", "--loglevel=error", ...consumerSpecs()], {
      cwd: dir,
      stdio: "inherit",
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { consumerSpecs, CONSUMER_DEV_TOOLS };
if (require.main === module) {
  if (process.argv.includes("--list")) process.stdout.write(`${consumerSpecs().join("\n")}\n`);
  else fillCache();
}
