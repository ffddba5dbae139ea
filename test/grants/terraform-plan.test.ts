import { IamPolicyDocument } from "../../lib/iam/policy-document";
import { baseConfig, UUIDS, withSynth } from "../support/synth";
import { ACCOUNT, expectDecisions, synthGrants } from "./grant-roles";

const BUCKET = "arn:aws:s3:::acme-terraform-state";
const KEY = "bitbucket-oidc/terraform.tfstate";
const STATE = `${BUCKET}/${KEY}`;
const OTHER_STATE = `${BUCKET}/payments/terraform.tfstate`;
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/bitbucket-job`;

/**
 * The statements of AWS's ReadOnlyAccess that matter here (its s3, iam and kms read wildcards), as an
 * identity policy: managed policy contents are not in the synthesized JSON.
 */
const READ_ONLY_ACCESS: IamPolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["s3:Get*", "s3:List*", "iam:Get*", "iam:List*", "kms:Describe*", "kms:Get*", "kms:List*"], Resource: "*" }],
};

describe("grant terraformPlan, evaluated on the synthesized policies", () => {
  test("GIVEN terraformPlan for this project's stack THEN it reads the state, the provider and the roles, and changes nothing", async () => {
    const granted = synthGrants({ terraformPlan: { bucket: "acme-terraform-state", key: KEY } }, { accountId: ACCOUNT });
    try {
      await expectDecisions(granted, "Allowed", [
        ["s3:ListBucket", BUCKET, { "s3:prefix": KEY }],
        ["s3:GetObject", STATE],
        ["s3:PutObject", `${STATE}.tflock`],
        ["s3:DeleteObject", `${STATE}.tflock`],
        ["iam:GetOpenIDConnectProvider", PROVIDER],
        ["iam:GetRole", ROLE],
        ["iam:GetRolePolicy", ROLE],
        ["iam:ListRolePolicies", ROLE],
        ["iam:ListAttachedRolePolicies", ROLE],
      ]);
      await expectDecisions(granted, "ImplicitlyDenied", [
        ["s3:PutObject", STATE],
        ["s3:GetObject", OTHER_STATE],
        ["s3:DeleteBucket", BUCKET],
        ["iam:UpdateAssumeRolePolicy", ROLE],
        ["iam:PutRolePolicy", ROLE],
        ["iam:GetRole", `arn:aws:iam::${ACCOUNT}:role/admin`],
        ["iam:DeleteOpenIDConnectProvider", PROVIDER],
      ]);
      expect(granted.role.managedPolicyArns).toEqual([]);
    } finally {
      granted.out.dispose();
    }
  });

  test("GIVEN managedPolicy ReadOnlyAccess THEN the Deny keeps every other state out of reach, even with ReadOnlyAccess attached", async () => {
    const granted = synthGrants({ terraformPlan: { bucket: "acme-terraform-state", key: KEY, managedPolicy: "ReadOnlyAccess", readObjectsIn: ["acme-assets"] } }, { accountId: ACCOUNT });
    try {
      expect(granted.role.managedPolicyArns).toEqual(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
      const withReadOnly = { ReadOnlyAccess: READ_ONLY_ACCESS };
      await expectDecisions(granted, "Allowed", [["s3:GetObject", STATE], ["s3:GetObject", "arn:aws:s3:::acme-assets/logo.png"], ["iam:GetRole", `arn:aws:iam::${ACCOUNT}:role/admin`]], withReadOnly);
      await expectDecisions(
        granted,
        "ExplicitlyDenied",
        [
          ["s3:GetObject", OTHER_STATE],
          ["s3:GetObjectVersion", OTHER_STATE],
          ["s3:GetObjectVersion", `${BUCKET}/${KEY}.backup`],
          ["s3:GetObject", "arn:aws:s3:::another-bucket/terraform.tfstate"],
        ],
        withReadOnly,
      );
      await expectDecisions(granted, "ImplicitlyDenied", [["s3:PutObject", STATE], ["s3:DeleteBucket", BUCKET]], withReadOnly);
    } finally {
      granted.out.dispose();
    }
  });

  test("GIVEN managedPolicy THEN the guardrail BBO-P003 reports the opt-in at synth and the access model records it", () => {
    const config = baseConfig({
      roles: [{ name: "bitbucket-plan", repositories: [{ uuid: UUIDS.repoA }], grants: { terraformPlan: { bucket: "acme-terraform-state", key: KEY, managedPolicy: "ReadOnlyAccess" } } }],
    });
    withSynth(config, (out) => {
      expect(out.result.warnings.join("\n")).toMatch(/BBO-P003 acknowledged on role "bitbucket-plan": attaches the AWS managed policy "arn:aws:iam::aws:policy\/ReadOnlyAccess".*reason: grants\.terraformPlan\.managedPolicy: ReadOnlyAccess \(opt-in/);
      const role = out.accessModel().roles[0];
      expect(role.acknowledgements).toEqual([{ rule: "BBO-P003", reason: expect.stringMatching(/^grants\.terraformPlan\.managedPolicy: ReadOnlyAccess/) }]);
      expect(role.managedPolicyArns).toEqual(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
      expect(role.grants).toEqual({ terraformPlan: { bucket: "acme-terraform-state", key: KEY, managedPolicy: "ReadOnlyAccess" } });
    });
  });

  test("GIVEN terraformPlan in a stack of several roles THEN it reads every role of the stack", async () => {
    const config = baseConfig({
      roles: [
        { name: "bitbucket-plan", repositories: [{ uuid: UUIDS.repoA }], grants: { terraformPlan: { bucket: "acme-terraform-state", key: KEY } } },
        { name: "bitbucket-deploy", path: "/ci/", repositories: [{ uuid: UUIDS.repoB }] },
      ],
    });
    const { rolesFromTerraform } = await import("../support/terraform-json");
    const { evaluateAction } = await import("../../lib/evaluation/identity-evaluator");
    const out = (await import("../support/synth")).synthConfig(config);
    try {
      const plan = rolesFromTerraform(out.json(), { accountId: ACCOUNT }).find((r) => r.name === "bitbucket-plan")!;
      const decide = (resource: string) => evaluateAction(plan.inlinePolicies, { principalArn: plan.arn, action: "iam:GetRole", resource, accountId: ACCOUNT });
      expect(await decide(`arn:aws:iam::${ACCOUNT}:role/ci/bitbucket-deploy`)).toEqual({ result: "Allowed", ignoredContextKeys: [] });
      expect((await decide(`arn:aws:iam::${ACCOUNT}:role/bitbucket-deploy`)).result).toBe("ImplicitlyDenied");
    } finally {
      out.dispose();
    }
  });

  test.each([
    ["a known account", { region: "us-east-1", accountId: ACCOUNT }, PROVIDER],
    ["the caller's account", { region: "us-east-1" }, "${aws_iam_openid_connect_provider.oidc-provider.arn}"],
  ])("GIVEN %s THEN access-model.json names the provider the plan reads as Terraform does, never as a token", (_, aws, expected) => {
    const config = baseConfig({ aws, roles: [{ name: "bitbucket-plan", repositories: [{ uuid: UUIDS.repoA }], grants: { terraformPlan: { bucket: "acme-terraform-state", key: KEY } } }] });
    withSynth(config, (out) => {
      const model = out.accessModel();
      expect(JSON.stringify(model)).not.toContain("TfToken");
      const statements = model.roles[0].inlinePolicies["grant-terraform-plan"].Statement;
      expect(statements.find((s) => s.Sid === "PlanReadProvider")?.Resource).toBe(expected);
    });
  });

  test("GIVEN aws.assumeRoleArn THEN synth warns that Terraform plans as that role, not with the plan grant", () => {
    const config = baseConfig({
      aws: { region: "us-east-1", accountId: ACCOUNT, assumeRoleArn: `arn:aws:iam::${ACCOUNT}:role/terraform` },
      roles: [{ name: "bitbucket-plan", repositories: [{ uuid: UUIDS.repoA }], grants: { terraformPlan: { bucket: "acme-terraform-state", key: KEY } } }],
    });
    withSynth(config, (out) => {
      expect(out.result.warnings.join("\n")).toMatch(new RegExp(`Role "bitbucket-plan" has grants\\.terraformPlan, but the AWS provider assumes arn:aws:iam::${ACCOUNT}:role/terraform`));
    });
    withSynth(baseConfig({ roles: [{ name: "bitbucket-plan", repositories: [{ uuid: UUIDS.repoA }], grants: { terraformPlan: { bucket: "acme-terraform-state", key: KEY } } }] }), (out) => {
      expect(out.result.warnings.join("\n")).not.toContain("the AWS provider assumes");
    });
  });
});
