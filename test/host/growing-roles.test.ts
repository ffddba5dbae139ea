/**
 * Roles that grow after construction, in aws-cdk's shape: addToPolicy, addManagedPolicy and addGrants
 * go through the props' checks, and the exclusive-policy resources, the guardrails and the access
 * model see everything added. The inherited setters that would bypass the checks throw.
 */
import { App, Aspects, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { BitbucketOidcGuardrails, BitbucketOidcProvider, BitbucketOidcStack, BitbucketPipelinesRole, ValidationError } from "../../index";
import { accessModelOf as accessModelOfStack } from "../../lib/access-model/access-model-of";
import { SynthError } from "../../cli/app/synthesize";
import { synthStack } from "../support/stack-synth";
import { baseConfig, resourcesOf, TerraformJson, UUIDS } from "../support/synth";

/** The access model BitbucketOidcStack writes at synth, built from the same context (names from the config). */
const accessModelOf = (stack: BitbucketOidcStack) =>
  accessModelOfStack(stack, { workspace: stack.config.workspace, region: stack.config.aws.region, accountId: stack.config.aws.accountId, providerArn: stack.config.provider.existingArn });

const READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";

function newRole(stack: TerraformStack, extra: Partial<ConstructorParameters<typeof BitbucketPipelinesRole>[2]> = {}): BitbucketPipelinesRole {
  const oidcProvider = new BitbucketOidcProvider(stack, "bitbucket", { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace });
  return new BitbucketPipelinesRole(stack, "deploy", { oidcProvider, roleName: "deploy", repositories: [{ uuid: UUIDS.repoA }], grantScope: { region: "us-east-1", accountId: "123456789012" }, ...extra });
}

function bareStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "host");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  return stack;
}

const inlineByName = (json: TerraformJson) => Object.fromEntries(Object.values(resourcesOf(json, "aws_iam_role_policy")).map((p) => [p.name, JSON.parse(String(p.policy))]));
const exclusive = (json: TerraformJson, type: string) => Object.values(resourcesOf(json, type))[0];

