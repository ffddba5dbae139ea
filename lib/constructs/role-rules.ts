import { isIP, SocketAddress } from "node:net";
import type { Grants } from "../grants/grant-types";
import type { Acknowledgement } from "../guardrails/acknowledgements";
import { IAM_POLICY_ARN_EXPECTED, IAM_POLICY_ARN_PATTERN } from "../iam/arn";
import { ANY_REPOSITORY_SUBJECT, subjectPattern } from "../bitbucket/bitbucket";
import { IAM_LIMITS, iamPolicySize } from "../iam/iam-limits";
import { PolicyStatementProps, policyDocument, renderPolicy, toIamStatement } from "../iam/policy-document";
import { joinPath, ProblemList } from "../core/problems";
import { isToken, trustTokenMessage } from "../core/tokens";
import { checkStatements, inlinePolicies } from "../iam/inline-policies";
import { ResolvedQuotas } from "../iam/quotas";
import { trustPolicySize } from "../iam/trust-policy";
import { normalizeUuid, UUID_EXPECTED } from "../bitbucket/uuid";

/**
 * A deployment environment of a repository, as set under Repository settings -> Deployments.
 * @example { uuid: "{7d2e...}", name: "production" }
 */
export interface EnvironmentTrust {
  /** The environment's UUID (Repository settings -> Pipelines -> OpenID Connect), braces optional. */
  readonly uuid: string;
  /** The deployment name, shown in reports and used as the step's `deployment:`. @default none */
  readonly name?: string;
}

/**
 * A repository whose pipeline steps may assume a role.
 * @example { uuid: "{3f2a...}", name: "my-service", environments: [{ uuid: "{7d2e...}", name: "production" }] }
 */
export interface RepositoryTrust {
  /** The repository's UUID, braces optional, any case. */
  readonly uuid: string;
  /** A readable name for reports. @default none */
  readonly name?: string;
  /**
   * Only steps bound to these deployment environments may assume the role.
   * @default none: every step of the repository, with or without an environment
   */
  readonly environments?: readonly EnvironmentTrust[];
}

/**
 * The fields of a role that config files and TypeScript share, checked by the same rules: who may
 * assume it, and what it may do. {@link BitbucketPipelinesRoleProps} and `RoleConfig` extend it.
 * @example { repositories: [{ uuid: "{3f2a...}", name: "my-service" }], grants: { ecrPush: { repositories: ["my-service"] } } }
 */
