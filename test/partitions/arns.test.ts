/**
 * Every ARN the project writes is of the config's partition: in cdk.tf.json (grant resources, managed
 * policy ARNs, the provider ARN in trust policies), access-model.json and pipelines/*.yml.
 */
import { join } from "node:path";
import { evaluateAction } from "../../lib/evaluation/identity-evaluator";
import { runCommand, synthFolder } from "../review/support";
import { rolesFromTerraform } from "../support/terraform-json";
import { baseConfig, synthConfig, UUIDS } from "../support/synth";
import { ACCOUNT, arnsIn, arnStrings, everyGrantConfig, PARTITION_REGIONS, snippetTexts } from "./partition-config";

/** The services whose ARNs the every-grant config must produce (so the scan is not vacuous). */
const EXPECTED_SERVICES = ["ecr", "s3", "dynamodb", "cloudfront", "iam", "kms", "sqs", "sns"];

describe.each(PARTITION_REGIONS)("partition %s (region %s)", (partition, region) => {
  test("GIVEN a config with every grant kind THEN every ARN in cdk.tf.json, access-model.json and pipelines/*.yml is of the partition", () => {
    const out = synthConfig(everyGrantConfig(partition, region));
    try {
      const stackDir = join(out.outdir, "cdktf.out", "stacks", out.result.stacks[0].name);
      const files: Record<string, string> = {
        "cdk.tf.json": out.file("cdk.tf.json"),
        "access-model.json": out.file("access-model.json"),
        ...Object.fromEntries(Object.entries(snippetTexts(stackDir)).map(([f, t]) => [`pipelines/${f}`, t])),
      };
      expect(Object.keys(files).filter((f) => f.startsWith("pipelines/"))).toHaveLength(3);
      const wrong: string[] = [];
      for (const [file, text] of Object.entries(files)) {
        for (const { arn, partition: found } of arnsIn(text)) if (found !== partition) wrong.push(`${file}: ${arn}`);
      }
      for (const file of ["cdk.tf.json", "access-model.json"]) {
        for (const arn of arnStrings(JSON.parse(files[file]))) if (!arn.startsWith(`arn:${partition}:`)) wrong.push(`${file} (string): ${arn}`);
      }
      expect(wrong).toEqual([]);

      const all = Object.values(files).flatMap(arnsIn).map((a) => a.arn);
      const services = new Set(all.map((arn) => arn.split(":")[2]));
      expect([...services].sort()).toEqual(expect.arrayContaining(EXPECTED_SERVICES));
      // The managed policy of terraformPlan, the provider and the roles, by exact ARN.
      const terraform = files["cdk.tf.json"];
      expect(terraform).toContain(`"arn:${partition}:iam::aws:policy/ReadOnlyAccess"`);
      expect(terraform).toContain(`arn:${partition}:iam::${ACCOUNT}:role/bitbucket-deploy`);
      const model = out.accessModel();
      expect(model.aws.partition).toBe(partition);
      expect(model.provider.arn).toBe(`arn:${partition}:iam::${ACCOUNT}:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc`);
      expect(model.roles.map((r) => r.arn)).toEqual(["bitbucket-deploy", "bitbucket-plan", "bitbucket-plan-other"].map((n) => `arn:${partition}:iam::${ACCOUNT}:role/${n}`));
      expect(files["pipelines/bitbucket-deploy.yml"]).toContain(`arn:${partition}:iam::${ACCOUNT}:role/bitbucket-deploy`);
      // Bitbucket's issuer and audience are the same in every partition.
      expect(model.provider.issuer).toBe("https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc");
      expect(model.provider.audiences).toEqual([`ari:cloud:bitbucket::workspace/${UUIDS.workspace.slice(1, -1)}`]);
    } finally {
      out.dispose();
    }
  });

  test("GIVEN the every-grant config THEN iam-simulate allows each grant's calls on the partition's resources, and nothing in another partition", async () => {
    const out = synthConfig(everyGrantConfig(partition, region, {}));
    try {
      const roles = rolesFromTerraform(out.json(), { accountId: ACCOUNT, partition });
      const decide = async (roleName: string, action: string, resource: string): Promise<string> => {
        const role = roles.find((r) => r.name === roleName)!;
        return (await evaluateAction(role.inlinePolicies, { principalArn: role.arn, action, resource, accountId: ACCOUNT })).result;
      };
      const other = partition === "aws" ? "aws-cn" : "aws";
      const requests: [string, string, string][] = [
        ["bitbucket-deploy", "ecr:PutImage", `arn:P:ecr:${region}:${ACCOUNT}:repository/web-app`],
        ["bitbucket-deploy", "s3:PutObject", "arn:P:s3:::acme-app-state/web-app/terraform.tfstate"],
        ["bitbucket-deploy", "dynamodb:PutItem", `arn:P:dynamodb:${region}:${ACCOUNT}:table/terraform-locks`],
        ["bitbucket-deploy", "cloudfront:CreateInvalidation", `arn:P:cloudfront::${ACCOUNT}:distribution/E2QWRUHAPOMQZL`],
        ["bitbucket-deploy", "s3:PutObject", "arn:P:s3:::acme-site/docs/index.html"],
        ["bitbucket-plan", "iam:GetRole", `arn:P:iam::${ACCOUNT}:role/bitbucket-deploy`],
        ["bitbucket-plan", "iam:GetOpenIDConnectProvider", `arn:P:iam::${ACCOUNT}:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc`],
      ];
      const wrong: string[] = [];
      for (const [roleName, action, resource] of requests) {
        const own = await decide(roleName, action, resource.replace("arn:P:", `arn:${partition}:`));
        const foreign = await decide(roleName, action, resource.replace("arn:P:", `arn:${other}:`));
        if (own !== "Allowed" || foreign !== "ImplicitlyDenied") wrong.push(`${roleName} ${action} ${resource}: own ${own}, ${other} ${foreign}`);
      }
      expect(wrong).toEqual([]);
    } finally {
      out.dispose();
    }
  });

  test("GIVEN the every-grant config THEN `review` (Markdown and JSON, against an empty-role base) shows only ARNs of the partition", async () => {
    const head = synthConfig(everyGrantConfig(partition, region));
    const base = synthConfig({ ...everyGrantConfig(partition, region), roles: [{ name: "bitbucket-deploy", repositories: [{ uuid: UUIDS.repoA }] }] });
    try {
      const markdown = await runCommand(["review", "--synth", synthFolder(head), "--base", synthFolder(base)]);
      const json = await runCommand(["review", "--synth", synthFolder(head), "--base", synthFolder(base), "--json"]);
      expect([markdown.code, json.code]).toEqual([0, 0]);
      for (const text of [markdown.stdout, json.stdout]) {
        const found = arnsIn(text);
        expect(found.map((a) => a.arn)).toContainEqual(`arn:${partition}:iam::${ACCOUNT}:role/bitbucket-deploy`);
        expect(found.filter((a) => a.partition !== partition).map((a) => a.arn)).toEqual([]);
      }
      expect(arnsIn(json.stdout).map((a) => a.arn.split(":")[2])).toEqual(expect.arrayContaining(["ecr", "s3", "dynamodb", "cloudfront", "kms"]));
    } finally {
      head.dispose();
      base.dispose();
    }
  });

  test("GIVEN no account id THEN the ARNs still carry the partition (account read at plan time)", () => {
    const out = synthConfig(everyGrantConfig(partition, region, {}));
    try {
      const text = out.file("cdk.tf.json") + out.file("access-model.json");
      const found = arnsIn(text);
      expect(found.length).toBeGreaterThan(10);
      expect(found.filter((a) => a.partition !== partition).map((a) => a.arn)).toEqual([]);
    } finally {
      out.dispose();
    }
  });

  test("GIVEN accounts: in two regions of the partition THEN each account stack writes ARNs of the partition", () => {
    const { aws: _aws, roles, ...rest } = baseConfig({ state: { bucket: "acme-terraform-state", region } });
    const other = PARTITION_REGIONS.find(([p]) => p === partition)![0] === "aws" ? "us-west-2" : partition === "aws-cn" ? "cn-northwest-1" : "us-gov-east-1";
    const out = synthConfig({
      ...rest,
      roles: roles!.map((r) => ({ ...r, grants: { s3Deploy: { bucket: "acme-site" } } })),
      accounts: [
        { id: "111111111111", name: "prod", region },
        { id: "222222222222", name: "dev", region: other },
      ],
    });
    try {
      for (const stack of out.result.stacks) {
        const text = out.file("cdk.tf.json", stack.name) + out.file("access-model.json", stack.name);
        const found = arnsIn(text);
        expect(found.length).toBeGreaterThan(2);
        expect(found.filter((a) => a.partition !== partition).map((a) => a.arn)).toEqual([]);
      }
    } finally {
      out.dispose();
    }
  });
});
