#!/usr/bin/env node
"use strict";
/**
 * Many accounts, measured (not asserted in tests): synthesize 30 accounts x 20 roles and report wall
 * time and peak memory against the single-stack example; then check that synth time grows linearly
 * with accounts x roles (the marginal time per role from 100 to 1,000 roles at most 1.5x that from
 * 10 to 100), as scripts/bench.js does for one account.
 * Usage: npm run bench:accounts [-- --runs N]
 */
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const YAML = require("yaml");
const { bench, log, marginal, RUNS } = require("./bench-lib");

const ROOT = path.join(__dirname, "..");
const WORK = path.join(ROOT, ".bench");
const BIN = path.join(ROOT, "bin", "bitbucket-oidc.js");

/** The example's workspace and state with `accounts` accounts of `roles` roles each (shared roles, so all accounts get them). */
function writeAccountsConfig(accounts, roles) {
  const example = YAML.parse(fs.readFileSync(path.join(ROOT, "bitbucket-oidc.yaml"), "utf8"));
  const template = example.roles[0];
  const config = {
    stack: "org",
    workspace: example.workspace,
    state: { ...example.state, bootstrap: false },
    accounts: Array.from({ length: accounts }, (_, i) => ({ id: String(100000000000 + i), name: `acct${i}`, region: "us-east-1" })),
    roles: Array.from({ length: roles }, (_, r) => ({ ...template, name: `role-${String(r).padStart(4, "0")}` })),
  };
  const file = path.join(WORK, `accounts-${accounts}x${roles}.yaml`);
  fs.writeFileSync(file, YAML.stringify(config, { aliasDuplicateObjects: false }));
  return file;
}

function synth(label, config, outName) {
  return bench(label, process.execPath, [BIN, "synth", "-q", ...(config ? ["--config", config] : []), "--output", path.join(WORK, outName)], ROOT);
}

function main() {
  fs.mkdirSync(WORK, { recursive: true });
  execFileSync(process.execPath, [path.join(ROOT, "scripts", "build.js")], { stdio: "inherit" });
  log(`\n30 accounts x 20 roles against the single-stack example (median of ${RUNS}):`);
  const single = synth("example (1 account, 3 roles, + state stack)", undefined, "acc-example");
  const big = synth("30 accounts x 20 roles (600 roles, 30 stacks)", writeAccountsConfig(30, 20), "acc-30x20");
  log(`  ratio: ${(big.wall / single.wall).toFixed(2)}x wall, ${(big.rssMb / single.rssMb).toFixed(2)}x peak memory`);

  log(`\nScaling with accounts x roles (median of ${RUNS}):`);
  const times = {};
  for (const [accounts, roles] of [[2, 5], [5, 20], [25, 40]]) {
    times[accounts * roles] = synth(`${accounts} accounts x ${roles} roles = ${accounts * roles}`, writeAccountsConfig(accounts, roles), `acc-${accounts}x${roles}`).wall;
  }
  const low = marginal(times, 10, 100);
  const high = marginal(times, 100, 1000);
  log(`  marginal ms/role: 10->100 ${(low * 1000).toFixed(2)}, 100->1000 ${(high * 1000).toFixed(2)}`);
  const ratio = high / low;
  const ok = ratio <= 1.5;
  log(`\n  ${ok ? "PASS" : "FAIL"}  marginal per role 100->1000 / 10->100 (<= 1.5): ${ratio.toFixed(3)}`);
  process.exitCode = ok ? 0 : 1;
}

main();
