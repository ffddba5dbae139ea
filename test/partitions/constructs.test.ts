/**
 * The constructs in a host project: where the region is literal the partition is derived from it;
 * where it is not known, the grants' ARNs reference `data "aws_partition"`, read at plan time.
 */
import { Aspects, TerraformStack } from "cdktf";
import { BitbucketOidcGuardrails, BitbucketOidcProvider, BitbucketPipelinesRole } from "../../lib";
import { synthHost } from "../foundation/host-stack";
import { evaluateAction } from "../../lib/evaluation/identity-evaluator";
import { synthStack } from "../support/stack-synth";
import { rolesFromTerraform } from "../support/terraform-json";
import { TerraformJson, UUIDS } from "../support/synth";
import { arnsIn } from "./partition-config";

const grants = {
  s3Deploy: { bucket: "acme-site", cloudFrontDistributionId: "E2QWRUHAPOMQZL" },
  terraformPlan: { bucket: "acme-terraform-state", key: "host/terraform.tfstate", managedPolicy: "ReadOnlyAccess" },
};

function hostRole(grantScope?: { region?: string; partition?: string; accountId?: string }): TerraformJson {
  return synthHost((stack: TerraformStack) => {
    const provider = new BitbucketOidcProvider(stack, "bitbucket", { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace });
    new BitbucketPipelinesRole(stack, "deploy", { oidcProvider: provider, roleName: "bitbucket-deploy", repositories: [{ uuid: UUIDS.repoA }], grants, grantScope });
  });
}

/** The inline policies and attachments of the synthesized role, as text. */
const policyText = (json: TerraformJson): string =>
  JSON.stringify([json.resource?.aws_iam_role_policy ?? {}, json.resource?.aws_iam_role_policy_attachment ?? {}, json.resource?.aws_iam_role_policy_attachments_exclusive ?? {}]);

