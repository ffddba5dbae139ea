/**
 * Partition rules of the config: isolated regions refused, one partition per config (accounts and the
 * state bucket included), and every ARN written in the config of that partition. Each problem names
 * the file, field, value and what is expected, and the CLI exits 2.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { BitbucketOidcConfigInput } from "../../lib/config/model";
import { ConfigError, validateConfig } from "../../lib/config/validate";
import { runCliIn } from "../support/run-cli";
import { baseConfig, UUIDS } from "../support/synth";
import { everyGrantConfig, PARTITION_REGIONS } from "./partition-config";

/** The problem lines of a config that must fail validation. */
function problemsOf(config: unknown): string[] {
  try {
    validateConfig(config, "partition-test.yaml");
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split("\n").slice(1).map((l) => l.replace(/^\s+- /, ""));
    throw e;
  }
  throw new Error("expected a ConfigError, but the config is valid");
}

const stateIn = (region: string) => ({ bucket: "acme-terraform-state", key: "bitbucket-oidc/terraform.tfstate", region });

function accountsConfig(regions: readonly string[], stateRegion = regions[0]): BitbucketOidcConfigInput {
  const { aws: _aws, ...rest } = baseConfig({ state: stateIn(stateRegion) });
  return { ...rest, accounts: regions.map((region, i) => ({ id: String(i + 1).repeat(12), name: `a${i}`, region })) };
}

