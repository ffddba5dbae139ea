/**
 * The access model of any stack, read from its constructs after they are complete (at synth): the
 * BitbucketPipelinesRoles in it and the one identity provider they trust. Works for our stack and for
 * a host project's, the same way.
 */
import { DefaultTokenResolver, StringConcat, TerraformOutput, TerraformStack, Token, Tokenization } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { IConstruct } from "constructs";
import { BitbucketOidcProvider, IBitbucketOidcProvider } from "../constructs/bitbucket-oidc-provider";
import { BitbucketPipelinesRole } from "../constructs/bitbucket-pipelines-role";
import { acknowledgementsOf } from "../guardrails/acknowledgements";
import { providerArn } from "../bitbucket/bitbucket";
import { partitionOfArn, partitionOfRegion } from "../iam/partition";
import { terraformId } from "../core/terraform-id";
import { canonicalCidr } from "../constructs/role-rules";
import { unescapeConfigText } from "../iam/terraform-text";
import { ACCESS_MODEL_VERSION, AccessModel, AccessRole } from "./access-model";

/** What the constructs do not know and the model needs (each has a default read from the stack). */
export interface AccessModelContext {
  /** The workspace's UUID and display name. @default uuid: from the provider's default audience */
  readonly workspace?: { readonly uuid?: string; readonly name?: string };
  /** The region. @default the stack's default AWS provider's region, when literal */
  readonly region?: string;
  /** The account id, for literal ARNs. @default none: ARNs stay Terraform references */
  readonly accountId?: string;
  /** The provider's ARN, when it is created here but its ARN is known (adopted). @default built from accountId */
  readonly providerArn?: string;
}

/** The roles of a stack and the providers they trust, or why no model can be written. */
export interface StackAccess {
  readonly roles: readonly BitbucketPipelinesRole[];
  readonly providers: readonly IBitbucketOidcProvider[];
}

/** The roles of `stack` (construction order) and the distinct providers they trust (or, without roles, the stack's providers). */
export function stackAccess(stack: TerraformStack): StackAccess {
  const nodes = stack.node.findAll().filter((n) => TerraformStack.of(n) === stack);
  const roles = nodes.filter((n): n is BitbucketPipelinesRole => n instanceof BitbucketPipelinesRole);
  const providers: IBitbucketOidcProvider[] = [];
  // The same provider object, or (providers known by ARN) the same literal ARN: a created provider's `arn` is a new token at each read.
  const seen = new Set<unknown>();
  const candidates = roles.length > 0 ? roles.map((r) => r.oidcProvider) : nodes.filter((n): n is BitbucketOidcProvider => n instanceof BitbucketOidcProvider);
  for (const p of candidates) {
    const key = p instanceof BitbucketOidcProvider ? p : p.arn;
    if (seen.has(key)) continue;
    seen.add(key);
    providers.push(p);
  }
  return { roles, providers };
}

/** Problems that keep a model from being written, one line each (empty: fine). */
export function accessModelProblems(stack: TerraformStack, context: AccessModelContext): string[] {
  const { roles, providers } = stackAccess(stack);
  const problems: string[] = [];
  if (roles.length === 0 && providers.length === 0) {
    problems.push(`stack "${stack.node.id}" has no BitbucketPipelinesRole and no BitbucketOidcProvider: there is no access model to write; remove the BitbucketOidcAccessModel`);
  }
  if (providers.length > 1) {
    const slugs = providers.map((p) => p.workspaceSlug).join(", ");
    problems.push(`stack "${stack.node.id}" has roles trusting ${providers.length} identity providers (workspaces ${slugs}): an access model describes one; put each workspace's roles in a stack of its own`);
  }
  if (providers.length === 1 && workspaceUuidOf(providers[0], context) === undefined) {
    problems.push(`stack "${stack.node.id}": the workspace UUID of "${providers[0].workspaceSlug}" is not known (custom audiences): pass workspace: { uuid: "{...}" } to BitbucketOidcAccessModel`);
  }
  if (regionOf(stack, context) === undefined) {
    problems.push(`stack "${stack.node.id}": the region is not known (no default AWS provider with a literal region): pass region to BitbucketOidcAccessModel`);
  }
  return problems;
}

