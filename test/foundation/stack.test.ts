import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BitbucketOidcConfigInput } from "../../lib/config/model";
import { baseConfig, synthConfig, UUIDS, withSynth } from "../support/synth";

const ROOT = join(__dirname, "..", "..");

describe("BitbucketOidcStack", () => {
  test("GIVEN the base config THEN the backend, Terraform version, AWS provider and outputs are set", () => {
    withSynth(baseConfig({ aws: { region: "eu-west-1", accountId: "123456789012", defaultTags: { owner: "platform" } } }), (out) => {
      const json = out.json();
      expect(json.terraform.backend?.s3).toEqual({
        bucket: "acme-terraform-state",
        key: "bitbucket-oidc/terraform.tfstate",
        region: "us-east-1",
        encrypt: true,
        use_lockfile: true,
      });
      expect(json.terraform.required_version).toBe(">= 1.11");
      expect(json.provider?.aws).toEqual([{ region: "eu-west-1", allowed_account_ids: ["123456789012"], default_tags: [{ tags: { owner: "platform" } }] }]);
      expect(json.output?.oidc_provider_arn.value).toBe("${aws_iam_openid_connect_provider.oidc-provider.arn}");
      expect(json.output?.["role_arn_bitbucket-deploy"].value).toBe("${aws_iam_role.bitbucket-deploy.arn}");
      expect(json.output?.account_id.value).toBe("123456789012");
      expect(json.data?.aws_caller_identity).toBeUndefined();
    });
  });

  test("GIVEN no account id THEN the caller's account is read, and no account restriction is set", () => {
    withSynth(baseConfig({ aws: { region: "us-east-1" }, state: { bucket: "state-bucket", region: "us-east-1", useLockfile: false, encrypt: false } }), (out) => {
      const json = out.json();
      expect(json.provider?.aws[0].allowed_account_ids).toBeUndefined();
      expect(json.output?.account_id.value).toBe("${data.aws_caller_identity.caller.account_id}");
      expect(json.terraform.backend?.s3).toEqual({ bucket: "state-bucket", key: "bitbucket-oidc/terraform.tfstate", region: "us-east-1", encrypt: false });
      expect(out.accessModel().provider.arn).toBeUndefined();
    });
  });

  test("GIVEN thumbprints tls THEN the stack configures the tls provider for the data source", () => {
    withSynth(baseConfig({ provider: { thumbprints: "tls" } }), (out) => {
      const json = out.json();
      expect(json.provider?.tls).toEqual([{}]);
      expect(Object.keys(json.data?.tls_certificate ?? {})).toHaveLength(1);
    });
  });

  test("GIVEN an existing provider ARN THEN no provider resource is created and roles trust the literal ARN", () => {
    const arn = "arn:aws:iam::123456789012:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc";
    withSynth(baseConfig({ provider: { existingArn: arn } }), (out) => {
      const json = out.json();
      expect(json.resource?.aws_iam_openid_connect_provider).toBeUndefined();
      expect(json.output?.oidc_provider_arn.value).toBe(arn);
      expect(JSON.parse(String(json.resource?.aws_iam_role["bitbucket-deploy"].assume_role_policy)).Statement[0].Principal.Federated).toBe(arn);
    });
  });

  test("GIVEN roles in another order THEN the Terraform JSON is identical (addresses come from names)", () => {
    const roles: BitbucketOidcConfigInput["roles"] = [
      { name: "alpha", repositories: [{ uuid: UUIDS.repoA }] },
      { name: "beta", repositories: [{ uuid: UUIDS.repoB, environments: [{ uuid: UUIDS.envProduction }] }] },
      { name: "gamma.role+x", repositories: [{ uuid: UUIDS.repoC }], statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] }] },
    ];
    const one = synthConfig(baseConfig({ roles }));
    const two = synthConfig(baseConfig({ roles: [...roles].reverse() }));
    try {
      const norm = (s: string): string => s;
      expect(norm(one.file("cdk.tf.json"))).toBe(norm(two.file("cdk.tf.json")));
      expect(Object.keys(one.json().resource?.aws_iam_role ?? {}).sort()).toEqual(["alpha", "beta", "gamma_role_x"]);
    } finally {
      one.dispose();
      two.dispose();
    }
  });

  test("GIVEN two role names that map to one Terraform address THEN the config is rejected", () => {
    const roles = [
      { name: "a.b", repositories: [{ uuid: UUIDS.repoA }] },
      { name: "a+b", repositories: [{ uuid: UUIDS.repoB }] },
    ];
    expect(() => synthConfig(baseConfig({ roles }))).toThrow(/roles\[1\]\.name: "a\+b": roles\[0\] \("a\.b"\) maps to the same Terraform address "aws_iam_role\.a_b" as "a\+b"; rename one of them/);
  });

  test("GIVEN the bundled example and a config with several roles and repositories THEN both synthesize", () => {
    withSynth(readFileSync(join(ROOT, "bitbucket-oidc.yaml"), "utf8"), (out) => {
      expect(Object.keys(out.json().resource?.aws_iam_role ?? {}).length).toBeGreaterThanOrEqual(2);
    });
    const roles = Array.from({ length: 12 }, (_, i) => ({
      name: `role-${i}`,
      repositories: [
        { uuid: UUIDS.repoA, environments: i % 2 ? [{ uuid: UUIDS.envProduction, name: "production" }] : undefined },
        { uuid: UUIDS.repoB, name: "b" },
      ].map((r) => JSON.parse(JSON.stringify(r))),
      maxSessionDuration: 3600 + i * 100,
    }));
    withSynth(baseConfig({ roles }), (out) => {
      const json = out.json();
      expect(Object.keys(json.resource?.aws_iam_role ?? {})).toHaveLength(12);
      expect(Object.keys(json.output ?? {}).filter((k) => k.startsWith("role_arn_"))).toHaveLength(12);
      expect(out.accessModel().roles.map((r) => r.name)).toEqual(roles.map((r) => r.name));
    });
  });

  test("GIVEN a role of the example THEN the access model carries the names from the config", () => {
    withSynth(readFileSync(join(ROOT, "bitbucket-oidc.yaml"), "utf8"), (out) => {
      const model = out.accessModel();
      const deploy = model.roles.find((r) => r.name === "bitbucket-deploy-production");
      expect(deploy?.trust.repositories).toEqual([
        { uuid: "{5b7d1e3f-2c4a-4b6d-8e0f-a1b2c3d4e5f6}", name: "infra-live", environments: [{ uuid: "{9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b}", name: "production" }] },
      ]);
      expect(deploy?.arn).toBe("arn:aws:iam::123456789012:role/bitbucket-deploy-production");
      expect(deploy?.trustPolicy).toEqual(JSON.parse(String(out.json().resource?.aws_iam_role["bitbucket-deploy-production"].assume_role_policy).replace("${aws_iam_openid_connect_provider.oidc-provider.arn}", model.provider.arn ?? "")));
    });
  });
});