describe("roles that grow", () => {
  test("GIVEN a role without policies WHEN addToPolicy, addManagedPolicy and addGrants are called THEN cdk.tf.json has each policy, each attachment, and both exclusive resources list and depend on all of them", () => {
    const { json, warnings } = synthStack((stack) => {
      const bucket = new S3Bucket(stack, "artifacts", { bucket: "host-artifacts" });
      const reader = new IamPolicy(stack, "reader", { name: "reader", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] }) });
      const role = newRole(stack);
      Aspects.of(stack).add(new BitbucketOidcGuardrails());
      expect(role.addToPolicy({ actions: ["s3:PutObject"], resources: [`${bucket.arn}/*`] })).toBe(true);
      role.addManagedPolicy(reader.arn);
      role.addManagedPolicy(reader.arn); // a second time: nothing more
      role.addGrants({ ecrPush: { repositories: ["web-app"] }, terraformState: { level: "plan", bucket: bucket.bucket, key: "app.tfstate" } });
      role.addGrants({ statements: [{ actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:us-east-1:123456789012:builds"] }] });
    });
    expect(warnings).toEqual([]);
    const inline = inlineByName(json);
    expect(Object.keys(inline).sort()).toEqual(["grant-ecr-push", "grant-statements", "grant-terraform-state", "permissions"]);
    expect(inline.permissions.Statement).toEqual([{ Effect: "Allow", Action: "s3:PutObject", Resource: "${aws_s3_bucket.artifacts.arn}/*" }]);
    expect(JSON.stringify(inline["grant-terraform-state"])).toContain("arn:aws:s3:::${aws_s3_bucket.artifacts.bucket}/app.tfstate");
    const policies = exclusive(json, "aws_iam_role_policies_exclusive");
    expect([...(policies.policy_names as string[])].sort()).toEqual(Object.keys(inline).sort());
    expect((policies.depends_on as string[]).length).toBe(4);
    expect((policies.depends_on as string[]).every((d) => d.startsWith("aws_iam_role_policy."))).toBe(true);
    const attachments = Object.values(resourcesOf(json, "aws_iam_role_policy_attachment")).map((a) => a.policy_arn);
    expect(attachments).toEqual(["${aws_iam_policy.reader.arn}"]);
    const attached = exclusive(json, "aws_iam_role_policy_attachments_exclusive");
    expect(attached.policy_arns).toEqual(["${aws_iam_policy.reader.arn}"]);
    expect((attached.depends_on as string[]).map((d) => d.split(".")[0])).toEqual(["aws_iam_role_policy_attachment"]);
  });

  test("GIVEN one policy referenced twice (each read of policy.arn is a new token) WHEN given in the props and as a grant's managed policy THEN it is attached once", () => {
    const { json } = synthStack((stack) => {
      const reader = new IamPolicy(stack, "reader", { name: "reader", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ec2:Describe*", Resource: "*" }] }) });
      newRole(stack, { managedPolicyArns: [reader.arn, reader.arn], grants: { terraformPlan: { bucket: "acme-state", key: "app.tfstate", managedPolicy: reader.arn } } });
    });
    expect(Object.values(resourcesOf(json, "aws_iam_role_policy_attachment")).map((a) => a.policy_arn)).toEqual(["${aws_iam_policy.reader.arn}"]);
    expect(exclusive(json, "aws_iam_role_policy_attachments_exclusive").policy_arns).toEqual(["${aws_iam_policy.reader.arn}"]);
  });

  test("GIVEN a statement added after construction WHEN it names an unknown action THEN the guardrails see it (BBO-P001)", () => {
    expect(() =>
      synthStack((stack) => {
        const role = newRole(stack, { statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::a/*"] }] });
        Aspects.of(stack).add(new BitbucketOidcGuardrails());
        role.addToPolicy({ actions: ["ecr:PutImages"], resources: ["*"] });
      }),
    ).toThrow(SynthError);
  });

  test("GIVEN an addition a grant already holds WHEN added THEN the statement is written once (the role's own statements win)", () => {
    const { json } = synthStack((stack) => {
      const role = newRole(stack, { grants: { statements: [{ actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:us-east-1:123456789012:builds"] }] } });
      role.addToPolicy({ actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:us-east-1:123456789012:builds"] });
    });
    const inline = inlineByName(json);
    expect(Object.keys(inline)).toEqual(["permissions"]);
    expect(exclusive(json, "aws_iam_role_policies_exclusive").policy_names).toEqual(["permissions"]);
  });

  test("GIVEN bad additions WHEN added THEN a ValidationError names the method, the field and the value, and the role is unchanged", () => {
    const stack = bareStack();
    const role = newRole(stack, { managedPolicyArns: Array.from({ length: 10 }, (_, i) => `arn:aws:iam::123456789012:policy/p${i}`) });
    expect(() => role.addToPolicy({ actions: ["s3:GetObject"], resources: ["my-bucket/*"] })).toThrow(/"deploy"\.addToPolicy[\s\S]*statements\[0\]\.resources\[0\]: "my-bucket\/\*"/);
    expect(() => role.addManagedPolicy(READ_ONLY)).toThrow(/"deploy"\.addManagedPolicy[\s\S]*managedPolicyArns.*11 policies/);
    expect(() => role.addGrants({ ecrPush: { repositories: ["Not A Repo"] } })).toThrow(/grants\.ecrPush\.repositories\[0\]/);
    role.addGrants({ ecrPush: { repositories: ["web-app"] } });
    expect(() => role.addGrants({ ecrPush: { repositories: ["other"] } })).toThrow(/grants\.ecrPush.*has a ecrPush grant already/);
    expect(Object.keys(role.policies)).toEqual(["grant-ecr-push"]);
    expect(role.attachedPolicyArns).toHaveLength(10);
    expect(role.grants).toEqual({ ecrPush: { repositories: ["web-app"] } });
  });

  test("GIVEN a terraformPlan grant with a managed policy added later WHEN synthesized THEN its opt-in is acknowledged as in the props", () => {
    const { warnings } = synthStack((stack) => {
      const role = newRole(stack);
      Aspects.of(stack).add(new BitbucketOidcGuardrails());
      role.addGrants({ terraformPlan: { bucket: "acme-state", key: "app.tfstate", managedPolicy: "ReadOnlyAccess" } });
    });
    expect(warnings.some((w) => w.includes("BBO-P003") && w.includes("grants.terraformPlan.managedPolicy"))).toBe(true);
  });

  describe("setters that would bypass the checks", () => {
    const role = newRole(bareStack());
    test.each<[string, () => void]>([
      ["assumeRolePolicy", () => (role.assumeRolePolicy = JSON.stringify({ Version: "2012-10-17", Statement: [] }))],
      ["managedPolicyArns", () => (role.managedPolicyArns = [READ_ONLY])],
      ["permissionsBoundary", () => (role.permissionsBoundary = READ_ONLY)],
      ["name", () => (role.name = "other")],
      ["namePrefix", () => (role.namePrefix = "other")],
      ["putInlinePolicy", () => role.putInlinePolicy([{ name: "x", policy: "{}" }])],
      ["resetManagedPolicyArns", () => role.resetManagedPolicyArns()],
      ["resetPermissionsBoundary", () => role.resetPermissionsBoundary()],
      ["resetName", () => role.resetName()],
      ["description", () => (role.description = "changed")],
      ["path", () => (role.path = "/other/")],
      ["maxSessionDuration", () => (role.maxSessionDuration = 43200)],
      ["resetDescription", () => role.resetDescription()],
      ["resetPath", () => role.resetPath()],
      ["resetMaxSessionDuration", () => role.resetMaxSessionDuration()],
    ])("GIVEN a built role WHEN %s is used THEN it throws, saying what to use instead", (member, call) => {
      expect(call).toThrow(ValidationError);
      expect(call).toThrow(new RegExp(`${member}: \\(missing\\): cannot be changed after construction`));
    });

    test("GIVEN a tagging Aspect's habit WHEN tags are set on a built role THEN good tags are taken and bad ones checked as in the props", () => {
      const tagged = newRole(bareStack());
      tagged.tags = { ...tagged.tagsInput, team: "platform" };
      expect(tagged.tagsInput).toEqual({ team: "platform" });
      expect(() => (tagged.tags = { "aws:reserved": "x" })).toThrow(/tags\.aws:reserved: "aws:reserved": expected a tag key/);
    });

    test("GIVEN the refusals WHEN the role is read THEN its getters still work and nothing changed", () => {
      expect(JSON.parse(role.assumeRolePolicyInput!).Statement[0].Action).toBe("sts:AssumeRoleWithWebIdentity");
      expect(role.managedPolicyArnsInput).toBeUndefined();
      expect(role.nameInput).toBe("deploy");
      expect(role.maxSessionDurationInput).toBe(3600);
      expect(role.tagsInput).toBeUndefined();
    });
  });

  test("GIVEN our stack from a config WHEN a host adds to one of its roles with a reference to its own bucket THEN access-model.json shows the additions with the Terraform expression", () => {
    const app = new App({ outdir: Testing.app().outdir });
    const stack = new BitbucketOidcStack(app, "bitbucket-oidc", { config: baseConfig() });
    const bucket = new S3Bucket(stack, "artifacts", { bucket: "host-artifacts" });
    const role = stack.roles["bitbucket-deploy"];
    role.addToPolicy({ actions: ["s3:PutObject"], resources: [`${bucket.arn}/*`] });
    role.addManagedPolicy(READ_ONLY);
    role.addGrants({ ecrPush: { repositories: ["web-app"] } });
    const model = accessModelOf(stack);
    const entry = model.roles.find((r) => r.name === "bitbucket-deploy")!;
    expect(entry.inlinePolicies.permissions.Statement).toEqual([{ Effect: "Allow", Action: "s3:PutObject", Resource: "${aws_s3_bucket.artifacts.arn}/*" }]);
    expect(Object.keys(entry.inlinePolicies)).toEqual(["permissions", "grant-ecr-push"]);
    expect(entry.managedPolicyArns).toEqual([READ_ONLY]);
    expect(entry.grants).toEqual({ ecrPush: { repositories: ["web-app"] } });
    const json = JSON.parse(Testing.synth(stack)) as TerraformJson;
    expect(exclusive(json, "aws_iam_role_policy_attachments_exclusive").policy_arns).toEqual([READ_ONLY]);
  });
});
