import { Annotations, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePoliciesExclusive } from "@cdktf/provider-aws/lib/iam-role-policies-exclusive";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { IamRolePolicyAttachmentsExclusive } from "@cdktf/provider-aws/lib/iam-role-policy-attachments-exclusive";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
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
import { checkGrants, ComposedGrants, GrantContext, grantPolicies, Grants, PLACEHOLDER_ACCOUNT } from "../grants";
import { IamPolicyDocument, policyDocument, renderPolicy, toIamStatement } from "../iam/policy-document";
import { ProblemList, throwIfProblems } from "../core/problems";
import { IamQuotas, resolveQuotas } from "../iam/quotas";
import { inlinePolicies } from "../iam/inline-policies";
import { canonicalCidr, checkRole, normalizeRepositories, RepositoryTrust, RoleFields, roleSubjects } from "./role-rules";
import { adoptionImportIds } from "../iam/import-ids";
import { trustPolicyDocument } from "../iam/trust-policy";
import { acknowledge, checkAcknowledgements } from "../guardrails/acknowledgements";
import { IBitbucketOidcProvider } from "./bitbucket-oidc-provider";

/**
 * Props of {@link BitbucketPipelinesRole}.
 * @example { oidcProvider, roleName: "bitbucket-deploy", repositories: [{ uuid: "{3f2a...}", name: "my-service" }] }
 */
export interface BitbucketPipelinesRoleProps extends RoleFields {
  /** The workspace's identity provider: a {@link BitbucketOidcProvider} or `BitbucketOidcProvider.fromArn(...)`. */
  readonly oidcProvider: IBitbucketOidcProvider;
  /**
   * The IAM role name: 1-64 characters of letters, digits and `_+=,.@-`, unique in the account
   * case-insensitively.
   * @example "bitbucket-deploy"
   */
  readonly roleName: string;
  /** IAM quotas raised for the account. @default IAM's defaults (2048, 10) */
  readonly quotas?: IamQuotas;
  /** The AWS provider to create it with, e.g. an aliased one. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /**
   * Where the grants' resources live, to write their ARNs (ECR repositories, DynamoDB lock tables,
   * CloudFront distributions), and which roles `terraformPlan` reads.
   * @default region: none (required by ecrPush and lockTable); partition: the region's, else the
   * provider ARN's, else `data "aws_partition"`; accountId: the caller's, through a
   * `data "aws_caller_identity"`; roles: this role only
   * @example { region: "us-east-1", accountId: "123456789012" }
   */
  readonly grantScope?: GrantScope;
}

/**
 * Where a role's grants point. The stack fills it from `aws.region`, `aws.accountId` and its roles.
 * @example { region: "us-east-1", accountId: "123456789012", roles: [{ name: "bitbucket-plan" }] }
 */
export interface GrantScope {
  /** Region of ECR repositories and DynamoDB lock tables. @default none */
  readonly region?: string;
  /**
   * The partition of every ARN the grants write (`aws`, `aws-cn`, `aws-us-gov`).
   * @default the region's; without a region, the literal provider ARN's; else `data "aws_partition"` read at plan time
   * @example "aws-us-gov"
   */
  readonly partition?: string;
  /** The account id. @default the caller's account (`data.aws_caller_identity`) */
  readonly accountId?: string;
  /** The roles a `terraformPlan` grant (without managedPolicy) may read. @default this role only */
  readonly roles?: readonly { readonly name: string; readonly path?: string }[];
}

/**
 * An IAM role that pipeline steps of the named Bitbucket repositories (and environments) can assume
 * with `sts:AssumeRoleWithWebIdentity`, and nothing else can. It is an `aws_iam_role`, so every
 * attribute of one is at hand. It owns its policies exclusively: a policy attached by hand shows up
 * in the next plan as one to remove.
 */
export class BitbucketPipelinesRole extends IamRole {
  /** The trust policy, as rendered (the provider ARN may be a Terraform reference). */
  readonly trustPolicy: IamPolicyDocument;
  /** The `sub` patterns the role accepts. */
  readonly subjects: readonly string[];
  /** The trusted repositories, UUIDs normalized. */
  readonly repositories: readonly RepositoryTrust[];
  /** The `aud` values the role accepts. */
  readonly audiences: readonly string[];
  /** The role's description as synthesized (the `description` attribute reads back as a token). */
  readonly roleDescription: string;
  /** The inline policies by name, in IAM's JSON shape (the role's own, then one `grant-<kind>` per grant). */
  readonly policies: Readonly<Record<string, IamPolicyDocument>>;
  /** The grants, as given. */
  readonly grants: Grants;
  /** Every managed policy attached: the role's own, then those its grants attach (a visible opt-in). */
  readonly attachedPolicyArns: readonly string[];
  /** The identity provider the role trusts. */
  readonly oidcProvider: IBitbucketOidcProvider;
  /** True when every repository of the workspace may assume the role (the explicit opt-in). */
  readonly anyRepositoryInWorkspace: boolean;
  /** The `aws:SourceIp` ranges the trust policy requires; empty: any address. */
  readonly sourceIps: readonly string[];

