import { Annotations } from "cdktf";
import { TlsProvider } from "@cdktf/provider-tls/lib/provider";
import { BitbucketOidcProvider } from "../../lib/constructs/bitbucket-oidc-provider";
import { BitbucketPipelinesRole, BitbucketPipelinesRoleProps } from "../../lib/constructs/bitbucket-pipelines-role";
import { ValidationError } from "../../lib/core/problems";
import { UUIDS } from "../support/synth";
import { synthHost } from "./host-stack";

const PREFIX = "api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc";
const AUD = "ari:cloud:bitbucket::workspace/8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60";
const EXISTING_ARN = `arn:aws:iam::123456789012:oidc-provider/${PREFIX}`;

function only<T>(record: Record<string, T> | undefined): T {
  const values = Object.values(record ?? {});
  expect(values).toHaveLength(1);
  return values[0];
}

function roleJson(props: Omit<BitbucketPipelinesRoleProps, "oidcProvider">) {
  return synthHost((stack) => {
    const oidcProvider = BitbucketOidcProvider.fromArn({ arn: EXISTING_ARN, workspaceSlug: "acme", workspaceUuid: UUIDS.workspace });
    new BitbucketPipelinesRole(stack, "role", { oidcProvider, ...props });
  });
}

function trustOf(json: ReturnType<typeof roleJson>) {
  return JSON.parse(String(only(json.resource?.aws_iam_role).assume_role_policy)).Statement[0];
}

describe("BitbucketOidcProvider", () => {
  test("GIVEN a slug and UUID THEN the issuer and default audience follow Bitbucket's format, guarded by prevent_destroy, no thumbprints", () => {
    const json = synthHost((stack) => new BitbucketOidcProvider(stack, "bb", { workspaceSlug: "acme", workspaceUuid: "8C5F2D0E-3B1A-4E6F-9A7D-1C2B3E4F5A60" }));
    const provider = only(json.resource?.aws_iam_openid_connect_provider);
    expect(provider).toMatchObject({ url: `https://${PREFIX}`, client_id_list: [AUD], lifecycle: { prevent_destroy: true } });
    expect(provider.thumbprint_list).toBeUndefined();
  });

  test("GIVEN custom audiences, a pinned thumbprint list, tags and preventDestroy false THEN all reach the resource", () => {
    const json = synthHost(
      (stack) =>
        new BitbucketOidcProvider(stack, "bb", {
          workspaceSlug: "acme",
          audiences: ["sts.amazonaws.com", "my-audience"],
          thumbprints: ["A031C46782E6E6C662C2C87C76DA9AA62CCABD8E"],
          preventDestroy: false,
          tags: { team: "platform" },
        }),
    );
    expect(only(json.resource?.aws_iam_openid_connect_provider)).toMatchObject({
      client_id_list: ["sts.amazonaws.com", "my-audience"],
      thumbprint_list: ["a031c46782e6e6c662c2c87c76da9aa62ccabd8e"],
      lifecycle: { prevent_destroy: false },
      tags: { team: "platform" },
    });
  });

  test("GIVEN thumbprints tls THEN a tls_certificate data source computes them at plan time", () => {
    const json = synthHost((stack) => {
      new TlsProvider(stack, "tls"); // the host configures the tls provider; the construct never declares one
      new BitbucketOidcProvider(stack, "bb", { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace, thumbprints: "tls" });
    });
    const [certName, cert] = Object.entries(json.data?.tls_certificate ?? {})[0];
    expect(cert.url).toBe(`https://${PREFIX}`);
    expect(only(json.resource?.aws_iam_openid_connect_provider).thumbprint_list).toEqual([`\${data.tls_certificate.${certName}.certificates[0].sha1_fingerprint}`]);
  });

  test("GIVEN fromArn THEN no provider is created and roles trust that ARN", () => {
    const json = roleJson({ roleName: "r", repositories: [{ uuid: UUIDS.repoA }] });
    expect(json.resource?.aws_iam_openid_connect_provider).toBeUndefined();
    expect(trustOf(json).Principal).toEqual({ Federated: EXISTING_ARN });
  });

  test.each([
    ["a bad slug", { workspaceSlug: "Acme!", workspaceUuid: UUIDS.workspace }, /workspaceSlug: "Acme!": expected a Bitbucket workspace slug/],
    ["no UUID and no audiences", { workspaceSlug: "acme" }, /workspaceUuid: \(missing\): expected the workspace UUID/],
    ["a bad thumbprint", { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace, thumbprints: ["xyz"] }, /thumbprints\[0\]: "xyz": expected a SHA-1 thumbprint/],
  ])("GIVEN %s THEN construction throws a ValidationError naming the prop", (_, props, message) => {
    expect(() => synthHost((stack) => new BitbucketOidcProvider(stack, "bb", props))).toThrow(ValidationError);
    expect(() => synthHost((stack) => new BitbucketOidcProvider(stack, "bb", props))).toThrow(message);
  });

  test("GIVEN fromArn with another workspace's ARN THEN it is rejected", () => {
    expect(() => BitbucketOidcProvider.fromArn({ arn: EXISTING_ARN.replace("/acme/", "/other/"), workspaceSlug: "acme", workspaceUuid: UUIDS.workspace })).toThrow(
      /expected the provider of workspace "acme"/,
    );
  });
});

