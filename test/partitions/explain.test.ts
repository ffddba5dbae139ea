/**
 * The trust evaluator and `explain` in every partition: the web-identity principal is the provider of
 * the role's partition, so a role in aws-us-gov or aws-cn is assumable by a token its trust names, and
 * a trust policy naming the provider of another partition is not.
 */
import { join } from "node:path";
import { evaluateTrust } from "../../lib/evaluation/trust-evaluator";
import { trustPolicyDocument } from "../../lib/iam/trust-policy";
import { explainJson } from "../explain/run-explain";
import { baseConfig, synthConfig, UUIDS } from "../support/synth";
import { startTestIssuer, TestIssuer } from "../support/tokens";
import { PARTITION_REGIONS } from "./partition-config";

const ACCOUNT = "123456789012";
const PREFIX = "api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc";
const AUD = `ari:cloud:bitbucket::workspace/${UUIDS.workspace.slice(1, -1)}`;
const SUB = `${UUIDS.repoA}:{00000000-0000-4000-8000-000000000001}`;

const trustIn = (partition: string) =>
  trustPolicyDocument({ providerArn: `arn:${partition}:iam::${ACCOUNT}:oidc-provider/${PREFIX}`, conditionKeyPrefix: PREFIX, audiences: [AUD], subjects: [`${UUIDS.repoA}:*`] });

describe.each(PARTITION_REGIONS)("trust evaluator in %s", (partition) => {
  const request = { issuerHostPath: PREFIX, aud: AUD, sub: SUB, accountId: ACCOUNT, roleArn: `arn:${partition}:iam::${ACCOUNT}:role/bitbucket-deploy` };

  test("GIVEN a trust policy naming the partition's provider THEN a matching token is Allowed", () => {
    expect(evaluateTrust(trustIn(partition), request)).toBe("Allowed");
  });

  test("GIVEN a trust policy naming the provider of another partition THEN it is ImplicitlyDenied", () => {
    const other = partition === "aws" ? "aws-us-gov" : "aws";
    expect(evaluateTrust(trustIn(other), request)).toBe("ImplicitlyDenied");
  });
});

describe("explain against synth output in aws-us-gov and aws-cn", () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(() => issuer.close());

  test.each([
    ["aws-us-gov", "us-gov-west-1", ACCOUNT],
    ["aws-cn", "cn-north-1", ACCOUNT],
    ["aws-us-gov", "us-gov-east-1", undefined],
  ])("GIVEN a %s config (region %s, account %s) THEN the token is allowed and the role ARN shown is of that partition", async (partition, region, accountId) => {
    const out = synthConfig(
      baseConfig({
        aws: { region, ...(accountId ? { accountId } : {}) },
        state: { bucket: "acme-terraform-state", key: "bitbucket-oidc/terraform.tfstate", region },
      }),
    );
    try {
      const token = await issuer.mint({ workspaceSlug: "acme", workspaceUuid: UUIDS.workspace, repositoryUuid: UUIDS.repoA });
      const { code, json } = await explainJson(token, join(out.outdir, "cdktf.out"));
      expect(code).toBe(0);
      expect(json.roles.map((r) => [r.role, r.verdict, r.decision])).toEqual([["bitbucket-deploy", "allowed", "Allowed"]]);
      expect(json.roles[0].arn).toBe(`arn:${partition}:iam::${accountId ?? "<account>"}:role/bitbucket-deploy`);
    } finally {
      out.dispose();
    }
  });
});
