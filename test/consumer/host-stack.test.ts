/**
 * Our constructs inside a host's stack: they use the host's AWS provider (or an aliased one passed
 * in) and never declare one of their own; two workspaces in one stack; roles on a provider known only
 * by ARN; and our whole stack in a host's own App from a config object built in code.
 */
import { App, S3Backend, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { BitbucketOidcProvider, BitbucketOidcStack, BitbucketPipelinesRole, ConfigError, ValidationError } from "../../index";
import { baseConfig, TerraformJson, UUIDS } from "../support/synth";

const ARN = "arn:aws:iam::123456789012:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc";

function hostStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "host");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  new S3Backend(stack, { bucket: "host-state", key: "host.tfstate", region: "eu-west-1" });
  new S3Bucket(stack, "artifacts", { bucket: "host-artifacts" });
  return stack;
}

function synth(stack: TerraformStack): TerraformJson {
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}

describe("constructs in a host stack", () => {
  test("GIVEN providers for two workspaces and a role on each WHEN synthesized THEN one AWS provider block, the host's backend, both issuers, each role trusting its own", () => {
    const stack = hostStack();
    const acme = new BitbucketOidcProvider(stack, "acme", { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace });
    const beta = new BitbucketOidcProvider(stack, "beta", { workspaceSlug: "beta", workspaceUuid: UUIDS.otherWorkspace });
    new BitbucketPipelinesRole(stack, "acme-deploy", { oidcProvider: acme, roleName: "acme-deploy", repositories: [{ uuid: UUIDS.repoA }] });
    new BitbucketPipelinesRole(stack, "beta-deploy", { oidcProvider: beta, roleName: "beta-deploy", repositories: [{ uuid: UUIDS.repoB }] });

    const json = synth(stack);
    expect(json.provider?.aws).toEqual([{ region: "eu-west-1" }]);
    expect(Object.keys(json.terraform.backend ?? {})).toEqual(["s3"]);
    expect(json.resource?.aws_s3_bucket.artifacts.bucket).toBe("host-artifacts");
    const providers = json.resource?.aws_iam_openid_connect_provider ?? {};
    expect(Object.values(providers).map((p) => p.url)).toEqual([
      "https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc",
      "https://api.bitbucket.org/2.0/workspaces/beta/pipelines-config/identity/oidc",
    ]);
    const roles = json.resource?.aws_iam_role ?? {};
    const trust = (name: string) => JSON.parse(String(Object.values(roles).find((r) => r.name === name)?.assume_role_policy)).Statement[0];
    expect(trust("acme-deploy").Principal.Federated).toBe("${aws_iam_openid_connect_provider.acme.arn}");
    expect(trust("acme-deploy").Condition.StringLike).toEqual({ "api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc:sub": `${UUIDS.repoA}:*` });
    expect(trust("beta-deploy").Principal.Federated).toBe("${aws_iam_openid_connect_provider.beta.arn}");
    expect(trust("beta-deploy").Condition.StringEquals).toEqual({
      "api.bitbucket.org/2.0/workspaces/beta/pipelines-config/identity/oidc:aud": "ari:cloud:bitbucket::workspace/1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
    });
    // Nothing of ours names a provider: everything uses the host's default one.
    for (const group of Object.values(json.resource ?? {})) for (const r of Object.values(group)) expect(r.provider).toBeUndefined();
  });

  test("GIVEN a provider made elsewhere, known by ARN WHEN roles use it THEN no provider resource, and the trust names that ARN", () => {
    const stack = hostStack();
    const existing = BitbucketOidcProvider.fromArn({ arn: ARN, workspaceSlug: "acme", workspaceUuid: UUIDS.workspace });
    new BitbucketPipelinesRole(stack, "deploy", { oidcProvider: existing, roleName: "deploy", repositories: [{ uuid: UUIDS.repoA }] });
    new BitbucketPipelinesRole(stack, "audit", { oidcProvider: existing, roleName: "audit", repositories: [{ uuid: UUIDS.repoB }] });

    const json = synth(stack);
    expect(json.resource?.aws_iam_openid_connect_provider).toBeUndefined();
    const principals = Object.values(json.resource?.aws_iam_role ?? {}).map((r) => JSON.parse(String(r.assume_role_policy)).Statement[0].Principal.Federated);
    expect(principals).toEqual([ARN, ARN]);
  });

  test("GIVEN an ARN of another workspace's issuer WHEN fromArn THEN a ValidationError names the field", () => {
    expect(() => BitbucketOidcProvider.fromArn({ arn: ARN.replace("/acme/", "/other/"), workspaceSlug: "acme", workspaceUuid: UUIDS.workspace })).toThrow(ValidationError);
  });

  test("GIVEN an aliased AWS provider passed in WHEN synthesized THEN every resource of ours uses the alias and the default provider stays the host's", () => {
    const stack = hostStack();
    const security = new AwsProvider(stack, "security", { region: "us-east-1", alias: "security" });
    const provider = new BitbucketOidcProvider(stack, "bitbucket", { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace, provider: security });
    new BitbucketPipelinesRole(stack, "deploy", {
      oidcProvider: provider,
      roleName: "deploy",
      repositories: [{ uuid: UUIDS.repoA }],
      statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::host-artifacts/*"] }],
      managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
      provider: security,
    });

    const json = synth(stack);
    expect(json.provider?.aws).toEqual([{ region: "eu-west-1" }, { alias: "security", region: "us-east-1" }]);
    const ours = Object.entries(json.resource ?? {}).filter(([type]) => type !== "aws_s3_bucket");
    expect(ours.map(([type]) => type).sort()).toEqual([
      "aws_iam_openid_connect_provider",
      "aws_iam_role",
      "aws_iam_role_policies_exclusive",
      "aws_iam_role_policy",
      "aws_iam_role_policy_attachment",
      "aws_iam_role_policy_attachments_exclusive",
    ]);
    for (const [, group] of ours) for (const r of Object.values(group)) expect(r.provider).toBe("aws.security");
    expect(json.resource?.aws_s3_bucket.artifacts.provider).toBeUndefined();
  });
});

describe("BitbucketOidcStack in a host's own App", () => {
  test("GIVEN a config object built in code WHEN the host's App synthesizes THEN the stack has its provider, backend, identity provider and role", () => {
    const app = Testing.app();
    const stack = new BitbucketOidcStack(app, "oidc", { config: baseConfig({ stack: "oidc" }) });
    const json = synth(stack);
    expect(json.provider?.aws).toHaveLength(1);
    expect(json.terraform.backend?.s3).toMatchObject({ bucket: "acme-terraform-state", use_lockfile: true });
    expect(Object.keys(json.resource?.aws_iam_openid_connect_provider ?? {})).toEqual(["oidc-provider"]);
    expect(Object.values(json.resource?.aws_iam_role ?? {}).map((r) => r.name)).toEqual(["bitbucket-deploy"]);
  });

  test("GIVEN thumbprints \"tls\" WHEN synthesized THEN the optional tls bindings load: the tls provider, the certificate data source, and the thumbprint from it", () => {
    const stack = new BitbucketOidcStack(Testing.app(), "oidc", { config: baseConfig({ stack: "oidc", provider: { thumbprints: "tls" } }) });
    const json = synth(stack);
    expect(Object.keys(json.provider ?? {}).sort()).toEqual(["aws", "tls"]);
    expect(Object.values(json.data?.tls_certificate ?? {})).toHaveLength(1);
    expect(Object.values(json.data?.tls_certificate ?? {})[0]).toMatchObject({
      url: "https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc",
    });
    expect(String(json.resource?.aws_iam_openid_connect_provider["oidc-provider"].thumbprint_list)).toMatch(/data\.tls_certificate\..+\.certificates\[0\]\.sha1_fingerprint/);
  });

  test("GIVEN a config object with a bad UUID WHEN the stack is built THEN a ConfigError names the field and value, and no stack is added", () => {
    const app = new App({ outdir: "/nonexistent-never-written" });
    const bad = baseConfig({ roles: [{ name: "bitbucket-deploy", repositories: [{ uuid: "{not-a-uuid}" }] }] });
    let error: unknown;
    try {
      new BitbucketOidcStack(app, "oidc", { config: bad });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('roles[0].repositories[0].uuid: "{not-a-uuid}"');
    expect(app.node.children).toHaveLength(0);
  });
});
