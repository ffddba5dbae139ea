/**
 * issue 16 item 3: an access model from any stack. A host project's own TerraformStack (its AWS
 * provider, its bucket) adds `new BitbucketOidcAccessModel(stack)`; `app.synth()` writes
 * access-model.json beside its cdk.tf.json, and review, explain and snippet work on that cdktf.out.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { BitbucketOidcAccessModel, BitbucketOidcProvider, BitbucketPipelinesRole } from "../../index";
import { AccessModel } from "../../lib/access-model/access-model";
import { CliRun, runCliIn } from "../support/run-cli";
import { UUIDS } from "../support/synth";
import { startTestIssuer, TestIssuer } from "../support/tokens";
import { runExplain } from "../explain/run-explain";

const ACME = { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace };

let issuer: TestIssuer;
let work: string;
beforeAll(async () => {
  issuer = await startTestIssuer();
  work = mkdtempSync(join(tmpdir(), "bbo-host-model-"));
});
afterAll(async () => {
  await issuer.close();
  rmSync(work, { recursive: true, force: true });
});

/** A host project's app: its own stack, provider and bucket, two roles of ours and the access model. */
function hostApp(outdir: string, extra?: (stack: TerraformStack) => void): App {
  const app = new App({ outdir, context: { "@cdktf/disable_stack_trace_in_metadata": true } });
  const stack = new TerraformStack(app, "platform");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const bucket = new S3Bucket(stack, "artifacts", { bucket: "host-artifacts" });
  const provider = new BitbucketOidcProvider(stack, "bitbucket", ACME);
  const deploy = new BitbucketPipelinesRole(stack, "deploy", {
    oidcProvider: provider,
    roleName: "web-deploy",
    repositories: [{ uuid: UUIDS.repoA, name: "web-app", environments: [{ uuid: UUIDS.envProduction, name: "production" }] }],
    statements: [{ actions: ["s3:PutObject"], resources: ["arn:aws:s3:::host-artifacts/*"] }],
  });
  new TerraformOutput(stack, "deploy_role", { value: deploy.arn });
  new BitbucketPipelinesRole(stack, "reader", { oidcProvider: provider, roleName: "web-reader", repositories: [{ uuid: UUIDS.repoB }] });
  void bucket;
  extra?.(stack);
  new BitbucketOidcAccessModel(stack);
  return app;
}

const cli = (args: string[]): Promise<CliRun> => runCliIn(args, { cwd: work, env: {} });

