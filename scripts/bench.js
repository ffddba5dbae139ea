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
 *
 * Peak memory is the largest single process's maximum RSS, as /usr/bin/time reports it.
 * Usage: npm run bench [-- --runs N]
 */
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const YAML = require("yaml");

const ROOT = path.join(__dirname, "..");
const WORK = path.join(ROOT, ".bench");

const { bench, log, marginal, RUNS } = require("./bench-lib");

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

function main() {
  fs.mkdirSync(WORK, { recursive: true });
  execFileSync(process.execPath, [path.join(ROOT, "scripts", "build.js")], { stdio: "inherit" });
  const cdktf = path.join(ROOT, "node_modules", ".bin", "cdktf");
  const checks = [];
  const check = (name, value, limit) => {
    checks.push({ name, value, limit, ok: value <= limit });
  };

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

  log("\nResult:");
  for (const c of checks) log(`  ${c.ok ? "PASS" : "FAIL"}  ${c.name}: ${c.value.toFixed(3)}`);
  const failed = checks.filter((c) => !c.ok).length;
  log(failed === 0 ? "\nall speed targets met" : `\n${failed} speed target(s) missed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main();
