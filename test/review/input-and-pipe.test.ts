/**
 * Issue 17 item 7: every failure of input is exit 2 with a message, never 3 or a stack trace; a large
 * valid plan is reported; a reader that closes the pipe early (`review | head -1`) ends the command
 * quietly.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runExplain } from "../explain/run-explain";
import { startTestIssuer, TestIssuer } from "../support/tokens";
import { baseConfig } from "../support/synth";
import { runCommand, synthConfig, synthFolder, UUIDS } from "./support";

const BIN = join(__dirname, "..", "..", "bin", "bitbucket-oidc.js");
const CHANGES = 150000;
/** Enough changes that the report is far over a pipe's buffer (64 KiB) when the reader closes it. */
const PIPE_CHANGES = 20000;

let dir: string;
let synth: string;
let bigPlan: string;
let pipePlan: string;
const dispose: (() => void)[] = [];

/** A synth folder whose one stack holds `text` as its access model. */
function fakeSynth(name: string, text: string, stack = "bitbucket-oidc"): string {
  const folder = join(dir, name);
  mkdirSync(join(folder, "stacks", stack), { recursive: true });
  writeFileSync(join(folder, "stacks", stack, "access-model.json"), text);
  return folder;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "bbo-review-input-"));
  dispose.push(() => rmSync(dir, { recursive: true, force: true }));
  const out = synthConfig(baseConfig());
  dispose.push(out.dispose);
  synth = synthFolder(out);
  const plan = (name: string, changes: number): string => {
    const resourceChanges = Array.from({ length: changes }, (_, i) => ({
      address: `aws_s3_object.o${i}`,
      mode: "managed",
      type: "aws_s3_object",
      name: `o${i}`,
      change: { actions: ["create"], before: null, after: {} },
    }));
    writeFileSync(join(dir, name), JSON.stringify({ format_version: "1.2", resource_changes: resourceChanges }));
    return join(dir, name);
  };
  bigPlan = plan("plan.json", CHANGES);
  pipePlan = plan("pipe-plan.json", PIPE_CHANGES);
}, 60000);
afterAll(() => dispose.forEach((d) => d()));

test(`a valid plan of ${CHANGES} changes is reported, not a stack overflow`, async () => {
  const run = await runCommand(["review", "--synth", synth, "--plan", bigPlan]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`aws_s3_object.o${CHANGES - 1}`);
}, 60000);

test("review | head -1: the closed pipe ends the command quietly", async () => {
  const child = spawn(process.execPath, [BIN, "review", "--synth", synth, "--plan", pipePlan], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "true" } });
  let stderr = "";
  let first = "";
  child.stderr.on("data", (d) => (stderr += d));
  child.stdout.once("data", (d: Buffer) => {
    first = d.toString();
    child.stdout.destroy();
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
  expect(first.length).toBeGreaterThan(0);
  expect(stderr).not.toMatch(/EPIPE|Error|internal/);
  expect(code).toBe(0);
}, 60000);

describe("a wrong-shape access model is bad input (exit 2) naming the file and field", () => {
  const wrong = [
    ["roles of the wrong shape", '{"version":1,"stack":"s","roles":[{"name":"x"}]}'],
    ["no workspace", '{"version":1,"roles":[]}'],
    ["an array", "[1]"],
  ];

  test.each(wrong)("review --base with %s", async (_what, text) => {
    const base = fakeSynth(`base-${_what.replace(/\W/g, "")}`, text);
    const run = await runCommand(["review", "--synth", synth, "--base", base]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(join(base, "stacks", "bitbucket-oidc", "access-model.json"));
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  test.each(wrong)("snippet with %s", async (_what, text) => {
    const folder = fakeSynth(`snippet-${_what.replace(/\W/g, "")}`, text);
    const run = await runCommand(["snippet", "--synth", folder, "bitbucket-deploy"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("access-model.json");
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  describe("explain", () => {
    let issuer: TestIssuer;
    beforeAll(async () => {
      issuer = await startTestIssuer();
    });
    afterAll(() => issuer.close());

    test.each(wrong)("with %s", async (_what, text) => {
      const folder = fakeSynth(`explain-${_what.replace(/\W/g, "")}`, text);
      const token = await issuer.mint({ workspaceSlug: "acme", workspaceUuid: UUIDS.workspace, repositoryUuid: UUIDS.repoA });
      const run = await runExplain(token, folder);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("access-model.json");
      expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    });
  });
});