describe("GIVEN a host project's stack with BitbucketOidcAccessModel", () => {
  let outdir: string;
  let model: AccessModel;
  beforeAll(() => {
    outdir = join(work, "cdktf.out");
    hostApp(outdir).synth();
    model = JSON.parse(readFileSync(join(outdir, "stacks", "platform", "access-model.json"), "utf8")) as AccessModel;
  });

  test("WHEN app.synth() runs THEN access-model.json is beside cdk.tf.json, with both roles, the workspace from the audience and the region from the provider", () => {
    expect(existsSync(join(outdir, "stacks", "platform", "cdk.tf.json"))).toBe(true);
    expect(model.stack).toBe("platform");
    expect(model.workspace).toEqual({ slug: "acme", uuid: UUIDS.workspace });
    expect(model.aws).toEqual({ region: "eu-west-1", partition: "aws" });
    expect(model.provider.address).toBe("aws_iam_openid_connect_provider.bitbucket");
    expect(model.roles.map((r) => [r.name, r.address])).toEqual([
      ["web-deploy", "aws_iam_role.deploy"],
      ["web-reader", "aws_iam_role.reader"],
    ]);
    expect(model.roles[0].trust.repositories[0].name).toBe("web-app");
    expect(model.roles[0].trustPolicy.Statement[0].Principal).toEqual({ Federated: "${aws_iam_openid_connect_provider.bitbucket.arn}" });
  });

  test("WHEN a role has an output of its ARN THEN the model names it; WHEN not THEN one is added to cdk.tf.json and named", () => {
    expect(model.roles.map((r) => r.arnOutput)).toEqual(["deploy_role", "role_arn_web-reader"]);
    const json = JSON.parse(readFileSync(join(outdir, "stacks", "platform", "cdk.tf.json"), "utf8")) as { output: Record<string, { value: string }> };
    expect(json.output["role_arn_web-reader"].value).toBe("${aws_iam_role.reader.arn}");
    expect(Object.keys(json.output).sort()).toEqual(["deploy_role", "role_arn_web-reader"]);
  });

  test("WHEN review runs on the host's cdktf.out THEN it lists both roles and the host's bucket", async () => {
    const run = await cli(["review", "--synth", outdir]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("web-deploy");
    expect(run.stdout).toContain("web-reader");
    expect(run.stdout).toContain("arn:aws:s3:::host-artifacts/*");
  });

  test("WHEN explain --role runs with a production step's token THEN ALLOWED; with another repository's THEN DENIED", async () => {
    const ok = await runExplain(await issuer.mint({ ...ACME, repositoryUuid: UUIDS.repoA, environmentUuid: UUIDS.envProduction }), outdir, ["--role", "web-deploy"]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ALLOWED +web-deploy/m);
    const denied = await runExplain(await issuer.mint({ ...ACME, repositoryUuid: UUIDS.repoC }), outdir, ["--role", "web-deploy"]);
    expect(denied.code).toBe(1);
    expect(denied.stdout).toMatch(/^DENIED +web-deploy/m);
  });

  test("WHEN snippet runs THEN the step names the role's output and its deployment environment", async () => {
    const run = await cli(["snippet", "web-deploy", "--synth", outdir]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("oidc: true");
    expect(run.stdout).toContain("deployment: production");
    expect(run.stdout).toContain("deploy_role");
  });
});

describe("GIVEN stacks the access model cannot describe", () => {
  test("WHEN roles of two workspaces share the stack THEN synth fails naming both, and no access-model.json is written", () => {
    const outdir = join(work, "two-workspaces");
    const app = hostApp(outdir, (stack) => {
      const beta = new BitbucketOidcProvider(stack, "beta", { workspaceSlug: "beta", workspaceUuid: UUIDS.otherWorkspace });
      new BitbucketPipelinesRole(stack, "beta-deploy", { oidcProvider: beta, roleName: "beta-deploy", repositories: [{ uuid: UUIDS.repoC }] });
    });
    expect(() => app.synth()).toThrow(/2 identity providers \(workspaces acme, beta\)/);
    expect(existsSync(join(outdir, "stacks", "platform", "access-model.json"))).toBe(false);
  });

  test("WHEN a second BitbucketOidcAccessModel is added to a stack THEN a clear error", () => {
    const app = hostApp(join(work, "twice"));
    const stack = app.node.findChild("platform") as TerraformStack;
    expect(() => new BitbucketOidcAccessModel(stack)).toThrow(/has a BitbucketOidcAccessModel already/);
  });

  test("WHEN the stack's region is a token and none is given THEN synth names the prop to pass; WHEN given THEN the model uses it", () => {
    const build = (region?: string): App => {
      const app = new App({ outdir: join(work, `region-${region ?? "none"}`) });
      const stack = new TerraformStack(app, "s");
      new AwsProvider(stack, "aws", { region: new TerraformVariable(stack, "region", { type: "string" }).stringValue });
      const provider = new BitbucketOidcProvider(stack, "bitbucket", ACME);
      new BitbucketPipelinesRole(stack, "r", { oidcProvider: provider, roleName: "r", repositories: [{ uuid: UUIDS.repoA }] });
      new BitbucketOidcAccessModel(stack, { region, workspace: { name: "Acme Corp" } });
      return app;
    };
    expect(() => build().synth()).toThrow(/the region is not known .*pass region to BitbucketOidcAccessModel/);
    build("us-gov-west-1").synth();
    const model = JSON.parse(readFileSync(join(work, "region-us-gov-west-1", "stacks", "s", "access-model.json"), "utf8")) as AccessModel;
    expect(model.aws).toEqual({ region: "us-gov-west-1", partition: "aws-us-gov" });
    expect(model.workspace).toEqual({ slug: "acme", uuid: UUIDS.workspace, name: "Acme Corp" });
  });
});
