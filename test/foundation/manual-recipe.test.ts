import { baseConfig, trustPolicyOf, UUIDS, withSynth } from "../support/synth";

describe("the manual recipe's trust policy (workspace acme, one repository)", () => {
  test("GIVEN one repository WHEN synthesized THEN the trust policy equals the recipe statement for statement", () => {
    withSynth(baseConfig(), (out) => {
      const json = out.json();
      const policy = trustPolicyOf(json, "bitbucket-deploy");
      const prefix = "api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc";
      expect(policy.Statement).toEqual([
        {
          Effect: "Allow",
          Principal: { Federated: "${aws_iam_openid_connect_provider.oidc-provider.arn}" },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: { [`${prefix}:aud`]: "ari:cloud:bitbucket::workspace/8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60" },
            StringLike: { [`${prefix}:sub`]: `${UUIDS.repoA}:*` },
          },
        },
      ]);
      // The reference resolves to the recipe's principal ARN.
      expect(out.accessModel().provider.arn).toBe(`arn:aws:iam::123456789012:oidc-provider/${prefix}`);
      expect(json.resource?.aws_iam_openid_connect_provider["oidc-provider"].url).toBe(`https://${prefix}`);
    });
  });
});
