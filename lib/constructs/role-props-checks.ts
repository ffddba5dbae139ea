/**
 * The checks of a {@link BitbucketPipelinesRole}'s props, run at construction and again for each
 * addition (addToPolicy, addManagedPolicy, addGrants), and what they share with the role: where its
 * grants point and which partition it lives in.
 */
import type { BitbucketPipelinesRoleProps, GrantScope } from "./bitbucket-pipelines-role";
import { checkGrants, GrantContext, Grants, PLACEHOLDER_ACCOUNT } from "../grants";
import { ProblemList, throwIfProblems } from "../core/problems";
import { isToken } from "../core/tokens";
import { resolveQuotas } from "../iam/quotas";
import {
  foreignArnMessage,
  foreignArns,
  isIsolatedRegion,
  isolatedRegionMessage,
  isSupportedPartition,
  LONGEST_PARTITION,
  PARTITION_EXPECTED,
  partitionOfArn,
  partitionOfRegion,
} from "../iam/partition";
import { Acknowledgement, checkAcknowledgements } from "../guardrails/acknowledgements";
import { checkRole } from "./role-rules";

/** Validates a role's props (the constructor's and each addition's checks); throws ValidationError. */
export function validateRole(props: BitbucketPipelinesRoleProps, subject: string): void {
  const quotas = resolveQuotas(props.quotas);
  const list = new ProblemList();
  const known = partitionOf(props);
  const knownPartition = known?.partition;
  checkRole(props, { conditionKeyPrefix: props.oidcProvider.conditionKeyPrefix, providerAudiences: props.oidcProvider.audiences, quotas, partition: knownPartition }, "", list);
  checkAcknowledgements(props.acknowledge, "acknowledge", list, true);
  checkGrantScopePartition(props.grantScope, list);
  if (known) checkArnPartitions(props, known, list);
  checkGrants(props.grants, grantContext(props, props.grantScope?.accountId ?? PLACEHOLDER_ACCOUNT, knownPartition ?? LONGEST_PARTITION), props, quotas, "grants", list);
  throwIfProblems(subject, list);
}

/** The acknowledgements a grant's own opt-in carries: `terraformPlan.managedPolicy` (BBO-P003). */
export function grantOptIns(grants: Grants | undefined): Acknowledgement[] {
  const plan = grants?.terraformPlan;
  // A reference is no AWS managed policy BBO-P003 could name: nothing to acknowledge (a stale acknowledgement warns).
  if (plan?.managedPolicy === undefined || isToken(plan.managedPolicy)) return [];
  const readable = plan.readObjectsIn?.length ? ` and the buckets in readObjectsIn (${plan.readObjectsIn.join(", ")})` : "";
  return [
    {
      rule: "BBO-P003",
      reason: `grants.terraformPlan.managedPolicy: ${plan.managedPolicy} (opt-in, to plan stacks this project does not know); an explicit Deny keeps it out of every S3 object but its own state${readable}`,
    },
  ];
}

/** grantScope's partition must be a supported one, and its region not an isolated one. */
function checkGrantScopePartition(scope: GrantScope | undefined, list: ProblemList): void {
  if (scope?.partition !== undefined && !isSupportedPartition(scope.partition)) list.add("grantScope.partition", scope.partition, `expected ${PARTITION_EXPECTED}`);
  if (typeof scope?.region === "string" && isIsolatedRegion(scope.region)) list.add("grantScope.region", scope.region, isolatedRegionMessage(scope.region));
  const fromRegion = partitionOfRegion(scope?.region);
  if (scope?.partition !== undefined && fromRegion !== undefined && fromRegion !== scope.partition) {
    list.add("grantScope.partition", scope.partition, `region ${scope.region} (grantScope.region) is in partition ${fromRegion}: give that partition, or leave it out`);
  }
}

/** The partition known at synth, with where it comes from: given, from the region, or from a literal provider ARN. */
export function partitionOf(props: BitbucketPipelinesRoleProps): { partition: string; source: string } | undefined {
  const scope = props.grantScope;
  if (scope?.partition !== undefined) return { partition: scope.partition, source: `grantScope.partition: ${scope.partition}` };
  const fromRegion = partitionOfRegion(scope?.region);
  if (fromRegion) return { partition: fromRegion, source: `grantScope.region: ${scope?.region}` };
  const fromArn = partitionOfArn(props.oidcProvider.arn);
  return isSupportedPartition(fromArn) ? { partition: fromArn, source: "oidcProvider.arn" } : undefined;
}

/** The ARNs a role is given (and its provider's, when literal) must be of the partition it lives in. */
function checkArnPartitions(props: BitbucketPipelinesRoleProps, known: { partition: string; source: string }, list: ProblemList): void {
  const { permissionsBoundary, managedPolicyArns, statements, inlinePolicies, grants } = props;
  const fields = { permissionsBoundary, managedPolicyArns, statements, inlinePolicies, grants, "oidcProvider.arn": props.oidcProvider.arn };
  for (const found of foreignArns(fields, known.partition)) list.add(found.path, found.arn, foreignArnMessage(found.partition, known.partition, known.source));
}

/** The grants' view of where the role lives. */
export function grantContext(props: BitbucketPipelinesRoleProps, accountId: string, partition: string): GrantContext {
  const roles = props.grantScope?.roles ?? [{ name: props.roleName, path: props.path }];
  let roleArns: readonly string[] | undefined;
  return {
    region: props.grantScope?.region,
    partition,
    accountId,
    oidcProviderArn: props.oidcProvider.arn,
    // Built on first read: only terraformPlan reads the stack's role ARNs, and building them for every
    // role of a stack of every role's size would make synth quadratic in the number of roles.
    get roleArns(): readonly string[] {
      roleArns ??= roles.map((r) => `arn:${partition}:iam::${accountId}:role${r.path ?? "/"}${r.name}`);
      return roleArns;
    },
  };
}
