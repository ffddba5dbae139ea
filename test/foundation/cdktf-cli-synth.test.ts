/**
 * Issue 17 item 4: `npx cdktf synth` (the real cdktf CLI running our app) works when the set of stacks
 * changed since the last synth: bootstrap switched on, a renamed `stack:`, an account added. The cdktf
 * CLI lists the stack folders before it runs the app and deletes the ones that are gone afterwards, so
 * the app must leave them in place. A clean synth shows no `[ERROR]` line: progress and the "Next:"
 * hint go to stdout, only warnings and errors to stderr (which the cdktf CLI shows as `[ERROR]`).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { BitbucketOidcConfigInput } from "../../lib/config/model";
import { baseConfig, UUIDS } from "../support/synth";
import { describeWithTerraform, terraformEnv } from "../support/terraform";

jest.setTimeout(300_000);

const ROOT = join(__dirname, "..", "..");
const LOCK = '# This file is maintained automatically by "terraform init".\n';

describeWithTerraform("npx cdktf synth when the stack set changed since the last synth", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "bbo-cdktf-cli-"));
    const cdktfJson = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(join(dir, "cdktf.json"), JSON.stringify({ ...cdktfJson, app: `"${process.execPath}" "${join(ROOT, "bin", "bitbucket-oidc.js")}" synth` }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** `cdktf synth` with this config, as a user runs it in a CI step. */
  const cdktfSynth = (config: BitbucketOidcConfigInput) => {
    writeFileSync(join(dir, "bitbucket-oidc.yaml"), stringify(config));
    const run = spawnSync(join(ROOT, "node_modules", ".bin", "cdktf"), ["synth"], { cwd: dir, encoding: "utf8", env: terraformEnv({ CI: "true" }), timeout: 240_000 });
    return { ...run, output: `${run.stdout}\n${run.stderr}` };
  };
  const stacks = (): string[] => readdirSync(join(dir, "cdktf.out", "stacks")).sort();
  const state = { bucket: "acme-terraform-state", region: "us-east-1" };

  test("GIVEN a first synth THEN it is clean: no [ERROR] line, and the Next: hint on stdout", () => {
    const run = cdktfSynth(baseConfig({ state }));
    expect(run.status).toBe(0);
    expect(run.output).not.toMatch(/\[ERROR\]|ENOENT/);
    expect(run.stdout).toMatch(/Next: terraform -chdir=cdktf\.out\/stacks\/bitbucket-oidc init/);
    expect(stacks()).toEqual(["bitbucket-oidc"]);
  });

  test("GIVEN bootstrap switched on THEN a clean synth adds the state stack, and the stack's .terraform.lock.hcl survives", () => {
    writeFileSync(join(dir, "cdktf.out", "stacks", "bitbucket-oidc", ".terraform.lock.hcl"), LOCK);
    const run = cdktfSynth(baseConfig({ state: { ...state, bootstrap: true } }));
    expect(run.status).toBe(0);
    expect(run.output).not.toMatch(/\[ERROR\]|ENOENT/);
    expect(stacks()).toEqual(["bitbucket-oidc", "bitbucket-oidc-state"]);
    expect(readFileSync(join(dir, "cdktf.out", "stacks", "bitbucket-oidc", ".terraform.lock.hcl"), "utf8")).toBe(LOCK);
  });

  test("GIVEN a renamed stack (bootstrap off again) THEN synth succeeds, warns about the lock file the cdktf CLI deletes, and only the new stack remains", () => {
    const run = cdktfSynth(baseConfig({ stack: "iam-oidc", state }));
    expect(run.status).toBe(0);
    expect(run.output).not.toMatch(/ENOENT/);
    expect(run.output).toMatch(/WARNING cdktf\.out\/stacks\/bitbucket-oidc: this stack is no longer synthesized; the cdktf CLI now deletes its folder/);
    expect(stacks()).toEqual(["iam-oidc"]);
  });

  test("GIVEN accounts added THEN a clean synth writes one stack per account and drops the single stack", () => {
    const { aws: _aws, roles: _roles, ...base } = baseConfig({ stack: "iam-oidc", state });
    const run = cdktfSynth({
      ...base,
      accounts: ["dev", "prod"].map((name, i) => ({
        id: `${i + 1}`.repeat(12),
        name,
        region: "us-east-1",
        environments: [name],
        roles: [{ name: "bitbucket-deploy", repositories: [{ uuid: UUIDS.repoA, name: "web-app" }] }],
      })),
    });
    expect(run.status).toBe(0);
    expect(run.output).not.toMatch(/\[ERROR\]|ENOENT/);
    expect(stacks()).toEqual(["iam-oidc-dev", "iam-oidc-prod"]);
  });
});