export interface RoleFields {
  /**
   * The repositories (and, per repository, the deployment environments) whose steps may assume the role.
   * @default none: required unless `anyRepositoryInWorkspace` is true
   */
  readonly repositories?: readonly RepositoryTrust[];
  /**
   * Lets every repository of the workspace assume the role, including pull-request pipelines. Only for
   * roles that grant nothing sensitive; reported as a warning at every synth.
   * @default false
   */
  readonly anyRepositoryInWorkspace?: boolean;
  /** Accepted `aud` values, a subset of the provider's. @default all of the provider's audiences */
  readonly audiences?: readonly string[];
  /**
   * Source ranges for `aws:SourceIp`. Only steps with fixed egress (`atlassian-ip-ranges: true`, or
   * self-hosted runners) have stable addresses.
   * @default none: any address
   * @example ["34.199.54.113/32"]
   */
  readonly sourceIps?: readonly string[];
  /** The role's description. @default "Assumed by Bitbucket Pipelines of <workspace> through OIDC" */
  readonly description?: string;
  /** The role's path. @default "/" @example "/bitbucket/" */
  readonly path?: string;
  /** Maximum session duration, seconds (3600-43200). @default 3600 */
  readonly maxSessionDuration?: number;
  /** ARN of a permissions boundary policy. @default none @example "arn:aws:iam::123456789012:policy/pipeline-boundary" */
  readonly permissionsBoundary?: string;
  /** Managed policies to attach. @default none @example ["arn:aws:iam::aws:policy/ReadOnlyAccess"] */
  readonly managedPolicyArns?: readonly string[];
  /** Statements of the inline policy named "permissions". @default none */
  readonly statements?: readonly PolicyStatementProps[];
  /** More inline policies, by name. @default none */
  readonly inlinePolicies?: Readonly<Record<string, readonly PolicyStatementProps[]>>;
  /** Tags on the role. @default none @example { team: "platform" } */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Permission grants for the jobs the role's pipelines run, each proven minimal: one inline policy
   * `grant-<kind>` per grant, composed without duplicate statements.
   * @default none
   * @example { ecrPush: { repositories: ["mydockerimage"] }, terraformState: { level: "plan", bucket: "acme-terraform-state", key: "web-app/terraform.tfstate" } }
   */
  readonly grants?: Grants;
  /**
   * Adopts a role of this name that exists already (made by hand): the synthesized JSON gets
   * Terraform `import` blocks (Terraform >= 1.5) for the role (id: the role name), each inline
   * policy (`role:policy`), each managed-policy attachment (`role/arn`) and both exclusive-policy
   * resources (the role name), so the next plan shows them as "will be imported" and the trust
   * policy's narrowing as an update, never a replacement. List only the inline policies and managed
   * policies the role has today (`bitbucket-oidc migrate` writes exactly those): importing one that
   * does not exist fails the plan. Policies that grants add are created. Policies on the role that
   * are not listed are removed by the plan, as for every role. Remove the flag once the import has
   * been applied.
   * @default false: the role is created
   * @example true
   */
  readonly adopt?: boolean;
  /**
   * Guardrail findings accepted for this role, each with a written reason (shown at every synth and in
   * access-model.json). An unknown built-in (`BBO-`) rule id or an empty reason is an error. In code,
   * a custom rule's id (outside `BBO-`) is accepted too; synth fails when no guardrails rule checking
   * the role has that id. A config file names built-in rules only.
   * @default none
   * @example [{ rule: "BBO-P002", reason: "break-glass role of the incident pipeline" }]
   */
  readonly acknowledge?: readonly Acknowledgement[];
}

/** The role fields the shared rules check, with the role's name. */
export interface RoleSpec extends RoleFields {
  readonly roleName: string;
}

/** What a role is checked against: its provider and the account's quotas. */
export interface RoleContext {
  readonly conditionKeyPrefix: string;
  readonly providerAudiences: readonly string[];
  readonly quotas: ResolvedQuotas;
  /** How the caller spells the role-name field (`name` in config files, `roleName` in TypeScript). */
  readonly nameField?: string;
  /** The partition of the provider ARN, for the trust policy's size. @default the longest supported partition */
  readonly partition?: string;
}

const INLINE_POLICY_NAME_PATTERN = /^[\w+=,.@-]{1,128}$/;

/** The `sub` patterns a role trusts, from normalized repositories (or the explicit workspace-wide opt-in). */
export function roleSubjects(spec: Pick<RoleSpec, "repositories" | "anyRepositoryInWorkspace">): string[] {
  if (spec.anyRepositoryInWorkspace === true) return [ANY_REPOSITORY_SUBJECT];
  const out: string[] = [];
  for (const repo of spec.repositories ?? []) {
    const repoUuid = normalizeUuid(repo.uuid) ?? repo.uuid;
    if (repo.environments && repo.environments.length > 0) {
      for (const env of repo.environments) out.push(subjectPattern(repoUuid, normalizeUuid(env.uuid) ?? env.uuid));
    } else {
      out.push(subjectPattern(repoUuid));
    }
  }
  return out;
}

/** Normalizes the UUIDs of a role's repositories and environments (braces, lower case). */
export function normalizeRepositories(repositories: readonly RepositoryTrust[] | undefined): RepositoryTrust[] {
  return (repositories ?? []).map((repo) => ({
    ...repo,
    uuid: normalizeUuid(repo.uuid) ?? repo.uuid,
    ...(repo.environments ? { environments: repo.environments.map((env) => ({ ...env, uuid: normalizeUuid(env.uuid) ?? env.uuid })) } : {}),
  }));
}

