#!/usr/bin/env node
"use strict";
/**
 * Synth speed and memory, measured (not asserted in tests): prints ratios from one run.
 *
 *  1. `cdktf synth` of the example against a baseline written the way `cdktf init` would write the
 *     same stack (app `npx ts-node main.ts`, provider classes imported from the package root):
 *     at most 1/4 of its wall time and of its peak memory.
 *  2. `npm run synth` against the floor (a bare node process loading cdktf, started through npm):
 *     at most 2x.
 *  3. Linear growth: marginal time per role from 100 to 1,000 roles at most 1.5x that from 10 to 100.
 *  4. Against cdktf's own cost, the bare-classes baseline (scripts/bench-baseline.js: the same
 *     resources, providers, backend and outputs built with bare provider classes and no checks, by
 *     `node` calling `app.synth()`, no cdktf CLI): `node bin/bitbucket-oidc.js synth` at most 1.5x its
 *     wall time and peak memory with 1,000 roles (each with an ecrPush grant), and at most 2x its wall
 *     time with 10,000 roles over 100 accounts. Ours and the baseline run alternately, so that a busy
 *     machine slows both alike; `--skip-large` leaves out the 10,000 roles (minutes per run), and
 *     `--baseline-only` runs only this part.
 *
 * Peak memory is the largest single process's maximum RSS, as /usr/bin/time reports it.
 * Usage: npm run bench [-- --runs N] [--skip-large] [--baseline-only]
 */
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const YAML = require("yaml");

const ROOT = path.join(__dirname, "..");
const WORK = path.join(ROOT, ".bench");

const { bench, log, marginal, measure, median, RUNS } = require("./bench-lib");
const { writeSpec } = require("./bench-baseline");

/** The example stack written as `cdktf init` would: root imports, ts-node, no config layer. */
function writeBaseline(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  const config = YAML.parse(fs.readFileSync(path.join(ROOT, "bitbucket-oidc.yaml"), "utf8"));
  const prefix = `api.bitbucket.org/2.0/workspaces/${config.workspace.slug}/pipelines-config/identity/oidc`;
  const audience = `ari:cloud:bitbucket::workspace/${config.workspace.uuid.replace(/[{}]/g, "")}`;
  const roles = config.roles.map((role) => ({
    name: role.name,
    subjects: role.repositories.flatMap((r) => (r.environments ? r.environments.map((e) => `${r.uuid}:${e.uuid}:*`) : [`${r.uuid}:*`])),
    statements: role.statements || [],
    managed: role.managedPolicyArns || [],
  }));
  fs.writeFileSync(
    path.join(dir, "main.ts"),
    `import { Construct } from "constructs";
import { App, TerraformStack, S3Backend, TerraformOutput } from "cdktf";
import { provider, iamOpenidConnectProvider, iamRole, iamRolePolicy, iamRolePolicyAttachment } from "@cdktf/provider-aws";

const roles: { name: string; subjects: string[]; statements: { actions: string[]; resources: string[] }[]; managed: string[] }[] = ${JSON.stringify(roles, null, 2)};

class MyStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new provider.AwsProvider(this, "aws", { region: ${JSON.stringify(config.aws.region)} });
    new S3Backend(this, { bucket: ${JSON.stringify(config.state.bucket)}, key: ${JSON.stringify(config.state.key)}, region: ${JSON.stringify(config.state.region)}, encrypt: true });
    const oidc = new iamOpenidConnectProvider.IamOpenidConnectProvider(this, "oidc", { url: "https://${prefix}", clientIdList: [${JSON.stringify(audience)}] });
    for (const r of roles) {
      const role = new iamRole.IamRole(this, r.name, {
        name: r.name,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Federated: oidc.arn }, Action: "sts:AssumeRoleWithWebIdentity",
            Condition: { StringEquals: { "${prefix}:aud": ${JSON.stringify(audience)} }, StringLike: { "${prefix}:sub": r.subjects } } }],
        }),
      });
      if (r.statements.length > 0) {
        new iamRolePolicy.IamRolePolicy(this, r.name + "-policy", { role: role.name, name: "permissions", policy: JSON.stringify({ Version: "2012-10-17", Statement: r.statements.map((s) => ({ Effect: "Allow", Action: s.actions, Resource: s.resources })) }) });
      }
      r.managed.forEach((arn, i) => new iamRolePolicyAttachment.IamRolePolicyAttachment(this, r.name + "-managed-" + i, { role: role.name, policyArn: arn }));
      new TerraformOutput(this, r.name + "-arn", { value: role.arn });
    }
  }
}

const app = new App();
new MyStack(app, "baseline");
app.synth();
`,
  );
  fs.writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: "npx ts-node main.ts", projectId: "baseline", sendCrashReports: "false", terraformProviders: [], terraformModules: [], context: {} }, null, 2));
  // tsconfig as `cdktf init --template=typescript` writes it.
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        alwaysStrict: true, declaration: true, experimentalDecorators: true, inlineSourceMap: true, inlineSources: true, lib: ["es2018"],
        module: "CommonJS", noEmitOnError: true, noFallthroughCasesInSwitch: true, noImplicitAny: true, noImplicitReturns: true,
        noImplicitThis: true, noUnusedLocals: true, noUnusedParameters: true, resolveJsonModule: true, strict: true,
        strictNullChecks: true, strictPropertyInitialization: true, stripInternal: true, target: "ES2018", incremental: true, skipLibCheck: true,
      },
      include: ["**/*.ts"],
      exclude: ["node_modules", "cdktf.out"],
    }, null, 2),
  );
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "baseline", version: "1.0.0", private: true, main: "main.js" }, null, 2));
}

