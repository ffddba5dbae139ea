/**
 * Terraform references (cdktf tokens) wherever a host project passes one: statement resources,
 * managed policy ARNs, the permissions boundary, grant targets and the provider ARN. Literal checks
 * skip them; trust-side values refuse them; the guardrails run without false findings; the
 * synthesized JSON carries the Terraform expressions, and the evaluator, with them resolved, allows
 * exactly what the role was meant to do.
 */
import { Aspects, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsIamOpenidConnectProvider } from "@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { BitbucketOidcGuardrails, BitbucketOidcProvider, BitbucketPipelinesRole, IBitbucketOidcProvider, ValidationError } from "../../lib";
import { evaluateAction } from "../../lib/evaluation/identity-evaluator";
import { evaluateTrust } from "../../lib/evaluation/trust-evaluator";
import { synthStack } from "../support/stack-synth";
import { iamPolicySize } from "../../lib/iam/iam-limits";
import { SynthError } from "../../cli/app/synthesize";
import { resourcesOf, TerraformJson, UUIDS } from "../support/synth";
import { KMS_KEY_ID, rolesFromTerraform } from "../support/terraform-json";
import { defaultKeyPolicy } from "../grants/grant-roles";

const ACCOUNT = "123456789012";
const ISSUER = "api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc";