/** Checks one role against IAM's rules and quotas, and Bitbucket's token format. */
export function checkRole(spec: RoleSpec, ctx: RoleContext, path: string, list: ProblemList): void {
  const at = (key: string | number): string => joinPath(path, key);
  const nameField = ctx.nameField ?? "roleName";
  if (typeof spec.roleName !== "string" || !IAM_LIMITS.roleNamePattern.test(spec.roleName)) {
    list.add(at(nameField), spec.roleName, "expected an IAM role name: 1-64 characters of letters, digits and _+=,.@-");
  }
  if (spec.path !== undefined && !(IAM_LIMITS.rolePathPattern.test(spec.path) && spec.path.length <= IAM_LIMITS.rolePathMaxLength)) {
    list.add(at("path"), spec.path, 'expected "/" or a path that starts and ends with "/", e.g. "/bitbucket/", at most 512 characters');
  }
  if (spec.description !== undefined && !(spec.description.length <= IAM_LIMITS.roleDescriptionMaxLength && IAM_LIMITS.roleDescriptionPattern.test(spec.description))) {
    list.add(
      at("description"),
      spec.description,
      `expected at most ${IAM_LIMITS.roleDescriptionMaxLength} characters of printable ASCII or Latin-1 (IAM rejects others, such as an em dash "\u2014" or emoji, at apply)`,
    );
  }
  const duration = spec.maxSessionDuration;
  if (duration !== undefined && !(Number.isInteger(duration) && duration >= IAM_LIMITS.minSessionDuration && duration <= IAM_LIMITS.maxSessionDuration)) {
    list.add(at("maxSessionDuration"), duration, `expected whole seconds from ${IAM_LIMITS.minSessionDuration} (1 hour) to ${IAM_LIMITS.maxSessionDuration} (12 hours)`);
  }
  if (spec.permissionsBoundary !== undefined && !isToken(spec.permissionsBoundary) && !IAM_POLICY_ARN_PATTERN.test(spec.permissionsBoundary)) {
    list.add(at("permissionsBoundary"), spec.permissionsBoundary, `expected ${IAM_POLICY_ARN_EXPECTED}`);
  }
  checkManagedPolicies(spec, ctx, at("managedPolicyArns"), list);
  checkRepositories(spec, at, list);
  checkAudiences(spec, ctx, at("audiences"), list);
  (spec.sourceIps ?? []).forEach((cidr, i) => {
    if (isToken(cidr)) list.add(joinPath(at("sourceIps"), i), cidr, trustTokenMessage("address range"));
    else if (!isCidr(cidr)) list.add(joinPath(at("sourceIps"), i), cidr, 'expected an IPv4 or IPv6 address or CIDR range, e.g. "104.192.136.0/21"');
  });
  if (spec.sourceIps !== undefined && spec.sourceIps.length === 0) {
    list.add(at("sourceIps"), spec.sourceIps, "an empty list would allow no address; omit sourceIps to allow any address");
  }
  checkPolicies(spec, at, list);
  checkTags(spec.tags, at("tags"), list);
  const subjects = roleSubjects(spec);
  if (subjects.length > 0) {
    const size = trustPolicySize({
      providerArn: "",
      conditionKeyPrefix: ctx.conditionKeyPrefix,
      audiences: spec.audiences ?? ctx.providerAudiences,
      subjects,
      sourceIps: spec.sourceIps,
    }, ctx.partition);
    if (size > ctx.quotas.trustPolicySize) {
      list.add(
        at("repositories"),
        `${subjects.length} sub patterns`,
        `the trust policy would be ${size} characters, over the quota of ${ctx.quotas.trustPolicySize}; split the repositories over several roles, or raise the quota (up to ${IAM_LIMITS.trustPolicySizeMax}) and declare it under quotas.trustPolicySize`,
      );
    }
  }
}

