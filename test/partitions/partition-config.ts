/**
 * Test support for partitions: a config in a given region that exercises every grant kind and every
 * ARN-bearing field, and a scanner for every ARN in the synthesized output.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BitbucketOidcConfigInput } from "../../lib/config/model";
import { UUIDS } from "../support/synth";

export const ACCOUNT = "123456789012";

/** One region per supported partition. */
export const PARTITION_REGIONS = [
  ["aws", "eu-central-1"],
  ["aws-cn", "cn-north-1"],
  ["aws-us-gov", "us-gov-west-1"],
] as const;

/**
 * Every grant kind (ecrPush with create and immutable tags, terraformState with a lock table and a KMS
 * key, terraformPlan both plain and with a managed policy, s3Deploy with CloudFront, statements), plus
 * the role fields that take ARNs (managedPolicyArns, permissionsBoundary, statements), all written in
 * `partition`.
 */
export function everyGrantConfig(partition: string, region: string, options: { accountId?: string } = { accountId: ACCOUNT }): BitbucketOidcConfigInput {
  const account = options.accountId ?? ACCOUNT;
  const kms = `arn:${partition}:kms:${region}:${account}:key/1234abcd-12ab-34cd-96ef-1234567890ab`;
  const repositories = [{ uuid: UUIDS.repoA, name: "web-app", environments: [{ uuid: UUIDS.envProduction, name: "production" }] }, { uuid: UUIDS.repoB, name: "site" }];
  return {
    stack: "bitbucket-oidc",
    workspace: { slug: "acme", uuid: UUIDS.workspace },
    aws: { region, ...(options.accountId === undefined ? {} : { accountId: options.accountId }) },
    state: { bucket: "acme-terraform-state", key: "bitbucket-oidc/terraform.tfstate", region },
    roles: [
      {
        name: "bitbucket-deploy",
        repositories,
        permissionsBoundary: `arn:${partition}:iam::${account}:policy/pipeline-boundary`,
        managedPolicyArns: [`arn:${partition}:iam::aws:policy/AmazonS3ReadOnlyAccess`],
        statements: [{ actions: ["sqs:SendMessage"], resources: [`arn:${partition}:sqs:${region}:${account}:deploy-events`] }],
        grants: {
          ecrPush: { repositories: ["web-app"], createRepositories: true, immutableTags: true },
          terraformState: { level: "apply", bucket: "acme-app-state", key: "web-app/terraform.tfstate", lockTable: "terraform-locks", kmsKeyArn: kms },
          s3Deploy: { bucket: "acme-site", prefix: "docs/", cloudFrontDistributionId: "E2QWRUHAPOMQZL" },
          statements: [{ actions: ["sns:Publish"], resources: [`arn:${partition}:sns:${region}:${account}:deployments`] }],
        },
      },
      {
        name: "bitbucket-plan",
        repositories: [{ uuid: UUIDS.repoA, name: "web-app" }],
        grants: { terraformPlan: { bucket: "acme-terraform-state", key: "bitbucket-oidc/terraform.tfstate", lockTable: "terraform-locks" } },
      },
      {
        name: "bitbucket-plan-other",
        repositories: [{ uuid: UUIDS.repoB, name: "site" }],
        grants: { terraformPlan: { bucket: "acme-app-state", prefix: "team-a/", managedPolicy: "ReadOnlyAccess", readObjectsIn: ["acme-assets"] } },
      },
    ],
  };
}

/** Every ARN in a text, by its partition field (`arn:<partition>:`), including ARNs inside JSON strings. */
export function arnsIn(text: string): { arn: string; partition: string }[] {
  return [...text.matchAll(/arn:([^:"'`\s]*):[^"'`\s,\]}|)<]*/g)].map((m) => ({ arn: m[0], partition: m[1] }));
}

/** Every string of a JSON value that starts with "arn:", parsing JSON held in strings (policies) too. */
export function arnStrings(value: unknown): string[] {
  if (typeof value === "string") {
    if (value.startsWith("arn:")) return [value];
    if (/^\s*[{[]/.test(value)) {
      try {
        return arnStrings(JSON.parse(value));
      } catch {
        return [];
      }
    }
    return [];
  }
  if (Array.isArray(value)) return value.flatMap(arnStrings);
  if (value && typeof value === "object") return Object.values(value).flatMap(arnStrings);
  return [];
}

/** The texts of a stack folder's pipelines/*.yml snippets, by file name. */
export function snippetTexts(stackDir: string): Record<string, string> {
  const dir = join(stackDir, "pipelines");
  return Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith(".yml")).map((f) => [f, readFileSync(join(dir, f), "utf8")]));
}
