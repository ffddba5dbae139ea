/**
 * Adoption: Terraform import blocks in the synthesized JSON, one per resource, with the ids the AWS
 * provider documents. Synth needs terraform on PATH here: cdktf's importFrom checks its version.
 */
import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { BitbucketOidcProvider } from "../../lib/constructs/bitbucket-oidc-provider";
import { ConfigError, validateConfig } from "../../lib/config/validate";
import { ValidationError } from "../../lib/core/problems";
import { baseConfig, resourcesOf, TerraformJson, trustPolicyOf, UUIDS, withSynth } from "../support/synth";
import { describeWithTerraform } from "./terraform-cli";

const PROVIDER_ARN = "arn:aws:iam::123456789012:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc";

type ImportBlock = { to: string; id: string; provider?: string };

function importsOf(json: TerraformJson): ImportBlock[] {
  return (json.import ?? []) as ImportBlock[];
}

/** The import id for the resource of `type` whose address contains `fragment`. */
function importId(json: TerraformJson, type: string, fragment = ""): string[] {
  return importsOf(json)
    .filter((i) => i.to.startsWith(`${type}.`) && i.to.includes(fragment))
    .map((i) => i.id);
}

const adoptedRole = {
  name: "bitbucket-deploy",
  adopt: true,
  repositories: [{ uuid: UUIDS.repoA }],
  statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::acme-site/*"] }],
  inlinePolicies: { "legacy-ecr": [{ actions: ["ecr:GetAuthorizationToken"], resources: ["*"] }] },
  managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::123456789012:policy/team/deploy-boundary"],
};

describeWithTerraform("import blocks for adopted resources", () => {
  test("GIVEN provider existingArn with adopt: true WHEN synthesized THEN the provider is declared and imported by its ARN", () => {
    withSynth(baseConfig({ provider: { existingArn: PROVIDER_ARN, adopt: true } }), (out) => {
      const json = out.json();
      const providers = resourcesOf(json, "aws_iam_openid_connect_provider");
      expect(Object.keys(providers)).toEqual(["oidc-provider"]);
      expect(providers["oidc-provider"].url).toBe("https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc");
      expect(providers["oidc-provider"].lifecycle).toEqual({ prevent_destroy: true });
      expect(importsOf(json)).toEqual([{ to: "aws_iam_openid_connect_provider.oidc-provider", id: PROVIDER_ARN }]);
      expect(out.accessModel().provider.arn).toBe(PROVIDER_ARN);
    });
  });

  test("GIVEN provider existingArn alone WHEN synthesized THEN it is only referenced: no provider resource, no import", () => {
    withSynth(baseConfig({ provider: { existingArn: PROVIDER_ARN } }), (out) => {
      const json = out.json();
      expect(resourcesOf(json, "aws_iam_openid_connect_provider")).toEqual({});
      expect(json.import).toBeUndefined();
      expect(trustPolicyOf(json, "bitbucket-deploy").Statement[0].Principal).toEqual({ Federated: PROVIDER_ARN });
    });
  });

  test("GIVEN a role with adopt: true WHEN synthesized THEN role, inline policies, attachments and both exclusive resources are imported with their id forms", () => {
    withSynth(baseConfig({ roles: [adoptedRole] }), (out) => {
      const json = out.json();
      expect(importId(json, "aws_iam_role", "bitbucket-deploy")).toEqual(["bitbucket-deploy"]);
      expect(importId(json, "aws_iam_role_policy").sort()).toEqual(["bitbucket-deploy:legacy-ecr", "bitbucket-deploy:permissions"]);
      expect(importId(json, "aws_iam_role_policy_attachment").sort()).toEqual([
        "bitbucket-deploy/arn:aws:iam::123456789012:policy/team/deploy-boundary",
        "bitbucket-deploy/arn:aws:iam::aws:policy/ReadOnlyAccess",
      ]);
      expect(importId(json, "aws_iam_role_policies_exclusive")).toEqual(["bitbucket-deploy"]);
      expect(importId(json, "aws_iam_role_policy_attachments_exclusive")).toEqual(["bitbucket-deploy"]);
      expect(importsOf(json)).toHaveLength(7);
      // The provider is created, not imported.
      expect(importId(json, "aws_iam_openid_connect_provider")).toEqual([]);
    });
  });

  test("GIVEN adopted resources WHEN synthesized THEN every import targets a declared resource whose attributes match its id", () => {
    withSynth(baseConfig({ provider: { existingArn: PROVIDER_ARN, adopt: true }, roles: [adoptedRole] }), (out) => {
      const json = out.json();
      for (const block of importsOf(json)) {
        const [type, name] = block.to.split(".");
        const resource = json.resource?.[type]?.[name];
        expect(resource).toBeDefined();
        if (type === "aws_iam_role") expect(resource?.name).toBe(block.id);
        if (type === "aws_iam_role_policy") expect(`bitbucket-deploy:${String(resource?.name)}`).toBe(block.id);
        if (type === "aws_iam_role_policy_attachment") expect(`bitbucket-deploy/${String(resource?.policy_arn)}`).toBe(block.id);
        if (type === "aws_iam_openid_connect_provider") expect(block.id.endsWith(`:oidc-provider/${String(resource?.url).replace("https://", "")}`)).toBe(true);
      }
      expect(importsOf(json)).toHaveLength(8);
    });
  });

  test("GIVEN one adopted and one new role WHEN synthesized THEN only the adopted role's resources are imported", () => {
    const roles = [adoptedRole, { name: "bitbucket-new", repositories: [{ uuid: UUIDS.repoB }], managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }];
    withSynth(baseConfig({ roles }), (out) => {
      const imported = importsOf(out.json()).map((i) => i.to);
      expect(imported.some((to) => to.includes("bitbucket-new"))).toBe(false);
      expect(imported).toHaveLength(7);
    });
  });

  test("GIVEN the adopt flags (and provider.existingArn) removed after the import THEN the resources are exactly the adopted ones, without import blocks", () => {
    const adoptedJson = withSynth(baseConfig({ provider: { existingArn: PROVIDER_ARN, adopt: true }, roles: [adoptedRole] }), (out) => out.json());
    const { adopt: _adopt, ...managedRole } = adoptedRole;
    const managedJson = withSynth(baseConfig({ roles: [managedRole] }), (out) => out.json());
    expect(managedJson.import).toBeUndefined();
    expect(managedJson.resource).toEqual(adoptedJson.resource);
  });

  test("GIVEN role names with characters Terraform ids cannot hold WHEN adopted THEN the import ids keep the IAM names", () => {
    const role = { name: "deploy+ci@acme.com", adopt: true, repositories: [{ uuid: UUIDS.repoA }], managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] };
    withSynth(baseConfig({ roles: [role] }), (out) => {
      const json = out.json();
      expect(importId(json, "aws_iam_role", "deploy_ci_acme_com")).toEqual(["deploy+ci@acme.com"]);
      expect(importId(json, "aws_iam_role_policy_attachment")).toEqual(["deploy+ci@acme.com/arn:aws:iam::aws:policy/ReadOnlyAccess"]);
    });
  });
});

describe("adoption in TypeScript: the provider's ARN from the account id or the caller identity", () => {
  const synthProvider = (props: Partial<ConstructorParameters<typeof BitbucketOidcProvider>[2]>): TerraformJson => {
    const stack = new TerraformStack(Testing.app(), "s");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    new BitbucketOidcProvider(stack, "bitbucket", { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace, ...props });
    return JSON.parse(Testing.synth(stack)) as TerraformJson;
  };

  test("GIVEN adopt with an accountId and a partition WHEN synthesized THEN the import id is the literal ARN", () => {
    expect(importsOf(synthProvider({ adopt: true, accountId: "123456789012", partition: "aws" }))).toEqual([{ to: "aws_iam_openid_connect_provider.bitbucket", id: PROVIDER_ARN }]);
    expect(importsOf(synthProvider({ adopt: true, accountId: "123456789012", partition: "aws-us-gov" }))[0].id).toBe(PROVIDER_ARN.replace("arn:aws:", "arn:aws-us-gov:"));
  });

  test("GIVEN adopt with an accountId but no partition WHEN synthesized THEN the partition is read at plan time; an isolated partition is refused", () => {
    const json = synthProvider({ adopt: true, accountId: "123456789012" });
    expect(importsOf(json)[0].id).toMatch(/^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:iam::123456789012:oidc-provider\/api\.bitbucket\.org\//);
    expect(json.data?.aws_caller_identity).toBeUndefined();
    expect(() => synthProvider({ adopt: true, accountId: "123456789012", partition: "aws-iso" })).toThrow(/partition: "aws-iso": expected one of the partitions "aws", "aws-cn", "aws-us-gov"/);
  });

  test("GIVEN adopt alone WHEN synthesized THEN the import id references the caller identity and partition, read at plan time", () => {
    const json = synthProvider({ adopt: true });
    const [block] = importsOf(json);
    expect(block.to).toBe("aws_iam_openid_connect_provider.bitbucket");
    expect(block.id).toMatch(
      /^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:iam::\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}:oidc-provider\/api\.bitbucket\.org\/2\.0\/workspaces\/acme\/pipelines-config\/identity\/oidc$/,
    );
    expect(Object.keys(json.data?.aws_caller_identity ?? {})).toHaveLength(1);
    expect(Object.keys(json.data?.aws_partition ?? {})).toHaveLength(1);
  });

  test("GIVEN existingArn without adopt, or both existingArn and accountId WHEN constructed THEN a ValidationError names the prop and the fix", () => {
    expect(() => synthProvider({ existingArn: PROVIDER_ARN })).toThrow(/existingArn: .*set adopt: true to import it, or use BitbucketOidcProvider\.fromArn/);
    expect(() => synthProvider({ adopt: true, existingArn: PROVIDER_ARN, accountId: "123456789012" })).toThrow(ValidationError);
    expect(() => synthProvider({ adopt: true, accountId: "1234" })).toThrow(/accountId: "1234": expected a 12-digit AWS account id/);
  });

  test("GIVEN no adopt WHEN synthesized THEN there is no import block and no data source", () => {
    const json = synthProvider({});
    expect(json.import).toBeUndefined();
    expect(json.data).toBeUndefined();
  });
});

describe("adoption in the config file", () => {
  test("GIVEN provider adopt without existingArn and with aws.accountId THEN the error gives the exact ARN to set", () => {
    expect(() => validateConfig(baseConfig({ provider: { adopt: true } }), "adopt.yaml")).toThrow(
      `provider.adopt: true: adopt imports an existing provider, so it needs that provider's ARN: set provider.existingArn: "${PROVIDER_ARN}"`,
    );
  });

  test("GIVEN provider adopt without existingArn and without aws.accountId THEN the error says how to find the ARN", () => {
    const config = baseConfig({ provider: { adopt: true }, aws: { region: "us-east-1" } });
    expect(() => validateConfig(config, "adopt.yaml")).toThrow(ConfigError);
    expect(() => validateConfig(config, "adopt.yaml")).toThrow(/aws iam list-open-id-connect-providers" lists for api\.bitbucket\.org\/2\.0\/workspaces\/acme/);
  });

  test("GIVEN adopt keys of the wrong type THEN the schema check reports them", () => {
    const config = { ...baseConfig(), provider: { existingArn: PROVIDER_ARN, adopt: "yes" }, roles: [{ name: "r", adopt: 1, repositories: [{ uuid: UUIDS.repoA }] }] };
    expect(() => validateConfig(config, "adopt.yaml")).toThrow(/provider\.adopt: "yes": expected a boolean[\s\S]*roles\[0\]\.adopt: 1: expected a boolean/);
  });
});
