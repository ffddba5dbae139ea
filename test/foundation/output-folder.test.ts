/**
 * Issue 17 items 2 and 3: synth replaces only an output folder that is absent, empty or its own
 * output; a crash at any step leaves the previous or the new output (and the next run cleans up);
 * Terraform's files of each stack folder (.terraform/, .terraform.lock.hcl, local state) survive.
 * A synth that is killed is the real bin in a child process, SIGKILLed at the test-only
 * BITBUCKET_OIDC_TEST_CRASH_AT steps of cli/app/output-folder.ts; every other synth runs the same
 * `runCli` in process, in the project folder.
 */
import { spawnSync, SpawnSyncReturns } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { CRASH_AT_ENV, CRASH_POINTS, OUTPUT_MARKER } from "../../cli/app/output-folder";
import { BitbucketOidcConfigInput } from "../../lib/config/model";
import { CliRun, runCliIn } from "../support/run-cli";
import { baseConfig } from "../support/synth";

jest.setTimeout(120_000);

const BIN = join(__dirname, "..", "..", "bin", "bitbucket-oidc.js");
const STACK = join("cdktf.out", "stacks", "bitbucket-oidc");

const V1: BitbucketOidcConfigInput = baseConfig();
const V2: BitbucketOidcConfigInput = { ...baseConfig(), roles: (baseConfig().roles ?? []).map((r) => ({ ...r, name: `${r.name}-v2` })) };

/** Terraform's files in a stack folder, as `terraform init`/`apply` leave them. */
const TERRAFORM_FILES: Record<string, string> = {
  ".terraform.lock.hcl": '# This file is maintained automatically by "terraform init".\nprovider "registry.terraform.io/hashicorp/aws" {}\n',
  ".terraform/terraform.tfstate": '{"backend":{"type":"s3"}}\n',
  ".terraform/providers/registry.terraform.io/hashicorp/aws/marker": "provider binary\n",
  "terraform.tfstate": '{"version":4,"serial":7}\n',
  "plan.tfplan": "a saved plan\n",
};

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "bbo-outdir-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A project folder with .git, a package.json and both configs. */
function project(name: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, ".git"), { recursive: true });
  writeFileSync(join(dir, ".git", "HEAD"), "ref: refs/heads/main\n");
  writeFileSync(join(dir, "package.json"), "{}\n");
  writeFileSync(join(dir, "v1.yaml"), stringify(V1));
  writeFileSync(join(dir, "v2.yaml"), stringify(V2));
  return dir;
}

/** `synth <args>` in the project folder `cwd`, in process. */
function synth(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runCliIn(["synth", ...args], { cwd, env: { CHECKPOINT_DISABLE: "1", PATH: process.env.PATH, ...env } });
}

/** `synth <args>` by the real bin in a child process, killed at the step `crashAt`. */
function crashingSynth(cwd: string, args: string[], crashAt: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, "synth", ...args], { cwd, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: "", CHECKPOINT_DISABLE: "1", [CRASH_AT_ENV]: crashAt }, timeout: 90_000 });
}

/** Every file under `dir` with its content, by relative path. */
function tree(dir: string, rel = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, tree(dir, path));
    else out[path] = readFileSync(join(dir, path), "utf8");
  }
  return out;
}

function addTerraformFiles(stackDir: string): void {
  for (const [file, text] of Object.entries(TERRAFORM_FILES)) {
    mkdirSync(join(stackDir, file, ".."), { recursive: true });
    writeFileSync(join(stackDir, file), text);
  }
}

/** What synth wrote for a config: the reference output, made once per config. */
const reference: Record<string, Record<string, string>> = {};
beforeAll(async () => {
  for (const config of ["v1", "v2"] as const) {
    const dir = project(`ref-${config}`);
    expect((await synth(dir, ["-q", "-c", `${config}.yaml`])).code).toBe(0);
    reference[config] = tree(join(dir, "cdktf.out"));
  }
});
const referenceOutput = (config: "v1" | "v2"): Record<string, string> => reference[config];