  constructor(scope: Construct, id: string, props: BitbucketPipelinesRoleProps) {
    // 1. validate
    const quotas = resolveQuotas(props.quotas);
    const list = new ProblemList();
    const known = partitionOf(props);
    const knownPartition = known?.partition;
    checkRole(props, { conditionKeyPrefix: props.oidcProvider.conditionKeyPrefix, providerAudiences: props.oidcProvider.audiences, quotas, partition: knownPartition }, "", list);
    checkAcknowledgements(props.acknowledge, "acknowledge", list, true);
    checkGrantScopePartition(props.grantScope, list);
    if (known) checkArnPartitions(props, known, list);
    checkGrants(props.grants, grantContext(props, props.grantScope?.accountId ?? PLACEHOLDER_ACCOUNT, knownPartition ?? LONGEST_PARTITION), props, quotas, "grants", list);
    throwIfProblems(`BitbucketPipelinesRole "${id}"`, list);

    // 2. prepare values
    const repositories = normalizeRepositories(props.repositories);
    const subjects = roleSubjects({ repositories, anyRepositoryInWorkspace: props.anyRepositoryInWorkspace });
    const audiences = [...(props.audiences ?? props.oidcProvider.audiences)];
    const trustPolicy = trustPolicyDocument({
      providerArn: props.oidcProvider.arn,
      conditionKeyPrefix: props.oidcProvider.conditionKeyPrefix,
      audiences,
      subjects,
      sourceIps: props.sourceIps?.map(canonicalCidr),
    });
    const policies: Record<string, IamPolicyDocument> = Object.create(null) as Record<string, IamPolicyDocument>;
    for (const [name, statements] of Object.entries(inlinePolicies(props))) {
      policies[name] = policyDocument(statements.map(toIamStatement));
    }

    const description = props.description ?? `Assumed by Bitbucket Pipelines of ${props.oidcProvider.workspaceSlug} through OIDC`;

    // 3. build
    super(scope, id, {
      name: props.roleName,
      description,
      path: props.path,
      maxSessionDuration: props.maxSessionDuration ?? 3600,
      permissionsBoundary: props.permissionsBoundary,
      assumeRolePolicy: renderPolicy(trustPolicy),
      tags: props.tags ? { ...props.tags } : undefined,
      provider: props.provider,
    });
    this.trustPolicy = trustPolicy;
    this.subjects = subjects;
    this.repositories = repositories;
    this.audiences = audiences;
    this.roleDescription = description;
    this.oidcProvider = props.oidcProvider;
    this.anyRepositoryInWorkspace = props.anyRepositoryInWorkspace === true;
    this.sourceIps = [...(props.sourceIps ?? [])];

    // The grants' ARNs need the account id and the partition: the given ones, or read through data
    // sources at plan time. A role without grants skips composing them (the stack's role list makes
    // that O(roles) per role).
    const grants = props.grants ?? {};
    const givenAccount = props.grantScope?.accountId;
    let composed = Object.keys(grants).length === 0 ? NO_GRANTS : grantPolicies(grants, grantContext(props, givenAccount ?? PLACEHOLDER_ACCOUNT, knownPartition ?? UNKNOWN_PARTITION), props);
    const written = JSON.stringify([composed.policies, composed.managedPolicyArns]);
    const needsAccount = givenAccount === undefined && written.includes(PLACEHOLDER_ACCOUNT);
    const needsPartition = knownPartition === undefined && written.includes(`arn:${UNKNOWN_PARTITION}:`);
    if (needsAccount || needsPartition) {
      const accountId = needsAccount ? new DataAwsCallerIdentity(this, "caller", { provider: props.provider }).accountId : (givenAccount ?? PLACEHOLDER_ACCOUNT);
      const partition = needsPartition ? new DataAwsPartition(this, "partition", { provider: props.provider }).partition : (knownPartition ?? UNKNOWN_PARTITION);
      composed = grantPolicies(grants, grantContext(props, accountId, partition), props);
    }
    for (const [name, statements] of Object.entries(composed.policies)) policies[name] = policyDocument([...statements]);
    const managedPolicyArns = [...(props.managedPolicyArns ?? []), ...composed.managedPolicyArns.filter((arn) => !(props.managedPolicyArns ?? []).includes(arn))];
    this.policies = policies;
    this.grants = grants;
    this.attachedPolicyArns = managedPolicyArns;

    const inline = Object.entries(policies).map(
      ([name, document]) =>
        new IamRolePolicy(this, `policy-${name}`, { role: this.name, name, policy: renderPolicy(document), provider: props.provider }),
    );
    const policiesExclusive = new IamRolePoliciesExclusive(this, "policies-exclusive", {
      roleName: this.name,
      policyNames: Object.keys(policies),
      dependsOn: inline.length > 0 ? inline : undefined,
      provider: props.provider,
    });
    const attachments = managedPolicyArns.map(
      (arn) => new IamRolePolicyAttachment(this, attachmentId(arn, managedPolicyArns), { role: this.name, policyArn: arn, provider: props.provider }),
    );
    const attachmentsExclusive = new IamRolePolicyAttachmentsExclusive(this, "attachments-exclusive", {
      roleName: this.name,
      policyArns: [...managedPolicyArns],
      dependsOn: attachments.length > 0 ? attachments : undefined,
      provider: props.provider,
    });
    if (props.adopt === true) {
      // Only what the role has today is imported: its own policies, which come first. What grants add is created.
      const ids = adoptionImportIds(props.roleName, Object.keys(inlinePolicies(props)), props.managedPolicyArns ?? []);
      this.importFrom(ids.role);
      ids.inlinePolicies.forEach((importId, i) => inline[i].importFrom(importId));
      ids.attachments.forEach((importId, i) => attachments[i].importFrom(importId));
      policiesExclusive.importFrom(ids.role);
      attachmentsExclusive.importFrom(ids.role);
    }
    // Named opt-ins acknowledge their findings: a warning at every synth, never silently ok.
    // anyRepositoryInWorkspace: the unanchored `sub` (BBO-T002); grants.terraformPlan.managedPolicy: the account-wide policy (BBO-P003).
    const acknowledgements = [...(props.acknowledge ?? [])];
    if (props.anyRepositoryInWorkspace === true) acknowledgements.push({ rule: "BBO-T002", reason: "anyRepositoryInWorkspace: true (explicit opt-in to every repository of the workspace)" });
    const plan = props.grants?.terraformPlan;
    if (plan?.managedPolicy !== undefined) {
      const readable = plan.readObjectsIn?.length ? ` and the buckets in readObjectsIn (${plan.readObjectsIn.join(", ")})` : "";
      acknowledgements.push({
        rule: "BBO-P003",
        reason: `grants.terraformPlan.managedPolicy: ${plan.managedPolicy} (opt-in, to plan stacks this project does not know); an explicit Deny keeps it out of every S3 object but its own state${readable}`,
      });
    }
    if (acknowledgements.length > 0) acknowledge(this, acknowledgements);
    if (props.anyRepositoryInWorkspace === true) {
      Annotations.of(this).addWarning(
        `Role "${props.roleName}" trusts EVERY repository of workspace "${props.oidcProvider.workspaceSlug}" (anyRepositoryInWorkspace: true), including pull-request pipelines. Name the repositories instead unless this role can do nothing sensitive.`,
      );
    }
  }
}