const DEFAULT_AUDIENCE = /^ari:cloud:bitbucket::workspace\/([0-9a-f-]{36})$/i;

function workspaceUuidOf(provider: IBitbucketOidcProvider, context: AccessModelContext): string | undefined {
  if (context.workspace?.uuid !== undefined) return context.workspace.uuid;
  const bare = provider.audiences.map((a) => DEFAULT_AUDIENCE.exec(a)?.[1]).find((u) => u !== undefined);
  return bare === undefined ? undefined : `{${bare.toLowerCase()}}`;
}

function regionOf(stack: TerraformStack, context: AccessModelContext): string | undefined {
  if (context.region !== undefined) return context.region;
  const aws = stack.node.findAll().find((n): n is AwsProvider => n instanceof AwsProvider && n.aliasInput === undefined && TerraformStack.of(n) === stack);
  const region = aws?.regionInput;
  return typeof region === "string" && !Token.isUnresolved(region) ? region : undefined;
}

/**
 * The stack's role-ARN outputs: for each role address (`aws_iam_role.<id>`), the first output whose
 * value is exactly `${<address>.arn}`. One walk of the stack, so that finding every role's output stays
 * linear in the number of roles.
 */
export function arnOutputsOf(stack: TerraformStack, resolve: <T>(value: T) => T): Map<string, TerraformOutput> {
  const byAddress = new Map<string, TerraformOutput>();
  for (const n of stack.node.findAll()) {
    if (!(n instanceof TerraformOutput) || TerraformStack.of(n) !== stack) continue;
    const value: unknown = resolve(n.value);
    const address = typeof value === "string" ? ROLE_ARN_REFERENCE.exec(value)?.[1] : undefined;
    if (address !== undefined && !byAddress.has(address)) byAddress.set(address, n);
  }
  return byAddress;
}

const ROLE_ARN_REFERENCE = /^\$\{(aws_iam_role\.[^.}]+)\.arn\}$/;

/** The Terraform address of a role (`aws_iam_role.<id>`), as {@link arnOutputsOf} keys it. */
export function roleAddress(role: BitbucketPipelinesRole): string {
  return `aws_iam_role.${role.friendlyUniqueId}`;
}

/**
 * A resolver of tokens as Terraform writes them (`${aws_s3_bucket.x.arn}`), into plain JSON data.
 * It walks plain data itself and hands cdktf only the parts that hold a token (a string, number or
 * list token, a token in a key, an object of a class): cdktf's resolver walks every string of a policy
 * with a context of its own, which made this a tenth of a large synth.
 */
export function terraformText(scope: IConstruct): <T>(value: T) => T {
  const cdktf = (value: unknown): unknown => {
    const json = JSON.stringify(Tokenization.resolve(value, { scope, resolver: new DefaultTokenResolver(new StringConcat()) }));
    return json === undefined ? undefined : JSON.parse(json);
  };
  // A string token is a reference: the same text each time it is read (the provider's ARN is in every trust policy).
  const strings = new Map<string, unknown>();
  const text = (value: string): unknown => {
    if (!strings.has(value)) strings.set(value, cdktf(value));
    return strings.get(value);
  };
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return Token.isUnresolved(value) ? text(value) : value;
    if (typeof value === "number") return Token.isUnresolved(value) ? cdktf(value) : value;
    if (Array.isArray(value)) return Token.isUnresolved(value) ? cdktf(value) : value.map((v) => (v === undefined ? null : walk(v)));
    if (value !== null && typeof value === "object") {
      const proto: unknown = Object.getPrototypeOf(value);
      if ((proto !== Object.prototype && proto !== null) || Object.keys(value).some((k) => Token.isUnresolved(k))) return cdktf(value);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) if (v !== undefined && typeof v !== "function") out[k] = walk(v);
      return out;
    }
    return value;
  };
  return <T>(value: T): T => (value === undefined ? value : (walk(value) as T));
}

/** Replaces `from` by `to` in every string of a plain JSON value. */
function replacing(from: string, to: string): <T>(value: T) => T {
  return <T>(value: T): T => {
    const json = JSON.stringify(value);
    return json === undefined ? value : (JSON.parse(json.split(from).join(to)) as T);
  };
}