describe("BitbucketPipelinesRole", () => {
  test("GIVEN repositories with and without environments THEN sub patterns are {repo}:* and {repo}:{env}:*, aud is pinned with StringEquals", () => {
    const json = roleJson({
      roleName: "r",
      repositories: [
        { uuid: UUIDS.repoA.toUpperCase() },
        { uuid: UUIDS.repoB.slice(1, -1), environments: [{ uuid: UUIDS.envProduction }, { uuid: UUIDS.envStaging }] },
      ],
    });
    expect(trustOf(json)).toEqual({
      Effect: "Allow",
      Principal: { Federated: EXISTING_ARN },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: { [`${PREFIX}:aud`]: AUD },
        StringLike: { [`${PREFIX}:sub`]: [`${UUIDS.repoA}:*`, `${UUIDS.repoB}:${UUIDS.envProduction}:*`, `${UUIDS.repoB}:${UUIDS.envStaging}:*`] },
      },
    });
  });

  test("GIVEN sourceIps THEN an IpAddress condition on aws:SourceIp is added", () => {
    const json = roleJson({ roleName: "r", repositories: [{ uuid: UUIDS.repoA }], sourceIps: ["34.199.54.113/32", "2001:db8::/32"] });
    expect(trustOf(json).Condition.IpAddress).toEqual({ "aws:SourceIp": ["34.199.54.113/32", "2001:db8::/32"] });
  });

  test("GIVEN every role option THEN each reaches the synthesized role and its policy resources", () => {
    const json = roleJson({
      roleName: "bitbucket-deploy",
      description: "Deploys web-app",
      path: "/bitbucket/",
      maxSessionDuration: 7200,
      permissionsBoundary: "arn:aws:iam::123456789012:policy/pipeline-boundary",
      managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
      statements: [{ actions: ["s3:PutObject"], resources: ["arn:aws:s3:::site/*"] }],
      inlinePolicies: { logs: [{ sid: "Logs", effect: "Deny", actions: ["logs:DeleteLogGroup"], resources: ["*"], conditions: { StringEquals: { "aws:RequestedRegion": ["eu-west-1"] } } }] },
      tags: { team: "platform" },
      repositories: [{ uuid: UUIDS.repoA }],
    });
    const role = only(json.resource?.aws_iam_role);
    expect(role).toMatchObject({
      name: "bitbucket-deploy",
      description: "Deploys web-app",
      path: "/bitbucket/",
      max_session_duration: 7200,
      permissions_boundary: "arn:aws:iam::123456789012:policy/pipeline-boundary",
      tags: { team: "platform" },
    });
    const policies = Object.values(json.resource?.aws_iam_role_policy ?? {});
    expect(policies.map((p) => p.name).sort()).toEqual(["logs", "permissions"]);
    expect(JSON.parse(String(policies.find((p) => p.name === "permissions")?.policy))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::site/*" }],
    });
    expect(JSON.parse(String(policies.find((p) => p.name === "logs")?.policy)).Statement[0]).toEqual({
      Sid: "Logs",
      Effect: "Deny",
      Action: "logs:DeleteLogGroup",
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } },
    });
    expect(only(json.resource?.aws_iam_role_policy_attachment)).toMatchObject({ policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" });
    // The role owns its policies exclusively: anything attached by hand shows up in the plan.
    expect(only(json.resource?.aws_iam_role_policies_exclusive)).toMatchObject({ policy_names: ["logs", "permissions"] });
    expect(only(json.resource?.aws_iam_role_policy_attachments_exclusive)).toMatchObject({ policy_arns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] });
  });

  test("GIVEN no policies at all THEN the exclusive resources still exist with empty lists, so hand-attached policies are removed", () => {
    const json = roleJson({ roleName: "r", repositories: [{ uuid: UUIDS.repoA }] });
    expect(only(json.resource?.aws_iam_role_policies_exclusive).policy_names).toEqual([]);
    expect(only(json.resource?.aws_iam_role_policy_attachments_exclusive).policy_arns).toEqual([]);
    expect(only(json.resource?.aws_iam_role).max_session_duration).toBe(3600);
  });

  test("GIVEN a subset of the provider's audiences THEN only those are accepted", () => {
    const json = synthHost((stack) => {
      const oidcProvider = new BitbucketOidcProvider(stack, "bb", { workspaceSlug: "acme", audiences: ["a1", "a2"] });
      new BitbucketPipelinesRole(stack, "role", { oidcProvider, roleName: "r", repositories: [{ uuid: UUIDS.repoA }], audiences: ["a2"] });
    });
    expect(trustOf(json).Condition.StringEquals).toEqual({ [`${PREFIX}:aud`]: "a2" });
    expect(trustOf(json).Principal.Federated).toMatch(/^\$\{aws_iam_openid_connect_provider\.bb\.arn\}$/);
  });

  test("GIVEN anyRepositoryInWorkspace THEN the opt-in shows in the policy and a warning is raised", () => {
    let warnings: string[] = [];
    const json = synthHost((stack) => {
      const oidcProvider = BitbucketOidcProvider.fromArn({ arn: EXISTING_ARN, workspaceSlug: "acme", workspaceUuid: UUIDS.workspace });
      const role = new BitbucketPipelinesRole(stack, "role", { oidcProvider, roleName: "r", anyRepositoryInWorkspace: true });
      warnings = role.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data));
      Annotations.of(role);
    });
    expect(trustOf(json).Condition.StringLike).toEqual({ [`${PREFIX}:sub`]: "{*}:*" });
    expect(warnings).toContainEqual(expect.stringMatching(/trusts EVERY repository of workspace "acme"/));
  });

  test.each([
    ["no repositories", { roleName: "r" }, /repositories: \(missing\): expected at least one repository/],
    ["repositories and the workspace-wide opt-in", { roleName: "r", anyRepositoryInWorkspace: true, repositories: [{ uuid: UUIDS.repoA }] }, /already trusts every repository/],
    ["a bad role name", { roleName: "a b", repositories: [{ uuid: UUIDS.repoA }] }, /roleName: "a b": expected an IAM role name/],
    ["an audience the provider lacks", { roleName: "r", repositories: [{ uuid: UUIDS.repoA }], audiences: ["x"] }, /audiences\[0\]: "x": expected one of the provider's audiences/],
    ["too long a trust policy", { roleName: "r", repositories: Array.from({ length: 40 }, (_, i) => ({ uuid: `{${String(i).padStart(8, "0")}-0000-4000-8000-000000000000}` })) }, /over the quota of 2048/],
  ])("GIVEN %s THEN construction throws", (_, props, message) => {
    expect(() => roleJson(props as never)).toThrow(message);
  });

  test("GIVEN a raised trust policy quota THEN a long trust policy is accepted", () => {
    const repositories = Array.from({ length: 40 }, (_, i) => ({ uuid: `{${String(i).padStart(8, "0")}-0000-4000-8000-000000000000}` }));
    const json = roleJson({ roleName: "r", repositories, quotas: { trustPolicySize: 4096 } });
    expect(trustOf(json).Condition.StringLike[`${PREFIX}:sub`]).toHaveLength(40);
  });
});