/** What a role without grants gets from them: nothing. */
const NO_GRANTS: ComposedGrants = { policies: {}, kinds: {}, managedPolicyArns: [] };

/** Stands in for a partition read at plan time while grants are composed (replaced before anything is written). */
const UNKNOWN_PARTITION = "partition-read-at-plan-time";

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
function partitionOf(props: BitbucketPipelinesRoleProps): { partition: string; source: string } | undefined {
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
function grantContext(props: BitbucketPipelinesRoleProps, accountId: string, partition: string): GrantContext {
  const roles = props.grantScope?.roles ?? [{ name: props.roleName, path: props.path }];
  return {
    region: props.grantScope?.region,
    partition,
    accountId,
    oidcProviderArn: props.oidcProvider.arn,
    roleArns: roles.map((r) => `arn:${partition}:iam::${accountId}:role${r.path ?? "/"}${r.name}`),
  };
}

/** The last segment of a policy ARN, for a readable construct id. */
/**
 * The construct id of a managed-policy attachment: `attachment-<policy name>`, as always (stable
 * addresses). Policies of the same name in other accounts or paths (an AWS managed and a customer
 * managed `ReadOnlyAccess`, say) are told apart by their whole ARN (partition, account, path) instead.
 */
function attachmentId(arn: string, all: readonly string[]): string {
  const name = policyNameOf(arn);
  const sameName = all.filter((other) => policyNameOf(other) === name).length;
  return sameName > 1 ? `attachment-${arn.replace(/^arn:/, "")}` : `attachment-${name}`;
}

function policyNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}
