/** The review command's input handling: what it reads, and the errors (exit 2) for what it cannot. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployRole, pairConfig, runCommand, synthConfig, synthFolder } from "./support";

describe("review reads a synth output folder", () => {
  const out = synthConfig(pairConfig([deployRole()]));
  const scratch = mkdtempSync(join(tmpdir(), "bbo-review-"));
  afterAll(() => {
    out.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  test("GIVEN a missing folder THEN exit 2 naming it", async () => {
    const run = await runCommand(["review", "--synth", join(scratch, "nope")]);
    expect(run).toMatchObject({ code: 2, stdout: "" });
    expect(run.stderr).toContain(`${join(scratch, "nope")}: no such folder`);
  });

  test("GIVEN a missing --base folder THEN the message names --base", async () => {
    const run = await runCommand(["review", "--synth", synthFolder(out), "--base", join(scratch, "no-base")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("or pass --base <folder>");
  });

  test("GIVEN an action the IAM data does not know THEN the report says so next to the count", async () => {
    const typo = synthConfig(pairConfig([deployRole({ statements: [{ actions: ["ecr:PutImages", "ecr:PutImage"], resources: ["*"] }], acknowledge: [{ rule: "BBO-P001", reason: "testing how the report shows an unknown action" }] })]));
    try {
      const run = await runCommand(["review", "--synth", synthFolder(typo)]);
      expect(run.stdout).toContain("| permissions | Allow | `ecr:PutImages`, `ecr:PutImage` | 2 (unknown: `ecr:PutImages`) | `*` |");
    } finally {
      typo.dispose();
    }
  });

  test("GIVEN a folder without stacks THEN exit 2", async () => {
    mkdirSync(join(scratch, "empty"));
    const run = await runCommand(["review", "--synth", join(scratch, "empty")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no stacks");
  });

  test("GIVEN a malformed access model THEN exit 2 naming the file", async () => {
    const dir = join(scratch, "broken", "stacks", "bitbucket-oidc");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "access-model.json"), "{ not json");
    const run = await runCommand(["review", "--synth", join(scratch, "broken")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join(dir, "access-model.json")}: not valid JSON`);
  });

  test("GIVEN an access model of another version THEN exit 2 saying what is expected", async () => {
    const dir = join(scratch, "old", "stacks", "bitbucket-oidc");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "access-model.json"), JSON.stringify({ version: 99, roles: [] }));
    const run = await runCommand(["review", "--synth", join(scratch, "old")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("version: 99: expected access model version 1");
  });

  test("GIVEN a stack without an access model (e.g. state bootstrap) THEN it is listed, not an error", async () => {
    const dir = join(synthFolder(out), "stacks", "state-bootstrap");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "cdk.tf.json"), "{}");
    try {
      const run = await runCommand(["review", "--synth", synthFolder(out)]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("## Stack `state-bootstrap`\n\nNo access model");
      const json = JSON.parse((await runCommand(["review", "--synth", synthFolder(out), "--json"])).stdout);
      expect(json.stacks.map((s: { name: string; hasAccessModel: boolean }) => [s.name, s.hasAccessModel])).toEqual([
        ["bitbucket-oidc", true],
        ["state-bootstrap", false],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("GIVEN --fail-on without --base, or an unknown value THEN a usage error (exit 2)", async () => {
    expect((await runCommand(["review", "--synth", synthFolder(out), "--fail-on", "widening"])).code).toBe(2);
    const run = await runCommand(["review", "--synth", synthFolder(out), "--base", synthFolder(out), "--fail-on", "everything"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--fail-on: "everything": expected "widening"');
  });

  test("GIVEN --fail-on widening THEN exit 1 only when a change widens access", async () => {
    const wider = synthConfig(pairConfig([deployRole({ maxSessionDuration: 7200 })]));
    try {
      const widening = await runCommand(["review", "--synth", synthFolder(wider), "--base", synthFolder(out), "--fail-on", "widening"]);
      expect(widening.code).toBe(1);
      expect(widening.stderr).toContain("1 change widens access");
      expect(widening.stdout).toContain("**▲ widening**");
      const narrowing = await runCommand(["review", "--synth", synthFolder(out), "--base", synthFolder(wider), "--fail-on", "widening"]);
      expect(narrowing.code).toBe(0);
      expect(narrowing.stdout).toContain("▼ narrowing");
    } finally {
      wider.dispose();
    }
  });
});