describe("BitbucketPipelinesRole partitions", () => {
  test("GIVEN no grantScope and a provider created in the stack THEN every grant ARN references data.aws_partition", () => {
    const json = hostRole();
    const partitions = Object.keys(json.data?.aws_partition ?? {});
    expect(partitions).toHaveLength(1);
    const reference = `\${data.aws_partition.${partitions[0]}.partition}`;
    const found = arnsIn(policyText(json).split(reference).join("PARTITION"));
    expect(found.length).toBeGreaterThan(4);
    expect(found.filter((a) => a.partition !== "PARTITION").map((a) => a.arn)).toEqual([]);
    expect(policyText(json)).toContain(`arn:${reference.replace(/"/g, '\\"')}:iam::aws:policy/ReadOnlyAccess`);
  });

  test.each([
    [{ region: "us-gov-west-1", accountId: "123456789012" }, "aws-us-gov"],
    [{ region: "cn-northwest-1", accountId: "123456789012" }, "aws-cn"],
    [{ partition: "aws-cn", accountId: "123456789012" }, "aws-cn"],
  ])("GIVEN grantScope %j THEN the grants' ARNs are literal in %s, without a partition data source", (scope, partition) => {
    const json = hostRole(scope);
    expect(json.data?.aws_partition).toBeUndefined();
    const found = arnsIn(policyText(json));
    expect(found.length).toBeGreaterThan(4);
    expect(found.filter((a) => a.partition !== partition).map((a) => a.arn)).toEqual([]);
  });

  test("GIVEN no grantScope and an existing provider by literal ARN in aws-us-gov THEN the grants follow that ARN's partition", () => {
    const json = synthHost((stack) => {
      const provider = BitbucketOidcProvider.fromArn({
        arn: "arn:aws-us-gov:iam::123456789012:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc",
        workspaceSlug: "acme",
        workspaceUuid: UUIDS.workspace,
      });
      new BitbucketPipelinesRole(stack, "deploy", { oidcProvider: provider, roleName: "bitbucket-deploy", repositories: [{ uuid: UUIDS.repoA }], grants });
    });
    expect(json.data?.aws_partition).toBeUndefined();
    const found = arnsIn(policyText(json));
    expect(found.filter((a) => a.partition !== "aws-us-gov").map((a) => a.arn)).toEqual([]);
  });

  test.each([
    [{ partition: "aws-iso" }, /grantScope\.partition: "aws-iso": expected one of the partitions "aws", "aws-cn", "aws-us-gov"/],
    [{ region: "us-isob-east-1" }, /grantScope\.region: "us-isob-east-1": is a region of the isolated partition aws-iso-b/],
    [{ region: "us-gov-west-1", partition: "aws" }, /grantScope\.partition: "aws": region us-gov-west-1 \(grantScope\.region\) is in partition aws-us-gov/],
  ])("GIVEN grantScope %j THEN a ValidationError names the field, value and what is expected", (scope, message) => {
    expect(() => hostRole(scope)).toThrow(message);
  });

  test("GIVEN terraformPlan.managedPolicy with the partition read at plan time THEN BBO-P003 still recognizes ReadOnlyAccess (acknowledged, not stale)", () => {
    const { json, warnings } = synthStack((stack) => {
      const provider = new BitbucketOidcProvider(stack, "bitbucket", { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace });
      new BitbucketPipelinesRole(stack, "deploy", { oidcProvider: provider, roleName: "bitbucket-deploy", repositories: [{ uuid: UUIDS.repoA }], grants });
      Aspects.of(stack).add(new BitbucketOidcGuardrails());
    });
    expect(Object.keys(json.data?.aws_partition ?? {})).toHaveLength(1);
    expect(warnings).toContainEqual(expect.stringMatching(/BBO-P003[\s\S]*ReadOnlyAccess/));
    expect(warnings.filter((w) => /finds nothing there/.test(w))).toEqual([]);
  });

  test.each(["aws-us-gov", "aws-cn"])("GIVEN the partition read at plan time as %s THEN the grants allow that partition's resources and not aws's (iam-simulate)", async (partition) => {
    const json = hostRole();
    const [role] = rolesFromTerraform(json, { accountId: "123456789012", partition });
    expect(role.arn).toBe(`arn:${partition}:iam::123456789012:role/bitbucket-deploy`);
    const decide = async (action: string, resource: string): Promise<string> =>
      (await evaluateAction(role.inlinePolicies, { principalArn: role.arn, action, resource, accountId: "123456789012" })).result;
    expect(await decide("s3:PutObject", `arn:${partition}:s3:::acme-site/index.html`)).toBe("Allowed");
    expect(await decide("cloudfront:CreateInvalidation", `arn:${partition}:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL`)).toBe("Allowed");
    expect(await decide("s3:PutObject", "arn:aws:s3:::acme-site/index.html")).toBe("ImplicitlyDenied");
    expect(role.managedPolicyArns).toEqual([`arn:${partition}:iam::aws:policy/ReadOnlyAccess`]);
  });

  test("GIVEN grantScope in aws-us-gov and ARNs of aws in the role's props THEN a ValidationError names each field, value and the expected partition", () => {
    let message = "";
    try {
      synthHost((stack) => {
        const provider = BitbucketOidcProvider.fromArn({ arn: "arn:aws:iam::123456789012:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc", workspaceSlug: "acme", workspaceUuid: UUIDS.workspace });
        new BitbucketPipelinesRole(stack, "deploy", {
          oidcProvider: provider,
          roleName: "bitbucket-deploy",
          repositories: [{ uuid: UUIDS.repoA }],
          managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
          statements: [{ actions: ["sns:Publish"], resources: ["arn:aws:sns:us-gov-west-1:123456789012:t"] }],
          grantScope: { region: "us-gov-west-1" },
        });
      });
    } catch (e) {
      message = (e as Error).message;
    }
    for (const field of ["managedPolicyArns[0]", "statements[0].resources[0]", "oidcProvider.arn"]) {
      expect(message).toContain(`${field}: "arn:aws:`);
    }
    expect(message).toMatch(/expected an ARN of partition aws-us-gov \(from grantScope\.region: us-gov-west-1\), i\.e\. starting "arn:aws-us-gov:", not "arn:aws:"/);
  });
});