function checkRepositories(spec: RoleSpec, at: (key: string | number) => string, list: ProblemList): void {
  const repos = spec.repositories ?? [];
  if (spec.anyRepositoryInWorkspace !== undefined && spec.anyRepositoryInWorkspace !== true && spec.anyRepositoryInWorkspace !== false) {
    list.add(at("anyRepositoryInWorkspace"), spec.anyRepositoryInWorkspace, "expected true or false");
  }
  if (spec.anyRepositoryInWorkspace === true) {
    if (repos.length > 0) {
      list.add(at("repositories"), repos.map((r) => r.uuid), "anyRepositoryInWorkspace: true already trusts every repository of the workspace; remove the repositories or the opt-in");
    }
    return;
  }
  if (repos.length === 0) {
    list.add(at("repositories"), spec.repositories, "expected at least one repository; to trust every repository of the workspace, say so with anyRepositoryInWorkspace: true");
  }
  const seen = new Map<string, number>();
  repos.forEach((repo, i) => {
    const repoPath = joinPath(at("repositories"), i);
    const uuid = normalizeUuid(String(repo.uuid ?? ""));
    if (isToken(repo.uuid)) {
      list.add(joinPath(repoPath, "uuid"), repo.uuid, trustTokenMessage("repository UUID"));
    } else if (!uuid) {
      list.add(joinPath(repoPath, "uuid"), repo.uuid, `expected ${UUID_EXPECTED}`);
    } else if (seen.has(uuid)) {
      list.add(joinPath(repoPath, "uuid"), repo.uuid, `the same repository is already listed at repositories[${seen.get(uuid)}]; list each repository once and give it all its environments there`);
    } else {
      seen.set(uuid, i);
    }
    if (repo.environments !== undefined && repo.environments.length === 0) {
      list.add(joinPath(repoPath, "environments"), repo.environments, "an empty list trusts no step; omit environments to trust every step of the repository");
    }
    const envSeen = new Set<string>();
    (repo.environments ?? []).forEach((env, j) => {
      const envPath = joinPath(joinPath(joinPath(repoPath, "environments"), j), "uuid");
      const envUuid = normalizeUuid(String(env.uuid ?? ""));
      if (isToken(env.uuid)) list.add(envPath, env.uuid, trustTokenMessage("environment UUID"));
      else if (!envUuid) list.add(envPath, env.uuid, `expected ${UUID_EXPECTED}`);
      else if (envSeen.has(envUuid)) list.add(envPath, env.uuid, "this environment is listed twice for the repository");
      else envSeen.add(envUuid);
    });
  });
}

function checkAudiences(spec: RoleSpec, ctx: RoleContext, path: string, list: ProblemList): void {
  if (spec.audiences === undefined) return;
  if (spec.audiences.length === 0) list.add(path, spec.audiences, "expected at least one audience; omit audiences to accept the provider's");
  spec.audiences.forEach((aud, i) => {
    if (isToken(aud)) {
      list.add(joinPath(path, i), aud, trustTokenMessage("audience"));
    } else if (!ctx.providerAudiences.includes(aud)) {
      list.add(joinPath(path, i), aud, `expected one of the provider's audiences (${ctx.providerAudiences.map((a) => JSON.stringify(a)).join(", ")}); STS rejects any other with "Incorrect token audience"`);
    }
  });
}