describe("isolated regions", () => {
  test.each(["us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1"])("GIVEN aws.region %s THEN it is refused, naming the isolated partition and the supported ones", (region) => {
    const problems = problemsOf(baseConfig({ aws: { region }, state: stateIn(region) }));
    expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^partition-test\\.yaml aws\\.region: "${region}": is a region of the isolated partition aws-iso(-[a-z])?, which bitbucket-oidc does not support.*aws, aws-cn, aws-us-gov`)));
    expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^partition-test\\.yaml state\\.region: "${region}": is a region of the isolated partition`)));
  });

  test("GIVEN an isolated region under accounts: THEN that account's region is named", () => {
    expect(problemsOf(accountsConfig(["us-east-1", "us-isob-east-1"]))).toContainEqual(expect.stringMatching(/^partition-test\.yaml accounts\[1\]\.region: "us-isob-east-1": is a region of the isolated partition aws-iso-b/));
  });

  test("GIVEN an isolated region in a file THEN `validate` exits 2 and prints file, field and value", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bbo-partition-"));
    try {
      writeFileSync(join(dir, "bitbucket-oidc.yaml"), stringify(baseConfig({ aws: { region: "us-iso-east-1" } })));
      const { code, stdout, stderr } = await runCliIn(["validate", "--config", join(dir, "bitbucket-oidc.yaml")], { cwd: dir, env: {} });
      expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
      expect(stderr).toMatch(/bitbucket-oidc\.yaml:\d+ aws\.region: "us-iso-east-1": is a region of the isolated partition aws-iso/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("one partition per config", () => {
  test("GIVEN accounts: in aws and aws-us-gov THEN the second account's region is refused, naming both partitions", () => {
    expect(problemsOf(accountsConfig(["us-east-1", "us-gov-west-1"]))).toContainEqual(
      expect.stringMatching(/^partition-test\.yaml accounts\[1\]\.region: "us-gov-west-1": is in partition aws-us-gov, but accounts\[0\]\.region \(us-east-1\) is in aws: a config deploys to one partition/),
    );
  });

  test("GIVEN accounts: in aws-cn and aws THEN it is refused", () => {
    expect(problemsOf(accountsConfig(["cn-north-1", "cn-northwest-1", "eu-west-1"], "cn-north-1"))).toContainEqual(expect.stringMatching(/accounts\[2\]\.region: "eu-west-1": is in partition aws, but accounts\[0\]\.region \(cn-north-1\) is in aws-cn/));
  });

  test.each([
    ["us-east-1", "us-gov-west-1"],
    ["cn-north-1", "us-east-1"],
    ["us-gov-east-1", "cn-north-1"],
  ])("GIVEN stacks in %s and state.region %s THEN state.region is refused", (stackRegion, stateRegion) => {
    expect(problemsOf(baseConfig({ aws: { region: stackRegion }, state: stateIn(stateRegion) }))).toContainEqual(
      expect.stringMatching(new RegExp(`^partition-test\\.yaml state\\.region: "${stateRegion}": is in partition [a-z-]+, but the stacks \\(aws\\.region: ${stackRegion}\\) are in [a-z-]+: the state bucket must be in the stacks' partition`)),
    );
  });

  test("GIVEN accounts: and state in one partition, regions differing THEN it is valid", () => {
    expect(() => validateConfig(accountsConfig(["us-gov-west-1", "us-gov-east-1"], "us-gov-east-1"))).not.toThrow();
  });
});

describe("ARNs of another partition", () => {
  test.each(PARTITION_REGIONS)("GIVEN the every-grant config in %s THEN it is valid", (partition, region) => {
    expect(() => validateConfig(everyGrantConfig(partition, region))).not.toThrow();
  });

  test("GIVEN an aws-us-gov config whose ARNs say arn:aws THEN each field is named with its value and the expected partition", () => {
    const gov = everyGrantConfig("aws", "us-gov-west-1");
    const problems = problemsOf({ ...gov, aws: { ...gov.aws, assumeRoleArn: "arn:aws:iam::123456789012:role/terraform" }, provider: { existingArn: "arn:aws:iam::123456789012:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc" } });
    const expected = ["aws.assumeRoleArn", "provider.existingArn", "roles[0].permissionsBoundary", "roles[0].managedPolicyArns[0]", "roles[0].statements[0].resources[0]", "roles[0].grants.terraformState.kmsKeyArn", "roles[0].grants.statements[0].resources[0]"];
    for (const field of expected) {
      expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^partition-test\\.yaml ${field.replace(/[[\].]/g, "\\$&")}: "arn:aws:[^"]*": expected an ARN of partition aws-us-gov \\(from aws\\.region: us-gov-west-1\\), i\\.e\\. starting "arn:aws-us-gov:", not "arn:aws:"`)));
    }
    expect(problems).toHaveLength(expected.length);
  });

  test("GIVEN an aws config with an aws-cn ARN in accounts[].overrides and a state role THEN both are refused", () => {
    const config = accountsConfig(["us-east-1"]);
    const problems = problemsOf({
      ...config,
      state: { ...config.state, assumeRoleArn: "arn:aws-cn:iam::123456789012:role/state" },
      accounts: [{ ...config.accounts![0], overrides: { "bitbucket-deploy": { managedPolicyArns: ["arn:aws-cn:iam::aws:policy/ReadOnlyAccess"] } } }],
    });
    expect(problems).toContainEqual(expect.stringMatching(/state\.assumeRoleArn: "arn:aws-cn:iam::123456789012:role\/state": expected an ARN of partition aws \(from accounts\[0\]\.region: us-east-1\)/));
    expect(problems).toContainEqual(expect.stringMatching(/accounts\[0\]\.overrides\.bitbucket-deploy\.managedPolicyArns\[0\]: "arn:aws-cn:iam::aws:policy\/ReadOnlyAccess": expected an ARN of partition aws/));
  });

  test("GIVEN a statement resource with a wildcard partition matching the config's THEN it is accepted; free text holding an ARN is not checked", () => {
    const config = baseConfig({
      aws: { region: "cn-north-1", defaultTags: { owner: "arn:aws:iam::123456789012:user/x" } },
      state: stateIn("cn-north-1"),
      roles: [{ name: "r", description: "reads arn:aws:s3:::x", repositories: [{ uuid: UUIDS.repoA }], statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws*:s3:::acme/*"] }] }],
    });
    expect(() => validateConfig(config)).not.toThrow();
  });
});