/** The name of the output `BitbucketOidcAccessModel` adds for a role without one. */
export function roleArnOutputName(roleName: string): string {
  return `role_arn_${terraformId(roleName)}`;
}

/**
 * Builds the access model of `stack` from its constructs. Call it after the constructs are complete
 * (at synth) and only when {@link accessModelProblems} found none.
 */
export function accessModelOf(stack: TerraformStack, context: AccessModelContext = {}): AccessModel {
  const { roles, providers } = stackAccess(stack);
  const oidcProvider = providers[0];
  const region = regionOf(stack, context) as string;
  const accountId = context.accountId;
  const partition = partitionOfRegion(region) ?? (isLiteral(oidcProvider.arn) ? partitionOfArn(oidcProvider.arn) : undefined) ?? "aws";
  const created = oidcProvider instanceof BitbucketOidcProvider;
  const literalProviderArn = created
    ? (context.providerArn ?? (accountId ? providerArn(accountId, oidcProvider.workspaceSlug, partition) : undefined))
    : oidcProvider.arn;
  const providerAddress = created ? `aws_iam_openid_connect_provider.${oidcProvider.friendlyUniqueId}` : undefined;
  // Policies hold tokens (the provider's ARN, the caller's account, the host's resources): written as
  // Terraform writes them, with the provider's reference replaced by its ARN where known.
  const plain = terraformText(stack);
  const withProviderArn = literalProviderArn && providerAddress ? replacing(`\${${providerAddress}.arn}`, literalProviderArn) : <T>(value: T): T => value;
  const arnOutputs = arnOutputsOf(stack, plain);
  const accessRoles: AccessRole[] = roles.map((role) => {
    const name = role.nameInput as string;
    const path = role.pathInput ?? "/";
    // One resolution per role (each costs a walk and a context); the provider's reference is replaced in the policies only.
    const text = plain({
      managedPolicyArns: [...role.attachedPolicyArns],
      permissionsBoundary: role.permissionsBoundaryInput,
      grants: { ...role.grants },
      policies: { inline: role.policies, trust: role.trustPolicy },
    });
    const policies = withProviderArn(text.policies);
    // The constructs hold config text escaped for Terraform (`$${aws:username}`); the model holds it as written.
    const written = unescapeConfigText({
      description: role.roleDescription,
      managedPolicyArns: text.managedPolicyArns,
      inlinePolicies: policies.inline,
      audiences: role.audiences,
      repositories: role.repositories,
      trustPolicy: policies.trust,
      grants: text.grants,
    });
    return {
      name,
      address: roleAddress(role),
      arnOutput: arnOutputs.get(roleAddress(role))?.friendlyUniqueId ?? roleArnOutputName(name),
      arn: accountId ? `arn:${partition}:iam::${accountId}:role${path}${name}` : undefined,
      description: written.description,
      path,
      maxSessionDuration: role.maxSessionDurationInput ?? 3600,
      permissionsBoundary: text.permissionsBoundary,
      managedPolicyArns: written.managedPolicyArns,
      inlinePolicies: written.inlinePolicies,
      trust: {
        audiences: written.audiences,
        subjects: role.subjects,
        repositories: written.repositories,
        anyRepositoryInWorkspace: role.anyRepositoryInWorkspace,
        sourceIps: role.sourceIps.map(canonicalCidr),
      },
      trustPolicy: written.trustPolicy,
      grants: written.grants,
      acknowledgements: acknowledgementsOf(role),
    };
  });
  const workspace = { slug: oidcProvider.workspaceSlug, uuid: workspaceUuidOf(oidcProvider, context) as string, name: context.workspace?.name };
  return {
    version: ACCESS_MODEL_VERSION,
    stack: stack.node.id,
    workspace: workspace.name === undefined ? { slug: workspace.slug, uuid: workspace.uuid } : workspace,
    aws: { region, partition, accountId },
    provider: {
      arn: literalProviderArn,
      address: providerAddress,
      issuer: oidcProvider.issuerUrl,
      conditionKeyPrefix: oidcProvider.conditionKeyPrefix,
      audiences: unescapeConfigText([...oidcProvider.audiences]),
    },
    roles: accessRoles,
  };
}

function isLiteral(value: string): boolean {
  return !Token.isUnresolved(value);
}