const leftovers = (dir: string): string[] => readdirSync(dir).filter((e) => e.startsWith(".cdktf.out."));

describe("synth replaces only its own output folder", () => {
  test.each([
    ["--output .", ["--output", "."], {}, /--output: "\.": holds files synth did not write \("\.git"/],
    ["CDKTF_OUTDIR=.", [], { CDKTF_OUTDIR: "." }, /CDKTF_OUTDIR: "\.": holds files synth did not write/],
  ])("GIVEN %s in a project folder THEN exit 2 naming the folder, and every file of the project is still there", async (_name, args, env, message) => {
    const dir = project(`dot-${Object.keys(env).length}`);
    const before = tree(dir);
    const run = await synth(dir, ["-c", "v1.yaml", ...args], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/output folder \./);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(tree(dir)).toEqual(before);
    expect(readdirSync(root).filter((e) => e.startsWith("."))).toEqual([]);
  });

  test("GIVEN a folder with someone else's files, or a file, THEN exit 2 and it is untouched; GIVEN an empty folder THEN synth writes there", async () => {
    const dir = project("foreign");
    mkdirSync(join(dir, "notes"));
    writeFileSync(join(dir, "notes", "todo.txt"), "mine\n");
    const notes = await synth(dir, ["-c", "v1.yaml", "--output", "notes"]);
    expect(notes.code).toBe(2);
    expect(notes.stderr).toMatch(/--output: "notes": holds files synth did not write \("todo\.txt"\)/);
    expect(tree(join(dir, "notes"))).toEqual({ "todo.txt": "mine\n" });
    writeFileSync(join(dir, "a-file"), "x");
    expect(await synth(dir, ["-c", "v1.yaml", "--output", "a-file"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/"a-file": is not a folder/) });
    mkdirSync(join(dir, "empty"));
    expect((await synth(dir, ["-q", "-c", "v1.yaml", "--output", "empty"])).code).toBe(0);
    expect(tree(join(dir, "empty"))).toEqual(referenceOutput("v1"));
  });

  test("GIVEN an output of an earlier version (a cdktf manifest, no marker) THEN synth replaces it and keeps its Terraform files", async () => {
    const dir = project("legacy");
    cpSync(join(root, "ref-v1", "cdktf.out"), join(dir, "cdktf.out"), { recursive: true });
    rmSync(join(dir, "cdktf.out", OUTPUT_MARKER));
    addTerraformFiles(join(dir, STACK));
    expect((await synth(dir, ["-q", "-c", "v2.yaml"])).code).toBe(0);
    const after = tree(join(dir, "cdktf.out"));
    for (const [file, text] of Object.entries(TERRAFORM_FILES)) expect(after[`stacks/bitbucket-oidc/${file}`]).toBe(text);
    expect(Object.keys(after).filter((f) => !/\.terraform|tfstate|tfplan/.test(f)).sort()).toEqual(Object.keys(referenceOutput("v2")).sort());
  });
});

describe("Terraform's files survive a re-synth", () => {
  test("GIVEN terraform init/apply files in a stack folder WHEN synth runs again with a changed config THEN they are kept and only synth's own files change", async () => {
    const dir = project("kept");
    expect((await synth(dir, ["-q", "-c", "v1.yaml"])).code).toBe(0);
    addTerraformFiles(join(dir, STACK));
    const again = await synth(dir, ["-c", "v2.yaml"]);
    expect(again.code).toBe(0);
    const after = tree(join(dir, "cdktf.out"));
    const expected = { ...referenceOutput("v2") };
    for (const [file, text] of Object.entries(TERRAFORM_FILES)) expected[`stacks/bitbucket-oidc/${file}`] = text;
    expect(after).toEqual(expected);
    expect(leftovers(dir)).toEqual([]);
  });

  test("GIVEN a renamed stack THEN the old stack folder keeps only its Terraform files, with a warning; a stack folder without any is removed", async () => {
    const dir = project("renamed");
    writeFileSync(join(dir, "renamed.yaml"), stringify({ ...V1, stack: "iam-oidc" }));
    writeFileSync(join(dir, "again.yaml"), stringify({ ...V1, stack: "iam-oidc-2" }));
    expect((await synth(dir, ["-q", "-c", "v1.yaml"])).code).toBe(0);
    writeFileSync(join(dir, STACK, ".terraform.lock.hcl"), TERRAFORM_FILES[".terraform.lock.hcl"]);
    const renamed = await synth(dir, ["-q", "-c", "renamed.yaml"]);
    expect(renamed.code).toBe(0);
    expect(renamed.stderr).toMatch(/WARNING cdktf\.out\/stacks\/bitbucket-oidc: this stack is no longer synthesized; kept its Terraform files/);
    expect(tree(join(dir, STACK))).toEqual({ ".terraform.lock.hcl": TERRAFORM_FILES[".terraform.lock.hcl"] });
    expect((await synth(dir, ["-q", "-c", "again.yaml"])).code).toBe(0);
    expect(existsSync(join(dir, "cdktf.out", "stacks", "iam-oidc"))).toBe(false);
    expect(readdirSync(join(dir, "cdktf.out", "stacks")).sort()).toEqual(["bitbucket-oidc", "iam-oidc-2"]);
  });
});

describe("a synth killed at any step leaves the previous or the new output, and the next run finishes the job", () => {
  test.each(CRASH_POINTS.map((p) => [p]))("GIVEN a synth killed at %s THEN cdktf.out is v1 or v2 whole (or v1 set aside), and the next synth leaves v2 with every Terraform file and no leftovers", async (point) => {
    const dir = project(`crash-${point}`);
    cpSync(join(root, "ref-v1", "cdktf.out"), join(dir, "cdktf.out"), { recursive: true });
    addTerraformFiles(join(dir, STACK));
    const withTerraformFiles = (output: Record<string, string>): Record<string, string> => {
      const all = { ...output };
      for (const [file, text] of Object.entries(TERRAFORM_FILES)) all[`stacks/bitbucket-oidc/${file}`] = text;
      return all;
    };
    const crashed = crashingSynth(dir, ["-q", "-c", "v2.yaml"], point);
    expect(crashed.signal).toBe("SIGKILL");

    const synthFiles = (output: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(output).filter(([f]) => !/\.terraform|tfstate|tfplan/.test(f)));
    if (point === "moved-aside") {
      // Between the two renames the previous output, whole, sits beside the target.
      expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
      const aside = leftovers(dir).filter((e) => e.includes(".old-"));
      expect(aside).toHaveLength(1);
      expect(tree(join(dir, aside[0]))).toEqual(withTerraformFiles(referenceOutput("v1")));
      // Even a synth that fails on its config first puts it back.
      writeFileSync(join(dir, "bad.yaml"), "roles: [");
      expect((await synth(dir, ["-q", "-c", "bad.yaml"])).code).toBe(2);
      expect(tree(join(dir, "cdktf.out"))).toEqual(withTerraformFiles(referenceOutput("v1")));
    } else {
      const now = synthFiles(tree(join(dir, "cdktf.out")));
      expect([synthFiles(referenceOutput("v1")), synthFiles(referenceOutput("v2"))]).toContainEqual(now);
      expect(now).toEqual(synthFiles(referenceOutput(point === "staged" ? "v1" : "v2")));
    }

    const next = await synth(dir, ["-q", "-c", "v2.yaml"]);
    expect(next.code).toBe(0);
    expect(tree(join(dir, "cdktf.out"))).toEqual(withTerraformFiles(referenceOutput("v2")));
    expect(leftovers(dir)).toEqual([]);
  });
});