/** The host's own resources, referenced by our role. */
function hostResources(stack: TerraformStack) {
  return {
    bucket: new S3Bucket(stack, "artifacts", { bucket: "host-artifacts" }),
    state: new S3Bucket(stack, "state", { bucket: "host-state" }),
    repository: new EcrRepository(stack, "web", { name: "web-app" }),
    key: new KmsKey(stack, "state-key", { description: "state" }),
    boundary: new IamPolicy(stack, "boundary", { name: "pipeline-boundary", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) }),
    reader: new IamPolicy(stack, "reader", { name: "artifact-reader", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::host-artifacts/*" }] }) }),
  };
}

function roleWithReferences(stack: TerraformStack, oidcProvider: IBitbucketOidcProvider = new BitbucketOidcProvider(stack, "bitbucket", { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace })) {
  const host = hostResources(stack);
  const role = new BitbucketPipelinesRole(stack, "deploy", {
    oidcProvider,
    roleName: "deploy",
    repositories: [{ uuid: UUIDS.repoA, name: "web-app" }],
    statements: [{ actions: ["s3:PutObject"], resources: [`${host.bucket.arn}/*`] }],
    managedPolicyArns: [host.reader.arn],
    permissionsBoundary: host.boundary.arn,
    grantScope: { region: "us-east-1", accountId: ACCOUNT },
    grants: {
      ecrPush: { repositories: [host.repository.name] },
      terraformState: { level: "apply", bucket: host.state.bucket, key: "app/terraform.tfstate", kmsKeyArn: host.key.arn },
    },
  });
  Aspects.of(stack).add(new BitbucketOidcGuardrails());
  return { role, host };
}

function policyOf(json: TerraformJson, name: string): { Statement: { Action: unknown; Resource: unknown }[] } {
  const policy = Object.values(resourcesOf(json, "aws_iam_role_policy")).find((p) => p.name === name);
  if (!policy) throw new Error(`no inline policy ${name}`);
  return JSON.parse(String(policy.policy));
}

describe("Terraform references in a role's inputs", () => {
  test("GIVEN a host bucket, repository, key and policies referenced by token WHEN synthesized with the guardrails THEN no finding, and the JSON holds the Terraform expressions", () => {
    const { json, warnings } = synthStack((stack) => roleWithReferences(stack));
    expect(warnings).toEqual([]);
    expect(policyOf(json, "permissions").Statement[0].Resource).toBe("${aws_s3_bucket.artifacts.arn}/*");
    expect(JSON.stringify(policyOf(json, "grant-ecr-push"))).toContain(`arn:aws:ecr:us-east-1:${ACCOUNT}:repository/\${aws_ecr_repository.web.name}`);
    const state = JSON.stringify(policyOf(json, "grant-terraform-state"));
    expect(state).toContain("arn:aws:s3:::${aws_s3_bucket.state.bucket}/app/terraform.tfstate");
    expect(state).toContain("${aws_kms_key.state-key.arn}");
    const role = Object.values(resourcesOf(json, "aws_iam_role"))[0];
    expect(role.permissions_boundary).toBe("${aws_iam_policy.boundary.arn}");
    const attachments = Object.values(resourcesOf(json, "aws_iam_role_policy_attachment")).map((a) => a.policy_arn);
    expect(attachments).toEqual(["${aws_iam_policy.reader.arn}"]);
    expect(Object.values(resourcesOf(json, "aws_iam_role_policy_attachments_exclusive"))[0].policy_arns).toEqual(["${aws_iam_policy.reader.arn}"]);
  });

  test("GIVEN the synthesized references resolved as AWS would see them WHEN evaluated THEN the role may write the host's bucket and repository, and nothing beside them", async () => {
    const { json } = synthStack((stack) => roleWithReferences(stack));
    const [role] = rolesFromTerraform(json, { accountId: ACCOUNT, region: "us-east-1" });
    expect(role.permissionsBoundary).toBe("${aws_iam_policy.boundary.arn}");
    const principalArn = role.arn;
    const allowed = async (action: string, resource: string) =>
      (await evaluateAction(role.inlinePolicies, { principalArn, action, resource, accountId: ACCOUNT, resourcePolicy: action.startsWith("kms:") ? defaultKeyPolicy(ACCOUNT) : undefined })).result;
    expect(await allowed("s3:PutObject", "arn:aws:s3:::host-artifacts/build/app.zip")).toBe("Allowed");
    expect(await allowed("s3:PutObject", "arn:aws:s3:::other-bucket/build/app.zip")).toBe("ImplicitlyDenied");
    expect(await allowed("ecr:PutImage", `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/web-app`)).toBe("Allowed");
    expect(await allowed("ecr:PutImage", `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/other`)).toBe("ImplicitlyDenied");
    expect(await allowed("s3:PutObject", "arn:aws:s3:::host-state/app/terraform.tfstate")).toBe("Allowed");
    expect(await allowed("kms:Decrypt", `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KMS_KEY_ID}`)).toBe("Allowed");
    expect(role.managedPolicyArns).toEqual([`arn:aws:iam::${ACCOUNT}:policy/artifact-reader`]);
  });

  test("GIVEN the provider known only through a data source (a token) WHEN roles trust it THEN the guardrails accept it as the workspace's provider and the resolved trust lets only the repository in", () => {
    const { json, warnings } = synthStack((stack) => {
      const existing = new DataAwsIamOpenidConnectProvider(stack, "bitbucket", { url: `https://${ISSUER}` });
      roleWithReferences(stack, BitbucketOidcProvider.fromArn({ arn: existing.arn, workspaceSlug: "acme", workspaceUuid: UUIDS.workspace }));
    });
    expect(warnings).toEqual([]);
    expect(json.resource?.aws_iam_openid_connect_provider).toBeUndefined();
    const [role] = rolesFromTerraform(json, { accountId: ACCOUNT });
    const federated = (role.trustPolicy.Statement[0].Principal as { Federated: string }).Federated;
    expect(federated).toBe(`arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}`);
    const request = { issuerHostPath: ISSUER, aud: "ari:cloud:bitbucket::workspace/8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60", accountId: ACCOUNT, roleArn: role.arn };
    expect(evaluateTrust(role.trustPolicy, { ...request, sub: `${UUIDS.repoA}:{00000000-0000-4000-8000-000000000001}` })).toBe("Allowed");
    expect(evaluateTrust(role.trustPolicy, { ...request, sub: `${UUIDS.repoB}:{00000000-0000-4000-8000-000000000001}` })).toBe("ImplicitlyDenied");
  });

  test("GIVEN a hand-built role trusting the same unknown reference WHEN guarded THEN BBO-T003 reports that role only (the exemption is for our role's declared provider)", () => {
    let error: unknown;
    try {
      synthStack((stack) => {
        const other = new TerraformVariable(stack, "other_provider", { type: "string" });
        roleWithReferences(stack, BitbucketOidcProvider.fromArn({ arn: other.stringValue, workspaceSlug: "acme", workspaceUuid: UUIDS.workspace }));
        new IamRole(stack, "by-hand", {
          name: "by-hand",
          assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Federated: other.stringValue }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { [`${ISSUER}:aud`]: "x" }, StringLike: { [`${ISSUER}:sub`]: `${UUIDS.repoA}:*` } } }],
          }),
        });
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SynthError);
    const t003 = (error as SynthError).findings.filter((f) => f.includes("BBO-T003"));
    expect(t003).toHaveLength(1);
    expect(t003[0]).toContain("by-hand");
  });

  test("GIVEN a terraformPlan grant whose managed policy is a reference WHEN guarded THEN no acknowledgement goes stale and nothing is reported", () => {
    const { json, warnings } = synthStack((stack) => {
      const oidcProvider = new BitbucketOidcProvider(stack, "bitbucket", { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace });
      const reader = new IamPolicy(stack, "plan-reader", { name: "plan-reader", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ec2:Describe*", Resource: "*" }] }) });
      new BitbucketPipelinesRole(stack, "plan", {
        oidcProvider,
        roleName: "plan",
        repositories: [{ uuid: UUIDS.repoA }],
        grants: { terraformPlan: { bucket: "acme-state", key: "app.tfstate", managedPolicy: reader.arn } },
      });
      Aspects.of(stack).add(new BitbucketOidcGuardrails());
    });
    expect(warnings).toEqual([]);
    expect(Object.values(resourcesOf(json, "aws_iam_role_policy_attachment")).map((a) => a.policy_arn)).toEqual(["${aws_iam_policy.plan-reader.arn}"]);
  });

  test("GIVEN a hand-built trust whose provider is a variable WHEN it is near the quota THEN BBO-Q001 counts the reference at the provider ARN's full length", () => {
    const build = (count: number) => (stack: TerraformStack) => {
      const provider = new TerraformVariable(stack, "provider_arn", { type: "string" }).stringValue;
      const subjects = Array.from({ length: count }, (_, i) => `{3f2a9c4e-7b1d-4a8e-b6c5-${String(i).padStart(12, "0")}}:*`);
      new IamRole(stack, "by-hand", {
        name: "by-hand",
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Federated: provider }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { [`${ISSUER}:aud`]: "x" }, StringLike: { [`${ISSUER}:sub`]: subjects } } }],
        }),
      });
      Aspects.of(stack).add(new BitbucketOidcGuardrails({ partition: "aws" }));
    };
    // As written, `${var.provider_arn}` is 21 characters; the ARN IAM stores is 110. Find a count where only the ARN goes over.
    const asWritten = (count: number) => iamPolicySize(String(Object.values(resourcesOf(synthErrorsIgnored(build(count)), "aws_iam_role"))[0].assume_role_policy));
    let count = 1;
    while (asWritten(count + 1) <= 2048) count++;
    expect(asWritten(count)).toBeGreaterThan(2048 - 89);
    const findings = (() => {
      try {
        synthStack(build(count));
        return [];
      } catch (e) {
        return (e as SynthError).findings;
      }
    })();
    expect(findings.filter((f) => f.includes("BBO-Q001"))).toHaveLength(1);
  });

  test("GIVEN literal values WHEN they are malformed THEN the literal checks still apply", () => {
    const stack = new TerraformStack(Testing.app(), "host");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    const oidcProvider = new BitbucketOidcProvider(stack, "bitbucket", { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace });
    const make = () =>
      new BitbucketPipelinesRole(stack, "bad", {
        oidcProvider,
        roleName: "bad",
        repositories: [{ uuid: UUIDS.repoA }],
        statements: [{ actions: ["s3:PutObject"], resources: ["host-artifacts/*"] }],
        managedPolicyArns: ["ReadOnlyAccess"],
        grants: { s3Deploy: { bucket: "s3://host-artifacts" } },
      });
    expect(make).toThrow(ValidationError);
    for (const field of [/statements\[0\]\.resources\[0\]: "host-artifacts/, /managedPolicyArns\[0\]: "ReadOnlyAccess"/, /grants\.s3Deploy\.bucket: "s3:/]) expect(make).toThrow(field);
  });

  describe("trust-side values stay literal", () => {
    const build = (patch: { repoUuid?: string; envUuid?: string; audience?: string; sourceIp?: string }) => {
      const stack = new TerraformStack(Testing.app(), "host");
      const variable = new TerraformVariable(stack, "v", { type: "string" }).stringValue;
      const oidcProvider = new BitbucketOidcProvider(stack, "bitbucket", { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace });
      const pick = (value: string | undefined, literal: string) => (value === "token" ? variable : literal);
      return () =>
        new BitbucketPipelinesRole(stack, "deploy", {
          oidcProvider,
          roleName: "deploy",
          repositories: [{ uuid: pick(patch.repoUuid, UUIDS.repoA), environments: [{ uuid: pick(patch.envUuid, UUIDS.envProduction) }] }],
          audiences: patch.audience ? [variable] : undefined,
          sourceIps: patch.sourceIp ? [variable] : undefined,
        });
    };
    test.each([
      ["repository UUID", { repoUuid: "token" }, /repositories\[0\]\.uuid.*Terraform reference.*repository UUID itself/],
      ["environment UUID", { envUuid: "token" }, /environments\[0\]\.uuid.*Terraform reference.*environment UUID itself/],
      ["audience", { audience: "token" }, /audiences\[0\].*Terraform reference.*audience itself/],
      ["source range", { sourceIp: "token" }, /sourceIps\[0\].*Terraform reference/],
    ])("GIVEN a token as the %s WHEN the role is built THEN a ValidationError says it must be literal", (_, patch, message) => {
      expect(build(patch)).toThrow(ValidationError);
      expect(build(patch)).toThrow(message);
    });

    test("GIVEN a token as the provider's workspace UUID or audience WHEN built THEN a ValidationError says it must be literal", () => {
      const stack = new TerraformStack(Testing.app(), "host");
      const variable = new TerraformVariable(stack, "v", { type: "string" }).stringValue;
      expect(() => new BitbucketOidcProvider(stack, "a", { workspaceSlug: "acme", workspaceUuid: variable })).toThrow(/workspaceUuid.*Terraform reference/);
      expect(() => new BitbucketOidcProvider(stack, "b", { workspaceSlug: "acme", audiences: [variable] })).toThrow(/audiences\[0\].*Terraform reference/);
      expect(() => BitbucketOidcProvider.fromArn({ arn: variable, workspaceSlug: variable, workspaceUuid: UUIDS.workspace })).toThrow(/workspaceSlug.*Terraform reference/);
    });
  });
});

/** The JSON of a stack synthesized without the aspects' verdict (Testing.synth ignores error annotations). */
function synthErrorsIgnored(build: (stack: TerraformStack) => void): TerraformJson {
  const stack = new TerraformStack(Testing.app(), "host");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  build(stack);
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}
