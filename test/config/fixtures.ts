/** Configs for the schema tests: a rich `accounts:` config that reaches every object of the schema. */
import { BitbucketOidcConfigInput } from "../../lib/config/model";
import { UUIDS } from "../support/synth";

/** A fresh statement each time (a shared object would become a YAML alias when stringified). */
const statement = () => ({
  sid: "Read",
  effect: "Allow",
  actions: ["s3:GetObject"],
  resources: ["arn:aws:s3:::acme-site/*"],
  conditions: { IpAddress: { "aws:SourceIp": ["10.0.0.0/8"] }, StringEquals: { "aws:RequestedRegion": "us-east-1" } },
});

/** Every kind of object the schema has, with `accounts:` and an override of each role key. */
export function richAccountsConfig(): BitbucketOidcConfigInput {
  const role = {
    name: "deploy",
    accounts: ["prod"],
    description: "Deploys",
    path: "/ci/",
    maxSessionDuration: 3600,
    managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
    statements: [statement()],
    inlinePolicies: { extra: [statement()] },
    tags: { team: "platform" },
    sourceIps: ["10.0.0.0/8"],
    repositories: [{ uuid: UUIDS.repoA, name: "web-app", environments: [{ uuid: UUIDS.envProduction, name: "production" }] }],
    acknowledge: [{ rule: "BBO-P003", reason: "reads widely" }],
    grants: {
      ecrPush: { repositories: ["web-app"], pullOnly: false, createRepositories: true, immutableTags: true },
      terraformState: { level: "apply", bucket: "acme-state", key: "web/terraform.tfstate", lockTable: "locks", useLockfile: true, workspaceKeyPrefix: "env:" },
      s3Deploy: { bucket: "acme-site", prefix: "docs/", delete: true, cloudFrontDistributionId: "E2QWRUHAPOMQZL" },
      statements: [statement()],
    },
  } as const;
  return {
    version: 1,
    stack: "org",
    workspace: { slug: "acme", uuid: UUIDS.workspace, name: "Acme" },
    state: {
      bucket: "acme-terraform-state",
      key: "org/terraform.tfstate",
      region: "us-east-1",
      encrypt: true,
      useLockfile: true,
      dynamodbTable: "locks",
      workspaceKeyPrefix: "env:",
      endpoints: { s3: "https://s3.example.com" },
      usePathStyle: true,
    },
    provider: { thumbprints: "none", preventDestroy: true, tags: { team: "platform" }, audiences: ["ari:cloud:bitbucket::workspace/8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60"] },
    quotas: { trustPolicySize: 4096, managedPoliciesPerRole: 20, rolesPerAccount: 1000 },
    accounts: [
      {
        id: "111111111111",
        name: "prod",
        region: "us-east-1",
        assumeRoleArn: "arn:aws:iam::111111111111:role/terraform",
        defaultTags: { env: "prod" },
        environments: ["production"],
        provider: { thumbprints: ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"] },
        roles: [{ name: "prod-only", repositories: [{ uuid: UUIDS.repoB }] }],
        overrides: {
          deploy: {
            description: "Deploys prod",
            maxSessionDuration: 7200,
            sourceIps: ["192.0.2.0/24"],
            repositories: [{ uuid: UUIDS.repoA, environments: [{ uuid: UUIDS.envProduction, name: "production" }] }],
            statements: [statement()],
            grants: { ecrPush: { repositories: ["web-app"] } },
            tags: { tier: "1" },
          },
        },
      },
      { id: "222222222222", name: "staging", region: "eu-west-1" },
    ],
    roles: [role],
  } as unknown as BitbucketOidcConfigInput;
}
