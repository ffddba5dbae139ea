import { Annotations, DefaultTokenResolver, StringConcat, TerraformProvider, TerraformResource, Tokenization } from "cdktf";
import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePoliciesExclusive } from "@cdktf/provider-aws/lib/iam-role-policies-exclusive";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { IamRolePolicyAttachmentsExclusive } from "@cdktf/provider-aws/lib/iam-role-policy-attachments-exclusive";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { ComposedGrants, GrantKind, grantPolicies, Grants, PLACEHOLDER_ACCOUNT } from "../grants";
import { IamPolicyDocument, PolicyStatementProps, policyDocument, renderPolicy, toIamStatement } from "../iam/policy-document";
import { joinPath, ProblemList, throwIfProblems, ValidationError } from "../core/problems";
import { isToken } from "../core/tokens";
import { IamQuotas } from "../iam/quotas";
import { inlinePolicies } from "../iam/inline-policies";
import { canonicalCidr, checkTags, normalizeRepositories, RepositoryTrust, RoleFields, roleSubjects } from "./role-rules";
import { adoptionImportIds } from "../iam/import-ids";
import { trustPolicyDocument } from "../iam/trust-policy";
import { acknowledge } from "../guardrails/acknowledgements";
import { grantContext, grantOptIns, partitionOf, validateRole } from "./role-props-checks";
import { declareBitbucketProvider } from "../guardrails/declared-providers";
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
 * in the next plan as one to remove. It grows after construction as an aws-cdk role does
 * ({@link addToPolicy}, {@link addManagedPolicy}, {@link addGrants}), each addition checked like the
 * props; the inherited setters that would bypass those checks (`assumeRolePolicy`, `inlinePolicy`,
 * `managedPolicyArns`, ...) throw once the role is built.
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
  /** The props with everything added since (statements, managed policies, grants). */
  private spec: BitbucketPipelinesRoleProps;
  /** What the spec composes to: inline policies by name and managed policies, as last synced. */
  private composed: { policies: Record<string, IamPolicyDocument>; managedPolicyArns: string[] } = { policies: {}, managedPolicyArns: [] };
  private readonly inlineResources = new Map<string, IamRolePolicy>();
  private readonly attachmentResources = new Map<string, IamRolePolicyAttachment>();
  private policiesExclusive?: IamRolePoliciesExclusive;
  private attachmentsExclusive?: IamRolePolicyAttachmentsExclusive;

  constructor(scope: Construct, id: string, props: BitbucketPipelinesRoleProps) {
    // 1. validate
    validateRole(props, `BitbucketPipelinesRole "${id}"`);

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
    this.spec = props;
    // The provider ARN may be a reference (a data source, a variable): the guardrails take it as this workspace's provider.
    declareBitbucketProvider(this, props.oidcProvider.arn);
    this.sync();

    if (props.adopt === true) {
      // Only what the role has today is imported: its own policies, which come first. What grants add is created.
      const ids = adoptionImportIds(props.roleName, Object.keys(inlinePolicies(props)), props.managedPolicyArns ?? []);
      this.importFrom(ids.role);
      Object.keys(inlinePolicies(props)).forEach((name, i) => this.inlineResources.get(name)?.importFrom(ids.inlinePolicies[i]));
      (props.managedPolicyArns ?? []).forEach((arn, i) => this.attachmentResources.get(arn)?.importFrom(ids.attachments[i]));
      this.policiesExclusive?.importFrom(ids.role);
      this.attachmentsExclusive?.importFrom(ids.role);
    }
    // Named opt-ins acknowledge their findings: a warning at every synth, never silently ok.
    // anyRepositoryInWorkspace: the unanchored `sub` (BBO-T002); grants.terraformPlan.managedPolicy: the account-wide policy (BBO-P003).
    const acknowledgements = [...(props.acknowledge ?? [])];
    if (props.anyRepositoryInWorkspace === true) acknowledgements.push({ rule: "BBO-T002", reason: "anyRepositoryInWorkspace: true (explicit opt-in to every repository of the workspace)" });
    acknowledgements.push(...grantOptIns(props.grants));
    if (acknowledgements.length > 0) acknowledge(this, acknowledgements);
    if (props.anyRepositoryInWorkspace === true) {
      Annotations.of(this).addWarning(
        `Role "${props.roleName}" trusts EVERY repository of workspace "${props.oidcProvider.workspaceSlug}" (anyRepositoryInWorkspace: true), including pull-request pipelines. Name the repositories instead unless this role can do nothing sensitive.`,
      );
    }
    sealed.add(this);
  }

  /** The inline policies by name, in IAM's JSON shape (the role's own, then one `grant-<kind>` per grant), everything added included. */
  get policies(): Readonly<Record<string, IamPolicyDocument>> {
    return this.composed.policies;
  }

  /** The identity provider the role trusts. */
  get oidcProvider(): IBitbucketOidcProvider {
    return this.spec.oidcProvider;
  }

  /** True when every repository of the workspace may assume the role (the explicit opt-in). */
  get anyRepositoryInWorkspace(): boolean {
    return this.spec.anyRepositoryInWorkspace === true;
  }

  /** The `aws:SourceIp` ranges the trust policy requires, as the props give them; empty: any address. */
  get sourceIps(): readonly string[] {
    return [...(this.spec.sourceIps ?? [])];
  }

  /** The grants: those of the props merged with those added by {@link addGrants}. */
  get grants(): Grants {
    return this.spec.grants ?? {};
  }

  /** Every managed policy attached: the role's own (props, then {@link addManagedPolicy}), then those its grants attach (a visible opt-in). */
  get attachedPolicyArns(): readonly string[] {
    return [...this.composed.managedPolicyArns];
  }

  /**
   * Adds a statement to the role's inline policy "permissions" (as `statements` in the props do),
   * checked the same way: a literal resource must be an ARN, a Terraform reference such as
   * `` `${bucket.arn}/*` `` is taken as it is. Throws ValidationError on a bad statement or when the
   * inline policies would outgrow IAM's quota.
   * @returns true: the statement was added (aws-cdk's shape)
   * @example role.addToPolicy({ actions: ["s3:PutObject"], resources: [`${bucket.arn}/*`] })
   */
  addToPolicy(statement: PolicyStatementProps): boolean {
    this.grow("addToPolicy", { ...this.spec, statements: [...(this.spec.statements ?? []), statement] });
    return true;
  }

  /**
   * Attaches a managed policy (a literal policy ARN or a Terraform reference such as `policy.arn`),
   * checked as `managedPolicyArns` in the props, the managed-policy quota included. Attaching one
   * that is attached already does nothing.
   * @example role.addManagedPolicy("arn:aws:iam::aws:policy/ReadOnlyAccess")
   */
  addManagedPolicy(policyArn: string): void {
    const own = this.spec.managedPolicyArns ?? [];
    if (own.some((arn) => this.arnKey(arn) === this.arnKey(policyArn))) return;
    this.grow("addManagedPolicy", { ...this.spec, managedPolicyArns: [...own, policyArn] });
  }

  /**
   * Adds grants, in the same shape as the props' `grants` (one method for every kind): each kind
   * writes its inline policy `grant-<kind>`, composed with everything else without duplicates.
   * `statements` are appended to those given before; any other kind may be given once per role
   * (merge its options into one grant). Checked as the props are; throws ValidationError.
   * @example role.addGrants({ ecrPush: { repositories: ["web-app"] }, terraformState: { level: "plan", bucket: stateBucket.bucket, key: "app.tfstate" } })
   */
  addGrants(grants: Grants): void {
    const before = this.spec.grants ?? {};
    const list = new ProblemList();
    for (const kind of Object.keys(grants) as GrantKind[]) {
      if (kind !== "statements" && grants[kind] !== undefined && before[kind] !== undefined) {
        list.add(joinPath("grants", kind), grants[kind], `the role has a ${kind} grant already; give its options in one grant`);
      }
    }
    throwIfProblems(`BitbucketPipelinesRole "${this.node.id}".addGrants`, list);
    const statements = [...(before.statements ?? []), ...(grants.statements ?? [])];
    const merged: Grants = { ...before, ...grants, ...(statements.length > 0 ? { statements } : {}) };
    this.grow("addGrants", { ...this.spec, grants: merged });
    const optIns = grantOptIns(grants);
    if (optIns.length > 0) acknowledge(this, optIns);
  }

  /** Checks the role as it would be with an addition (the same checks as the props), then takes it. */
  private grow(method: string, next: BitbucketPipelinesRoleProps): void {
    validateRole(next, `BitbucketPipelinesRole "${this.node.id}".${method}`);
    this.spec = next;
    this.sync();
  }

  /**
   * Makes the resources match the spec: one `aws_iam_role_policy` per inline policy, one attachment
   * per managed policy, and the two exclusive resources listing all of them. Called at construction
   * and after each addition, so that what synth writes is everything added.
   */
  private sync(): void {
    const props = this.spec;
    const knownPartition = partitionOf(props)?.partition;
    const policies: Record<string, IamPolicyDocument> = Object.create(null) as Record<string, IamPolicyDocument>;
    for (const [name, statements] of Object.entries(inlinePolicies(props))) {
      policies[name] = policyDocument(statements.map(toIamStatement));
    }
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
      const dataSource = <T>(id: string, make: () => T): T => (this.node.tryFindChild(id) as T | undefined) ?? make();
      const accountId = needsAccount ? dataSource("caller", () => new DataAwsCallerIdentity(this, "caller", { provider: props.provider })).accountId : (givenAccount ?? PLACEHOLDER_ACCOUNT);
      const partition = needsPartition ? dataSource("partition", () => new DataAwsPartition(this, "partition", { provider: props.provider })).partition : (knownPartition ?? UNKNOWN_PARTITION);
      composed = grantPolicies(grants, grantContext(props, accountId, partition), props);
    }
    for (const [name, statements] of Object.entries(composed.policies)) policies[name] = policyDocument([...statements]);
    // Each policy once, a reference counted by what it resolves to (`policy.arn` is a new token at each read).
    const managedPolicyArns: string[] = [];
    const seen = new Set<string>();
    for (const arn of [...(props.managedPolicyArns ?? []), ...composed.managedPolicyArns]) {
      const key = this.arnKey(arn);
      if (!seen.has(key)) managedPolicyArns.push(arn);
      seen.add(key);
    }
    this.composed = { policies, managedPolicyArns };

    // Inline policies: new ones created, changed ones rewritten, vanished ones (a grant's statements all held elsewhere now) removed.
    for (const [name, document] of Object.entries(policies)) {
      const existing = this.inlineResources.get(name);
      if (existing) existing.policy = renderPolicy(document);
      else this.inlineResources.set(name, new IamRolePolicy(this, `policy-${name}`, { role: this.name, name, policy: renderPolicy(document), provider: props.provider }));
    }
    for (const name of [...this.inlineResources.keys()].filter((n) => !(n in policies))) {
      this.node.tryRemoveChild(this.inlineResources.get(name)!.node.id);
      this.inlineResources.delete(name);
    }
    const inline = [...this.inlineResources.values()];
    if (!this.policiesExclusive) {
      this.policiesExclusive = new IamRolePoliciesExclusive(this, "policies-exclusive", {
        roleName: this.name,
        policyNames: Object.keys(policies),
        dependsOn: inline.length > 0 ? inline : undefined,
        provider: props.provider,
      });
    } else {
      this.policiesExclusive.policyNames = Object.keys(policies);
      this.policiesExclusive.dependsOn = inline.length > 0 ? inline.map(addressOf) : undefined;
    }

    // Managed policies only grow (own ones never leave, and a grant kind is given once).
    for (const arn of managedPolicyArns.filter((a) => !this.attachmentResources.has(a))) {
      this.attachmentResources.set(arn, new IamRolePolicyAttachment(this, this.attachmentId(arn), { role: this.name, policyArn: arn, provider: props.provider }));
    }
    const attachments = [...this.attachmentResources.values()];
    if (!this.attachmentsExclusive) {
      this.attachmentsExclusive = new IamRolePolicyAttachmentsExclusive(this, "attachments-exclusive", {
        roleName: this.name,
        policyArns: [...managedPolicyArns],
        dependsOn: attachments.length > 0 ? attachments : undefined,
        provider: props.provider,
      });
    } else {
      this.attachmentsExclusive.policyArns = [...managedPolicyArns];
      this.attachmentsExclusive.dependsOn = attachments.length > 0 ? attachments.map(addressOf) : undefined;
    }
  }

  /** What an ARN is compared by: itself, or for a reference the Terraform expression it resolves to. */
  private arnKey(arn: string): string {
    return isToken(arn) ? String(Tokenization.resolve(arn, { scope: this, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) })) : arn;
  }

  /**
   * A readable construct id for an attachment: the policy's name (stable addresses), or its whole ARN
   * when another policy of that name (in another account or path) has the name's id already, or
   * `ref-<n>` for a Terraform reference.
   */
  private attachmentId(arn: string): string {
    if (!isToken(arn)) {
      const byName = `attachment-${policyNameOf(arn)}`;
      return this.node.tryFindChild(byName) === undefined ? byName : `attachment-${arn.replace(/^arn:/, "")}`;
    }
    return `attachment-ref-${[...this.attachmentResources.keys()].filter(isToken).length + 1}`;
  }

  // The role's `name` and `arn` references, made once: each read of the generated getters makes a new
  // token and captures a stack trace, which with every policy and output reading them cost 10% of synth.
  private nameReference?: string;
  private arnReference?: string;
  /** The role's ARN as a Terraform reference (`${aws_iam_role.<id>.arn}`); the same token at each read. */
  override get arn(): string {
    return (this.arnReference ??= super.arn);
  }

  // The inherited setters of the trust and the policies would bypass every check and leave
  // trustPolicy, policies and the access model stale: once the role is built, they throw.
  /** The trust policy's JSON. Read-only once built: the trust comes from the props (repositories, audiences, sourceIps). */
  override get assumeRolePolicy(): string {
    return super.assumeRolePolicy;
  }
  /** Refused once the role is built (throws ValidationError): it would bypass the role's checks. */
  override set assumeRolePolicy(value: string) {
    refuse(this, "assumeRolePolicy", "the trust policy comes from the props (repositories, environments, audiences, sourceIps); make another BitbucketPipelinesRole for another trust");
    super.assumeRolePolicy = value;
  }
  /** Managed policies on the role resource itself. Read-only once built: use {@link addManagedPolicy}. */
  override get managedPolicyArns(): string[] {
    return super.managedPolicyArns;
  }
  /** Refused once the role is built (throws ValidationError): it would bypass the role's checks. */
  override set managedPolicyArns(value: string[]) {
    refuse(this, "managedPolicyArns", "use role.addManagedPolicy(arn)");
    super.managedPolicyArns = value;
  }
  /** The permissions boundary. Read-only once built: give `permissionsBoundary` in the props. */
  override get permissionsBoundary(): string {
    return super.permissionsBoundary;
  }
  /** Refused once the role is built (throws ValidationError): it would bypass the role's checks. */
  override set permissionsBoundary(value: string) {
    refuse(this, "permissionsBoundary", "give permissionsBoundary in the props, where it is checked");
    super.permissionsBoundary = value;
  }
  /**
   * The role name as a Terraform reference (`${aws_iam_role.<id>.name}`), the same token at each read.
   * Read-only once built: grants, outputs and the access model use it.
   */
  override get name(): string {
    return (this.nameReference ??= super.name);
  }
  /** Refused once the role is built (throws ValidationError): it would bypass the role's checks. */
  override set name(value: string) {
    refuse(this, "name", "give roleName in the props");
    super.name = value;
  }
  /** Refused: inline policies are `aws_iam_role_policy` resources the role owns; use {@link addToPolicy} or {@link addGrants}. */
  override putInlinePolicy(value: Parameters<IamRole["putInlinePolicy"]>[0]): void {
    refuse(this, "putInlinePolicy", "use role.addToPolicy(statement) or role.addGrants({...})");
    super.putInlinePolicy(value);
  }
  /** Refused once built: managed policies are attachments the role owns exclusively; see {@link addManagedPolicy}. */
  override resetManagedPolicyArns(): void {
    refuse(this, "resetManagedPolicyArns", "managed policies are attachments the role owns exclusively");
    super.resetManagedPolicyArns();
  }
  /** Refused once built: give `permissionsBoundary` in the props. */
  override resetPermissionsBoundary(): void {
    refuse(this, "resetPermissionsBoundary", "give permissionsBoundary in the props, or leave it out");
    super.resetPermissionsBoundary();
  }
  /** Refused once built: the role name is given in the props. */
  override resetName(): void {
    refuse(this, "resetName", "give roleName in the props");
    super.resetName();
  }
  /** Refused: a name prefix would make the name unknown at synth. */
  override set namePrefix(value: string) {
    refuse(this, "namePrefix", "give roleName in the props");
    super.namePrefix = value;
  }
  /** The name prefix (never set by this role). */
  override get namePrefix(): string {
    return super.namePrefix;
  }
  /** The description. Read-only once built: give `description` in the props, where it is checked. */
  override get description(): string {
    return super.description;
  }
  /** Refused once the role is built (throws ValidationError): it would bypass the role's checks. */
  override set description(value: string) {
    refuse(this, "description", "give description in the props");
    super.description = value;
  }
  /** The path. Read-only once built: grants and the access model use it. */
  override get path(): string {
    return super.path;
  }
  /** Refused once the role is built (throws ValidationError): it would bypass the role's checks. */
  override set path(value: string) {
    refuse(this, "path", "give path in the props");
    super.path = value;
  }
  /** The maximum session duration. Read-only once built: give `maxSessionDuration` in the props. */
  override get maxSessionDuration(): number {
    return super.maxSessionDuration;
  }
  /** Refused once the role is built (throws ValidationError): it would bypass the role's checks. */
  override set maxSessionDuration(value: number) {
    refuse(this, "maxSessionDuration", "give maxSessionDuration in the props");
    super.maxSessionDuration = value;
  }
  /** The tags. Settable (a tagging Aspect may add some), checked against IAM's tag rules as the props' `tags` are. */
  override get tags(): Record<string, string> {
    return super.tags;
  }
  /** Sets the tags after IAM's tag rules are checked (throws ValidationError on a bad tag). */
  override set tags(value: Record<string, string>) {
    if (sealed.has(this) && !isToken(value)) {
      const list = new ProblemList();
      checkTags(value, "tags", list);
      throwIfProblems(`BitbucketPipelinesRole "${this.node.id}"`, list);
    }
    super.tags = value;
  }
  /** Refused once built: give `description` in the props. */
  override resetDescription(): void {
    refuse(this, "resetDescription", "give description in the props");
    super.resetDescription();
  }
  /** Refused once built: give `path` in the props. */
  override resetPath(): void {
    refuse(this, "resetPath", "give path in the props");
    super.resetPath();
  }
  /** Refused once built: give `maxSessionDuration` in the props. */
  override resetMaxSessionDuration(): void {
    refuse(this, "resetMaxSessionDuration", "give maxSessionDuration in the props");
    super.resetMaxSessionDuration();
  }
}

/** Roles whose construction is over: their checked setters refuse from then on. */
const sealed = new WeakSet<BitbucketPipelinesRole>();

/** Throws when a setter that would bypass the role's checks is called on a built role. */
function refuse(role: BitbucketPipelinesRole, member: string, instead: string): void {
  if (!sealed.has(role)) return;
  throw new ValidationError(`BitbucketPipelinesRole "${role.node.id}"`, [
    { path: member, value: undefined, message: `cannot be changed after construction: it would bypass the role's checks and leave its trust policy, policies and access model stale; ${instead}` },
  ]);
}

/** A resource's address for `depends_on`, e.g. `aws_iam_role_policy.deploy_policy-permissions_1A2B3C`. */
function addressOf(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/** What a role without grants gets from them: nothing. */
const NO_GRANTS: ComposedGrants = { policies: {}, kinds: {}, managedPolicyArns: [] };

/** Stands in for a partition read at plan time while grants are composed (replaced before anything is written). */
const UNKNOWN_PARTITION = "partition-read-at-plan-time";

/** The last segment of a policy ARN, for a readable construct id. */
function policyNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}