/** A config like the example with n roles, for the scaling check. */
function writeScaledConfig(n) {
  const config = YAML.parse(fs.readFileSync(path.join(ROOT, "bitbucket-oidc.yaml"), "utf8"));
  const template = config.roles[0];
  config.stack = `bench-${n}`;
  config.roles = Array.from({ length: n }, (_, i) => ({ ...template, name: `role-${String(i).padStart(4, "0")}` }));
  const file = path.join(WORK, `roles-${n}.yaml`);
  fs.writeFileSync(file, YAML.stringify(config, { aliasDuplicateObjects: false }));
  return file;
}

/** 1,000 roles of the example's first kind, each with its own ecrPush grant, in one account. */
function writeEcrConfig(n) {
  const config = YAML.parse(fs.readFileSync(path.join(ROOT, "bitbucket-oidc.yaml"), "utf8"));
  const template = config.roles[0];
  config.stack = `bench-ecr-${n}`;
  config.state = { ...config.state, bootstrap: false };
  config.roles = Array.from({ length: n }, (_, i) => ({ ...template, name: `role-${String(i).padStart(5, "0")}`, grants: { ecrPush: { repositories: [`repo-${i}`] } } }));
  const file = path.join(WORK, `ecr-${n}.yaml`);
  fs.writeFileSync(file, YAML.stringify(config, { aliasDuplicateObjects: false }));
  return file;
}

/** `roles` roles of the example's first kind in each of `accounts` accounts (one stack per account). */
function writeAccountsConfig(accounts, roles) {
  const example = YAML.parse(fs.readFileSync(path.join(ROOT, "bitbucket-oidc.yaml"), "utf8"));
  const config = {
    stack: "org",
    workspace: example.workspace,
    state: { ...example.state, bootstrap: false },
    accounts: Array.from({ length: accounts }, (_, i) => ({ id: String(100000000000 + i), name: `acct${i}`, region: "us-east-1" })),
    roles: Array.from({ length: roles }, (_, r) => ({ ...example.roles[0], name: `role-${String(r).padStart(4, "0")}` })),
  };
  const file = path.join(WORK, `accounts-${accounts}x${roles}.yaml`);
  fs.writeFileSync(file, YAML.stringify(config, { aliasDuplicateObjects: false }));
  return file;
}

/**
 * Ours (`node bin/bitbucket-oidc.js synth`) against the bare-classes baseline for the same resources,
 * run alternately `runs` times (after `warmups` pairs); medians of each.
 */
function againstBaseline(label, config, runs, warmups) {
  const out = path.join(WORK, `out-${label}`);
  const ourArgs = [path.join(ROOT, "bin", "bitbucket-oidc.js"), "synth", "-q", "--config", config, "--output", out];
  const first = measure(process.execPath, ourArgs, ROOT);
  const spec = path.join(WORK, `spec-${label}.json`);
  const resources = writeSpec(out, spec);
  const baseArgs = [path.join(__dirname, "bench-baseline.js"), spec, path.join(WORK, `baseline-${label}`)];
  const pairs = [];
  for (let i = 0; i < warmups + runs; i++) {
    const b = measure(process.execPath, baseArgs, ROOT);
    const o = i === 0 ? first : measure(process.execPath, ourArgs, ROOT);
    if (i >= warmups) pairs.push({ b, o });
  }
  const row = (key) => ({ wall: median(pairs.map((p) => p[key].wall)), rssMb: median(pairs.map((p) => p[key].rssMb)) });
  const baseline = row("b");
  const ours = row("o");
  log(`  ${label} (${resources} resources)`);
  log(`    ${"baseline: bare classes, node + app.synth()".padEnd(44)} ${baseline.wall.toFixed(2).padStart(6)} s ${baseline.rssMb.toFixed(0).padStart(6)} MB`);
  log(`    ${"ours: node bin/bitbucket-oidc.js synth".padEnd(44)} ${ours.wall.toFixed(2).padStart(6)} s ${ours.rssMb.toFixed(0).padStart(6)} MB`);
  log(`    ratio: ${(ours.wall / baseline.wall).toFixed(2)}x wall, ${(ours.rssMb / baseline.rssMb).toFixed(2)}x peak memory`);
  return { baseline, ours };
}

