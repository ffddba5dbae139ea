#!/usr/bin/env node
"use strict";
/**
 * Fills the consumer tests' own npm cache (node_modules/.cache/consumer-npm, never the global one)
 * with everything they (test/consumer) install with `npm install --offline`: the package's runtime
 * dependencies, the TypeScript tools a `cdktf init` project adds, and the CDK Terrain packages. npm ci
 * caches tarballs only, not the registry documents an install without a lockfile resolves against, so
 * this installs the same specs once, online, into a throw-away folder: the offline install later
 * resolves against the very documents cached here. A folder of their own keeps the consumer installs
 * apart from whatever else uses the global cache at the same time. A marker file records the specs;
 * the cache is filled again only when they change.
 *
 *   node scripts/consumer-cache.js           fill the cache unless it holds these specs (scripts/setup.sh runs it)
 *   node scripts/consumer-cache.js --force   fill it again
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

/**
 * The required peers (cdktf, constructs, the AWS binding). The cdktf consumer test copies them in from
 * this repository's node_modules, but npm still reads their registry documents to check the peer
 * ranges: without them an offline install fails with `ERESOLVE ... Found: @cdktf/provider-aws@undefined`.
 */
const REQUIRED_PEERS = Object.fromEntries(
  Object.entries(pkg.peerDependencies).filter(([name]) => !pkg.peerDependenciesMeta?.[name]?.optional),
);

/** Every spec the consumer tests install from the cache. */
function consumerSpecs() {
  // The optional (CLI-only) dependencies too: the consumer tests run the bin, which npm installs them for.
  const all = { ...pkg.dependencies, ...pkg.optionalDependencies, ...REQUIRED_PEERS, ...CONSUMER_DEV_TOOLS, ...cdktn.tested };
  return Object.entries(all).map(([name, range]) => `${name}@${range}`);
}

/** The consumer tests' npm cache folder (`npm_config_cache` of their installs). */
const CONSUMER_NPM_CACHE = path.join(__dirname, "..", "node_modules", ".cache", "consumer-npm");
const MARKER = path.join(CONSUMER_NPM_CACHE, "filled-with.json");

/** True when the cache was filled with exactly the current specs. */
function isFilled() {
  try {
    return JSON.stringify(JSON.parse(fs.readFileSync(MARKER, "utf8"))) === JSON.stringify(consumerSpecs());
  } catch {
    return false;
  }
}

function fillCache() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bbo-consumer-cache-"));
  try {
    fs.rmSync(MARKER, { force: true });
    fs.mkdirSync(CONSUMER_NPM_CACHE, { recursive: true });
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "consumer-cache", version: "1.0.0", private: true }));
    const args = ["install", "--no-save", "--no-audit", "--no-fund", "--ignore-scripts", "--legacy-peer-deps", "--loglevel=error", "--cache", CONSUMER_NPM_CACHE];
    execFileSync("npm", [...args, ...consumerSpecs()], { cwd: dir, stdio: ["ignore", "inherit", "inherit"] });
    fs.writeFileSync(MARKER, `${JSON.stringify(consumerSpecs(), null, 2)}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Fills the cache unless it already holds the current specs. */
function ensureFilled() {
  if (!isFilled()) fillCache();
}

module.exports = { consumerSpecs, CONSUMER_DEV_TOOLS, CONSUMER_NPM_CACHE, ensureFilled, isFilled };
if (require.main === module) {
  if (process.argv.includes("--list")) process.stdout.write(`${consumerSpecs().join("\n")}\n`);
  else if (process.argv.includes("--force")) fillCache();
  else ensureFilled();
}
