import { readFileSync, rmSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TerraformStack } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { buildApp } from "../../cli/app/synthesize";
import { parseConfig } from "../../lib/config/load";
import { withSynth } from "../support/synth";

const EXAMPLE = join(__dirname, "..", "..", "bitbucket-oidc.yaml");

describe("the state bootstrap stack under the guardrails", () => {
  test("GIVEN the example THEN <stack>-state synthesizes with the guardrails applied and nothing found", () => {
    withSynth(readFileSync(EXAMPLE, "utf8"), (out) => {
      expect(out.result.stacks.map((s) => s.name)).toContain("bitbucket-oidc-state");
      expect(out.result.warnings.filter((w) => w.startsWith("bitbucket-oidc-state"))).toEqual([]);
      expect(out.json("bitbucket-oidc-state").resource?.aws_s3_bucket).toBeDefined();
    });
  });

  test("GIVEN a Bitbucket role without an aud check added to the bootstrap stack THEN its synth stops with BBO-T001", () => {
    const outdir = mkdtempSync(join(tmpdir(), "bbo-state-guard-"));
    try {
      const app = buildApp(parseConfig(readFileSync(EXAMPLE, "utf8"), "bitbucket-oidc.yaml"), outdir);
      const state = app.node.children.find((c) => c.node.id === "bitbucket-oidc-state") as TerraformStack;
      const prefix = "api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc";
      new IamRole(state, "hand-made", {
        name: "hand-made",
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${prefix}` },
              Action: "sts:AssumeRoleWithWebIdentity",
              Condition: { StringLike: { [`${prefix}:sub`]: "{5b7d1e3f-2c4a-4b6d-8e0f-a1b2c3d4e5f6}:*" } },
            },
          ],
        }),
      });
      expect(() => app.synth()).toThrow(/BBO-T001/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