function checkManagedPolicies(spec: RoleSpec, ctx: RoleContext, path: string, list: ProblemList): void {
  const arns = spec.managedPolicyArns ?? [];
  const seen = new Set<string>();
  arns.forEach((arn, i) => {
    if (!isToken(arn) && !IAM_POLICY_ARN_PATTERN.test(arn)) list.add(joinPath(path, i), arn, `expected ${IAM_POLICY_ARN_EXPECTED}`);
    else if (seen.has(arn)) list.add(joinPath(path, i), arn, "this policy is already attached; list it once");
    seen.add(arn);
  });
  if (arns.length > ctx.quotas.managedPoliciesPerRole) {
    list.add(path, `${arns.length} policies`, `expected at most ${ctx.quotas.managedPoliciesPerRole} managed policies per role (IAM quota); raise it (up to ${IAM_LIMITS.managedPoliciesPerRoleMax}) and declare it under quotas.managedPoliciesPerRole, or merge policies`);
  }
}

function checkPolicies(spec: RoleSpec, at: (key: string | number) => string, list: ProblemList): void {
  const checkStatementsAt = (statements: readonly PolicyStatementProps[], path: string): void => checkStatements(statements, path, list);
  if (spec.statements) checkStatementsAt(spec.statements, at("statements"));
  for (const [name, statements] of Object.entries(spec.inlinePolicies ?? {})) {
    const path = joinPath(at("inlinePolicies"), name);
    if (!INLINE_POLICY_NAME_PATTERN.test(name)) list.add(path, name, "expected a policy name of 1-128 characters of letters, digits and _+=,.@-");
    if (statements.length === 0) list.add(path, statements, "expected at least one statement");
    checkStatementsAt(statements, path);
  }
  let total = 0;
  for (const statements of Object.values(inlinePolicies(spec))) {
    total += iamPolicySize(renderPolicy(policyDocument(statements.map(toIamStatement))));
  }
  if (total > IAM_LIMITS.inlinePoliciesTotalSize) {
    list.add(at("statements"), `${total} characters`, `inline policies of one role may total at most ${IAM_LIMITS.inlinePoliciesTotalSize} characters; move statements into a managed policy or split the role`);
  }
}

/** Checks tags against IAM's rules for tags (count, length, characters, no "aws:" prefix). */
export function checkTags(tags: Readonly<Record<string, string>> | undefined, path: string, list: ProblemList): void {
  if (!tags) return;
  const entries = Object.entries(tags);
  if (entries.length > IAM_LIMITS.tagsPerRole) list.add(path, `${entries.length} tags`, `expected at most ${IAM_LIMITS.tagsPerRole} tags`);
  for (const [key, value] of entries) {
    const chars = "letters, digits, spaces and _.:/=+-@";
    if (key.length > IAM_LIMITS.tagKeyMaxLength || !IAM_LIMITS.tagKeyPattern.test(key) || key.toLowerCase().startsWith("aws:")) {
      list.add(joinPath(path, key), key, `expected a tag key of 1-${IAM_LIMITS.tagKeyMaxLength} characters (${chars}) that does not start with "aws:"`);
    }
    if (typeof value !== "string" || value.length > IAM_LIMITS.tagValueMaxLength || !IAM_LIMITS.tagValuePattern.test(value)) {
      list.add(joinPath(path, key), value, `expected a tag value of at most ${IAM_LIMITS.tagValueMaxLength} characters (${chars})`);
    }
  }
}

/**
 * A source range as the trust policy writes it: IPv6 addresses in their canonical text (RFC 5952:
 * lower case, no embedded IPv4 part, `::` for the longest run of zeros), so that IAM and the
 * evaluator read the same range the config names. IPv4 ranges and invalid values are unchanged.
 * @example canonicalCidr("::140:8:f:95:164.4.192.212/72") === "::140:8:f:95:a404:c0d4/72"
 */
export function canonicalCidr(value: string): string {
  const [address, bits] = value.split("/");
  if (isIP(address) !== 6) return value;
  const canonical = new SocketAddress({ address, family: "ipv6" }).address;
  return bits === undefined ? canonical : `${canonical}/${bits}`;
}

/** True for an IPv4/IPv6 address or CIDR range. */
export function isCidr(value: string): boolean {
  if (typeof value !== "string") return false;
  const [address, bits, extra] = value.split("/");
  if (extra !== undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}