function main() {
  fs.mkdirSync(WORK, { recursive: true });
  execFileSync(process.execPath, [path.join(ROOT, "scripts", "build.js")], { stdio: "inherit" });
  const cdktf = path.join(ROOT, "node_modules", ".bin", "cdktf");
  const checks = [];
  const check = (name, value, limit) => {
    checks.push({ name, value, limit, ok: value <= limit });
  };

  if (!process.argv.includes("--baseline-only")) {
    log(`\nSynth of the example (median of ${RUNS}, after one warm-up run):`);
    const baselineDir = path.join(WORK, "baseline");
    writeBaseline(baselineDir);
    const baseline = bench("baseline: cdktf init style, cdktf synth", cdktf, ["synth", "--output", path.join(baselineDir, "cdktf.out")], baselineDir);
    const ours = bench("ours: cdktf synth", cdktf, ["synth", "--output", path.join(WORK, "out-cdktf")], ROOT);
    const npmSynth = bench("ours: npm run synth", "npm", ["run", "-s", "synth", "--", "-q", "--output", path.join(WORK, "out-npm")], ROOT);
    const floor = bench("floor: npm run bench:floor (node + cdktf)", "npm", ["run", "-s", "bench:floor"], ROOT);
    const bare = bench("floor without npm: node -e require('cdktf')", process.execPath, ["-e", "require('cdktf')"], ROOT);
    const direct = bench("ours without npm: node bin/bitbucket-oidc.js synth", process.execPath, [path.join(ROOT, "bin", "bitbucket-oidc.js"), "synth", "-q", "--output", path.join(WORK, "out-node")], ROOT);
    check("cdktf synth wall / baseline wall (<= 0.25)", ours.wall / baseline.wall, 0.25);
    check("cdktf synth peak MB / baseline peak MB (<= 0.25)", ours.rssMb / baseline.rssMb, 0.25);
    check("npm run synth wall / floor wall (<= 2)", npmSynth.wall / floor.wall, 2);
    log(`  (info) node synth / bare node floor, without npm's start-up: ${(direct.wall / bare.wall).toFixed(2)}x`);

    log(`\nScaling (node bin/bitbucket-oidc.js synth, median of ${RUNS}):`);
    const times = {};
    for (const n of [10, 100, 1000]) {
      const file = writeScaledConfig(n);
      times[n] = bench(`${n} roles`, process.execPath, [path.join(ROOT, "bin", "bitbucket-oidc.js"), "synth", "-q", "--config", file, "--output", path.join(WORK, `out-${n}`)], ROOT).wall;
    }
    const marginalLow = marginal(times, 10, 100);
    const marginalHigh = marginal(times, 100, 1000);
    log(`  marginal ms/role: 10->100 ${(marginalLow * 1000).toFixed(2)}, 100->1000 ${(marginalHigh * 1000).toFixed(2)}`);
    check("marginal per role 100->1000 / 10->100 (<= 1.5)", marginalHigh / marginalLow, 1.5);
  }

  log(`\nAgainst the bare-classes baseline (alternating runs, medians of ${RUNS}):`);
  const k1 = againstBaseline("1000-roles-ecrPush", writeEcrConfig(1000), RUNS, 1);
  check("1,000 roles: ours wall / baseline wall (<= 1.5)", k1.ours.wall / k1.baseline.wall, 1.5);
  check("1,000 roles: ours peak MB / baseline peak MB (<= 1.5)", k1.ours.rssMb / k1.baseline.rssMb, 1.5);
  if (!process.argv.includes("--skip-large")) {
    const k10 = againstBaseline("10000-roles-100-accounts", writeAccountsConfig(100, 100), RUNS, 0);
    check("10,000 roles / 100 accounts: ours wall / baseline wall (<= 2)", k10.ours.wall / k10.baseline.wall, 2);
    check("10,000 roles / 100 accounts: ours peak MB / baseline peak MB (<= 2)", k10.ours.rssMb / k10.baseline.rssMb, 2);
  }

  log("\nResult:");
  for (const c of checks) log(`  ${c.ok ? "PASS" : "FAIL"}  ${c.name}: ${c.value.toFixed(3)}`);
  const failed = checks.filter((c) => !c.ok).length;
  log(failed === 0 ? "\nall speed targets met" : `\n${failed} speed target(s) missed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main();
