/**
 * Test support for the adoption tests: the real terraform binary, offline. Terraform is needed in
 * two places here: cdktf's `importFrom` checks `terraform version` (>= 1.5) at synth, and the
 * init tests run it. In CI (CI=true) a missing binary fails the tests; elsewhere they are skipped
 * with a warning naming what was skipped.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TerraformJson } from "../support/synth";

const found = spawnSync("terraform", ["version"], { env: { ...process.env, CHECKPOINT_DISABLE: "1" }, encoding: "utf8" });

/** True when `terraform` is on PATH. */
export const TERRAFORM_AVAILABLE = found.status === 0;

/**
 * `describe` when terraform is available; in CI without it, a failing test; elsewhere a loud skip.
 */
export function describeWithTerraform(name: string, body: () => void): void {
  if (TERRAFORM_AVAILABLE) {
    describe(name, body);
  } else if (process.env.CI === "true") {
    describe(name, () => test("terraform is on PATH (required in CI)", () => expect(found.error?.message ?? found.stderr).toBe("terraform on PATH")));
  } else {
    console.warn(`SKIPPED "${name}": terraform is not on PATH (these tests are mandatory in CI)`);
    describe.skip(name, body);
  }
}

/** The result of one terraform run. */
export interface TerraformRun {
  readonly status: number | null;
  readonly output: string;
}

/**
 * Runs terraform in `dir` offline: no checkpoint, and a CLI config whose only provider source is an
 * empty filesystem mirror, so that provider installation fails at once without reaching out.
 */
export function terraformOffline(dir: string, args: readonly string[]): TerraformRun {
  const home = mkdtempSync(join(tmpdir(), "bbo-tf-cli-"));
  try {
    const mirror = join(home, "empty-mirror");
    mkdirSync(mirror);
    writeFileSync(join(home, "cli.tfrc"), `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`);
    const run = spawnSync("terraform", ["-chdir=" + dir, ...args, "-no-color"], {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_CLI_CONFIG_FILE: join(home, "cli.tfrc"), TF_DATA_DIR: join(home, "data") },
    });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * Copies a stack's cdk.tf.json (optionally changed) into a fresh folder and runs
 * `terraform init -backend=false` there, offline: it must stop at the provider download. Returns its
 * output on one line, for asserting that no configuration error came first.
 */
export function initWith(json: TerraformJson, change: (j: TerraformJson) => void = () => undefined): string {
  const dir = mkdtempSync(join(tmpdir(), "bbo-init-"));
  try {
    const copy = JSON.parse(JSON.stringify(json)) as TerraformJson;
    change(copy);
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(copy, null, 2));
    const run = terraformOffline(dir, ["init", "-backend=false", "-input=false"]);
    expect(run.status).not.toBe(0); // no provider can be installed offline
    return run.output.replace(/\s+/g, " ");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
