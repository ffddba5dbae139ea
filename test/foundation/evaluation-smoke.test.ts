import { evaluateAction } from "../../lib/evaluation/identity-evaluator";
import { evaluateTrust } from "../../lib/evaluation/trust-evaluator";
import { baseConfig, UUIDS, withSynth } from "../support/synth";
import { rolesFromTerraform } from "../support/terraform-json";

const PREFIX = "api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc";
const AUD = "ari:cloud:bitbucket::workspace/8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60";

describe("synthesized policies evaluated by @cloud-copilot/iam-simulate", () => {
  const config = baseConfig({
    roles: [
      {
        name: "bitbucket-deploy",
        repositories: [{ uuid: UUIDS.repoA }],
        statements: [{ actions: ["s3:PutObject"], resources: ["arn:aws:s3:::acme-site/*"] }],
      },
    ],
  });

  test("GIVEN a role for repository A THEN A's steps may assume it and B's may not", () => {
    withSynth(config, (out) => {
      const [role] = rolesFromTerraform(out.json(), { accountId: "123456789012" });
      const request = { issuerHostPath: PREFIX, aud: AUD, accountId: "123456789012", roleArn: role.arn };
      expect(evaluateTrust(role.trustPolicy, { ...request, sub: `${UUIDS.repoA}:{0b0c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d}` })).toBe("Allowed");
      expect(evaluateTrust(role.trustPolicy, { ...request, sub: `${UUIDS.repoB}:{0b0c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d}` })).toBe("ImplicitlyDenied");
      expect(evaluateTrust(role.trustPolicy, { ...request, aud: "sts.amazonaws.com", sub: `${UUIDS.repoA}:{x}` })).toBe("ImplicitlyDenied");
    });
  });

  test("GIVEN an s3:PutObject statement THEN it allows exactly that bucket's objects", async () => {
    const out = (await import("../support/synth")).synthConfig(config);
    try {
      const [role] = rolesFromTerraform(out.json(), { accountId: "123456789012" });
      const base = { principalArn: role.arn, accountId: "123456789012" };
      const allowed = await evaluateAction(role.inlinePolicies, { ...base, action: "s3:PutObject", resource: "arn:aws:s3:::acme-site/index.html" });
      expect(allowed).toEqual({ result: "Allowed", ignoredContextKeys: [] });
      const other = await evaluateAction(role.inlinePolicies, { ...base, action: "s3:PutObject", resource: "arn:aws:s3:::other/index.html" });
      expect(other.result).toBe("ImplicitlyDenied");
      await expect(evaluateAction(role.inlinePolicies, { ...base, action: "s3:PutObjects", resource: "arn:aws:s3:::acme-site/x" })).rejects.toThrow(/failed/);
    } finally {
      out.dispose();
    }
  });
});
