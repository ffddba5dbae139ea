/**
 * `cdktf synth` (the cdktf CLI, which needs terraform on PATH) writes what `bitbucket-oidc synth`
 * writes. Its own file, apart from test/foundation/cli.test.ts, so the inner loop (`npm run test:fast`)
 * keeps the CLI tests and leaves out only this terraform-dependent one.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

describe("cdktf synth", () => {
  const hasTerraform = spawnSync("terraform", ["version"]).status === 0;
  if (!hasTerraform && process.env.CI !== "true") {
    // eslint-disable-next-line no-console
    console.warn("SKIPPED: `cdktf synth` equivalence test: terraform is not on PATH (the cdktf CLI needs it). CI runs it.");
  }
  (hasTerraform || process.env.CI === "true" ? test : test.skip)("GIVEN the example WHEN `npx cdktf synth` runs THEN it writes what `npm run synth` writes", () => {
    const out = mkdtempSync(join(tmpdir(), "bbo-cdktf-"));
    try {
      const env = { ...process.env, CHECKPOINT_DISABLE: "1", CI: "true" };
      const cdktf = spawnSync(join(ROOT, "node_modules", ".bin", "cdktf"), ["synth", "--output", join(out, "a")], { cwd: ROOT, encoding: "utf8", env });
      expect(cdktf.status).toBe(0);
      const direct = spawnSync(process.execPath, [join(ROOT, "bin", "bitbucket-oidc.js"), "synth", "-q", "--output", join(out, "b")], { cwd: ROOT, encoding: "utf8", env });
      expect(direct.status).toBe(0);
      const read = (d: string) => readFileSync(join(out, d, "stacks", "bitbucket-oidc", "cdk.tf.json"), "utf8");
      expect(read("a")).toBe(read("b"));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
