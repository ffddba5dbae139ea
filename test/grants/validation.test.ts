import { ConfigError, validateConfig } from "../../lib/config/validate";
import { parseConfig } from "../../lib/config/load";
import { Grants } from "../../lib/grants";
import { baseConfig, UUIDS, withSynth } from "../support/synth";

function problemsOf(grants: Grants, aws: { region: string; accountId?: string } = { region: "us-east-1", accountId: "123456789012" }): { path: string; message: string }[] {
  try {
    validateConfig(baseConfig({ aws, roles: [{ name: "r", repositories: [{ uuid: UUIDS.repoA }], grants }] }));
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => ({ path: p.path, message: p.message }));
    throw e;
  }
  return [];
}

describe("grant options are validated with precise messages", () => {
  test.each<[string, Grants, string, RegExp]>([
    ["an S3 bucket ARN", { s3Deploy: { bucket: "arn:aws:s3:::acme-site" } }, "roles[0].grants.s3Deploy.bucket", /S3 bucket name.*not an ARN/],
    ["both key and prefix", { terraformState: { level: "plan", bucket: "acme-state", key: "a/b.tfstate", prefix: "a/" } }, "roles[0].grants.terraformState", /exactly one of key .* and prefix/],
    ["neither key nor prefix", { terraformPlan: { bucket: "acme-state" } }, "roles[0].grants.terraformPlan", /exactly one of key/],
    ["a key with a leading slash", { terraformState: { level: "apply", bucket: "acme-state", key: "/a/b.tfstate" } }, "roles[0].grants.terraformState.key", /without a leading or trailing "\/"/],
    ["a prefix without a trailing slash", { terraformState: { level: "apply", bucket: "acme-state", prefix: "team-a" } }, "roles[0].grants.terraformState.prefix", /ending in "\/"/],
    ["a KMS alias", { terraformState: { level: "apply", bucket: "acme-state", key: "k", kmsKeyArn: "alias/terraform" } }, "roles[0].grants.terraformState.kmsKeyArn", /alias does not work.*key ARN.*describe-key/],
    ["a KMS alias ARN", { terraformState: { level: "apply", bucket: "acme-state", key: "k", kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:alias/tf" } }, "roles[0].grants.terraformState.kmsKeyArn", /alias does not work/],
    ["a KMS key id", { terraformState: { level: "apply", bucket: "acme-state", key: "k", kmsKeyArn: "1234abcd-12ab-34cd-56ef-1234567890ab" } }, "roles[0].grants.terraformState.kmsKeyArn", /expected a KMS key ARN/],
    ["an ECR repository ARN", { ecrPush: { repositories: ["arn:aws:ecr:us-east-1:123456789012:repository/web"] } }, "roles[0].grants.ecrPush.repositories[0]", /repository name, not its ARN/],
    ["an upper-case ECR repository", { ecrPush: { repositories: ["MyImage"] } }, "roles[0].grants.ecrPush.repositories[0]", /ECR repository name/],
    ["a CloudFront domain", { s3Deploy: { bucket: "acme-site", cloudFrontDistributionId: "d111111abcdef8.cloudfront.net" } }, "roles[0].grants.s3Deploy.cloudFrontDistributionId", /distribution id/],
    ["no locking", { terraformState: { level: "apply", bucket: "acme-state", key: "k", useLockfile: false } }, "roles[0].grants.terraformState.useLockfile", /no locking/],
    ["a writing managed policy for a plan", { terraformPlan: { bucket: "acme-state", key: "k", managedPolicy: "AdministratorAccess" } }, "roles[0].grants.terraformPlan.managedPolicy", /terraformPlan is read-only, but AdministratorAccess writes.*"ReadOnlyAccess"/],
    ["a *FullAccess policy ARN for a plan", { terraformPlan: { bucket: "acme-state", key: "k", managedPolicy: "arn:aws:iam::aws:policy/AmazonS3FullAccess" } }, "roles[0].grants.terraformPlan.managedPolicy", /but AmazonS3FullAccess writes/],
    ["PowerUserAccess (job function path) for a plan", { terraformPlan: { bucket: "acme-state", key: "k", managedPolicy: "arn:aws:iam::aws:policy/job-function/PowerUserAccess" } }, "roles[0].grants.terraformPlan.managedPolicy", /but PowerUserAccess writes/],
    ["readObjectsIn without managedPolicy", { terraformPlan: { bucket: "acme-state", key: "k", readObjectsIn: ["acme-assets"] } }, "roles[0].grants.terraformPlan.readObjectsIn", /only takes effect with managedPolicy/],
  ])("GIVEN %s THEN the problem names the field and the fix", (_, grants, path, message) => {
    const problems = problemsOf(grants);
    expect(problems).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  test("GIVEN a misspelt level THEN the schema names the allowed values", () => {
    const problems = problemsOf({ terraformState: { level: "aply" as "apply", bucket: "acme-state", key: "k" } });
    expect(problems).toContainEqual({ path: "roles[0].grants.terraformState.level", message: expect.stringMatching(/"plan", "apply"/) });
  });

  test("GIVEN a misspelt grant kind in YAML THEN the error has file, line and the key", () => {
    const yaml = `stack: s
workspace: { slug: acme, uuid: "${UUIDS.workspace}" }
aws: { region: us-east-1 }
state: { bucket: acme-state, region: us-east-1 }
roles:
  - name: r
    repositories: [{ uuid: "${UUIDS.repoA}" }]
    grants:
      ecrPsh: { repositories: [web] }
`;
    expect(() => parseConfig(yaml, "bitbucket-oidc.yaml")).toThrow(/bitbucket-oidc\.yaml:9 roles\[0\]\.grants\.ecrPsh: .*unknown key "ecrPsh"/);
  });

  test.each([
    ["a misspelt action", "ecr:PutImages", 'unknown IAM action "ecr:PutImages"', 'did you mean "ecr:PutImage"?'],
    ["an unknown service", "s4:GetObject", 'unknown service "s4"', 'did you mean "s3:GetObject"?'],
    ["a wildcard that matches nothing", "s3:Frobnicate*", 'matches no s3 action', "check the spelling"],
  ])("GIVEN %s in grants.statements THEN synth stops with BBO-P001 on the grant's policy", (_, action, problem, fix) => {
    const config = baseConfig({ roles: [{ name: "r", repositories: [{ uuid: UUIDS.repoA }], grants: { statements: [{ actions: [action], resources: ["*"] }] } }] });
    let message = "";
    try {
      withSynth(config, () => undefined);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("BBO-P001");
    expect(message).toContain('policy "grant-statements" statement 0');
    expect(message).toContain(problem);
    expect(message).toContain(fix);
  });

  test("GIVEN ecrPush in TypeScript without a region THEN the construct says where to set it", async () => {
    const { Testing, TerraformStack } = await import("cdktf");
    const { BitbucketOidcProvider } = await import("../../lib/constructs/bitbucket-oidc-provider");
    const { BitbucketPipelinesRole } = await import("../../lib/constructs/bitbucket-pipelines-role");
    const stack = new TerraformStack(Testing.app(), "s");
    const provider = new BitbucketOidcProvider(stack, "p", { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace });
    expect(() => new BitbucketPipelinesRole(stack, "r", { oidcProvider: provider, roleName: "r", repositories: [{ uuid: UUIDS.repoA }], grants: { ecrPush: { repositories: ["web"] } } })).toThrow(
      /grants\.ecrPush\.repositories: .*need a region: set aws\.region \(config\) or grantScope\.region \(TypeScript\)/,
    );
  });
});

describe("terraformPlan without managedPolicy plans this stack, so it must name this stack's state", () => {
  const plan = (location: { bucket: string; key?: string; prefix?: string }): Grants => ({ terraformPlan: location });

  test.each([
    ["the state's bucket and key", { bucket: "acme-terraform-state", key: "bitbucket-oidc/terraform.tfstate" }],
    ["a prefix holding the key", { bucket: "acme-terraform-state", prefix: "bitbucket-oidc/" }],
  ])("GIVEN %s THEN it is valid", (_, location) => {
    expect(problemsOf(plan(location))).toEqual([]);
  });

  test.each([
    ["another key", { bucket: "acme-terraform-state", key: "web-app/terraform.tfstate" }, "roles[0].grants.terraformPlan.key"],
    ["another bucket", { bucket: "acme-other-state", key: "bitbucket-oidc/terraform.tfstate" }, "roles[0].grants.terraformPlan.bucket"],
    ["a prefix beside the key", { bucket: "acme-terraform-state", prefix: "web-app/" }, "roles[0].grants.terraformPlan.prefix"],
  ])("GIVEN %s THEN the problem names this stack's state", (_, location, path) => {
    expect(problemsOf(plan(location))).toContainEqual({
      path,
      message: expect.stringMatching(/plans this stack \(bitbucket-oidc\), whose state is s3:\/\/acme-terraform-state\/bitbucket-oidc\/terraform\.tfstate .*or, to plan another stack, name a managedPolicy/),
    });
  });

  test("GIVEN another key with managedPolicy THEN it is valid (it plans another stack)", () => {
    expect(problemsOf({ terraformPlan: { bucket: "acme-terraform-state", key: "web-app/terraform.tfstate", managedPolicy: "ReadOnlyAccess" } })).toEqual([]);
  });

  test("GIVEN accounts: and a shared plan role THEN each account must name its own key, which overrides can do", () => {
    const { aws: _aws, roles: _roles, ...base } = baseConfig({ state: { bucket: "acme-terraform-state", key: "org/terraform.tfstate", region: "us-east-1" } });
    const accounts = [
      { id: "111111111111", name: "dev", region: "us-east-1" },
      { id: "222222222222", name: "prod", region: "us-east-1" },
    ];
    const shared = { name: "bitbucket-plan", repositories: [{ uuid: UUIDS.repoA }], grants: plan({ bucket: "acme-terraform-state", key: "org/terraform.tfstate" }) };
    let problems: { path: string; message: string }[] = [];
    try {
      validateConfig({ ...base, stack: "org", accounts, roles: [shared] });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems = e.problems.map((p) => ({ path: p.path, message: p.message }));
    }
    expect(problems.map((p) => p.path)).toEqual(["roles[0].grants.terraformPlan.key", "roles[0].grants.terraformPlan.key"]);
    expect(problems[0].message).toMatch(/org-dev\), whose state is s3:\/\/acme-terraform-state\/org\/dev\/terraform\.tfstate.*accounts\[\]\.overrides\.bitbucket-plan\.grants/);
    expect(problems[1].message).toMatch(/org-prod\), whose state is s3:\/\/acme-terraform-state\/org\/prod\/terraform\.tfstate/);

    const overridden = accounts.map((a) => ({ ...a, overrides: { "bitbucket-plan": { grants: plan({ bucket: "acme-terraform-state", key: `org/${a.name}/terraform.tfstate` }) } } }));
    expect(() => validateConfig({ ...base, stack: "org", accounts: overridden, roles: [shared] })).not.toThrow();
  });
});
