/**
 * cdktf's importFrom checks `terraform version` (>= 1.5) at synth. Without terraform on PATH an
 * adopting synth must stop as bad input (exit 2, nothing written), naming the cause, not crash.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import { baseConfig, UUIDS } from "../support/synth";

const BIN = resolve(__dirname, "../../bin/bitbucket-oidc.js");

test("GIVEN adopted resources and no terraform on PATH WHEN synthesized THEN exit 2 naming terraform, and nothing written", async () => {
  const dir = mkdtempSync(join(tmpdir(), "bbo-no-terraform-"));
  try {
    writeFileSync(join(dir, "adopt.yaml"), stringify(baseConfig({ roles: [{ name: "bitbucket-deploy", adopt: true, repositories: [{ uuid: UUIDS.repoA }] }] })));
    // The real CLI in a child process whose PATH holds no terraform (jest's process.env is not the one child processes see).
    const run = spawnSync(process.execPath, [BIN, "synth", "--config", join(dir, "adopt.yaml"), "--output", join(dir, "cdktf.out")], {
      cwd: dir,
      encoding: "utf8",
      env: { PATH: join(dir, "no-such-bin"), HOME: dir, CHECKPOINT_DISABLE: "1" },
      timeout: 60_000,
    });
    expect(run.stderr).toContain("bitbucket-oidc/bitbucket-deploy: Could not determine version of terraform");
    expect(run.stderr).toContain("Nothing was written"); // main words it "Nothing was written: the previous output is unchanged."
    expect(run.status).toBe(2);
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
