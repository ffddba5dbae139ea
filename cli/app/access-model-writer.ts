import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DefaultTokenResolver, StringConcat, Tokenization } from "cdktf";
import { BitbucketOidcStack } from "../../stacks/bitbucket-oidc-stack";
import type { StackOutputContext } from "./output-writers";
import { BitbucketOidcProvider } from "../../lib/constructs/bitbucket-oidc-provider";
import { acknowledgementsOf } from "../../lib/guardrails/acknowledgements";
import { providerArn } from "../../lib/bitbucket/bitbucket";
import { terraformId } from "../../lib/core/terraform-id";
import { ACCESS_MODEL_FILE, ACCESS_MODEL_VERSION, AccessModel, AccessRole } from "../../lib/access-model/access-model";
import { partitionOfRegion } from "../../lib/iam/partition";

/** Builds the access model of one of our stacks from its constructs (names from the config survive). */
export function accessModelOf(stack: BitbucketOidcStack): AccessModel {
  const { config, oidcProvider } = stack;
  const accountId = config.aws.accountId;
  const partition = partitionOfRegion(config.aws.region) ?? "aws";
  const created = oidcProvider instanceof BitbucketOidcProvider;
  // An adopted provider is created here (imported) but its ARN is known: existingArn.
  const literalProviderArn = created ? (config.provider.existingArn ?? (accountId ? providerArn(accountId, config.workspace.slug, partition) : undefined)) : oidcProvider.arn;
  const providerAddress = created ? `aws_iam_openid_connect_provider.${(oidcProvider as BitbucketOidcProvider).friendlyUniqueId}` : undefined;
  // Policies, managed policies, grants and acknowledgements may hold tokens (the provider's ARN, the caller's
  // account, a host's `${aws_s3_bucket.x.arn}`): write them as Terraform writes them, with the provider's reference replaced by its ARN where known.
  const resolved = <T>(value: T): T => {
    let json = JSON.stringify(Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) }));
    if (literalProviderArn && providerAddress) json = json.split(`\${${providerAddress}.arn}`).join(literalProviderArn);
    return JSON.parse(json) as T;
  };
  const roles: AccessRole[] = config.roles.map((role) => {
    const construct = stack.roles[role.name];
    return {
      name: role.name,
      address: `aws_iam_role.${terraformId(role.name)}`,
      arnOutput: `role_arn_${terraformId(role.name)}`,
      arn: accountId ? `arn:${partition}:iam::${accountId}:role${role.path ?? "/"}${role.name}` : undefined,
      description: construct.roleDescription,
      path: role.path ?? "/",
      maxSessionDuration: role.maxSessionDuration ?? 3600,
      permissionsBoundary: role.permissionsBoundary,
      managedPolicyArns: resolved([...construct.attachedPolicyArns]),
      inlinePolicies: resolved(construct.policies),
      trust: {
        audiences: construct.audiences,
        subjects: construct.subjects,
        repositories: construct.repositories,
        anyRepositoryInWorkspace: role.anyRepositoryInWorkspace === true,
        sourceIps: [...(role.sourceIps ?? [])],
      },
      trustPolicy: resolved(construct.trustPolicy),
      grants: resolved({ ...construct.grants }),
      acknowledgements: resolved(acknowledgementsOf(construct)),
    };
  });
  return {
    version: ACCESS_MODEL_VERSION,
    stack: stack.node.id,
    workspace: { ...config.workspace },
    aws: { region: config.aws.region, partition, accountId },
    provider: {
      arn: literalProviderArn,
      address: providerAddress,
      issuer: oidcProvider.issuerUrl,
      conditionKeyPrefix: oidcProvider.conditionKeyPrefix,
      audiences: oidcProvider.audiences,
    },
    roles,
  };
}

/** Output writer: `access-model.json` next to each BitbucketOidcStack's cdk.tf.json. */
export function writeAccessModel({ stack, stackDir }: StackOutputContext): void {
  if (!(stack instanceof BitbucketOidcStack)) return;
  writeFileSync(join(stackDir, ACCESS_MODEL_FILE), `${JSON.stringify(accessModelOf(stack), null, 2)}\n`);
}
