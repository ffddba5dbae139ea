import { checkAccounts } from "./account-rules";
import { expandAccounts } from "./expand-accounts";
import { placeholderProblems } from "./placeholders";
import { checkAcknowledgements } from "../guardrails/acknowledgements";
import { ACCOUNT_ID_EXPECTED, ACCOUNT_ID_PATTERN } from "../iam/arn";
import { issuerHostPath, providerArn } from "../bitbucket/bitbucket";
import { checkGrants, PLACEHOLDER_ACCOUNT } from "../grants";
import { formatProblem, joinPath, Problem, ProblemList, ValidationError } from "../core/problems";
import { checkProvider } from "../constructs/provider-rules";
import { checkQuotas, checkRolesPerAccount, resolveQuotas } from "../iam/quotas";
import { checkStackNames } from "./stack-names";
import { checkRole, checkTags, normalizeRepositories } from "../constructs/role-rules";
import { terraformId } from "../core/terraform-id";
import { normalizeUuid } from "../bitbucket/uuid";
import { checkBootstrap, checkStateOptions, defaultStateKey, ROLE_ARN_EXPECTED, ROLE_ARN_PATTERN } from "../state/state-rules";
import { AwsAccountInput, BitbucketOidcConfig, BitbucketOidcConfigInput, RoleConfig } from "./model";
import { notAMapping } from "./input-limits";
import { checkSchema } from "./schema-check";
import { checkPartitions } from "./partition-rules";
import { LONGEST_PARTITION, partitionOfRegion } from "../iam/partition";

/** Finds the line of a field path in the source file, when the config came from one. */
export type Locator = (path: string) => number | undefined;

/** A config that breaks the schema or IAM's rules: every problem, with file, line, field, value and fix. */
export class ConfigError extends ValidationError {
  /** The config file, or the label of a config built in code. */
  readonly source: string;

  constructor(source: string, problems: readonly Problem[], locate?: Locator) {
    super(
      `${source} is not a valid bitbucket-oidc config`,
      problems,
      problems.map((p) => {
        const line = locate?.(p.path);
        return `${source}${line ? `:${line}` : ""} ${formatProblem(p)}`;
      }),
    );
    this.name = "ConfigError";
    this.source = source;
  }
}

/**
 * Validates a config object (parsed from YAML, or built in code) and returns the validated, frozen
 * model. Throws {@link ConfigError} listing every problem at once.
 * @param source a file path, or a label such as "config object" for a config built in code
 */
export function validateConfig(input: unknown, source = "config object", locate?: Locator): BitbucketOidcConfig {
  const notMapping = notAMapping(input);
  if (notMapping) throw new ConfigError(source, [notMapping]);
  // Values `init` left to fill in come first: each is named, with what to put there.
  const placeholders = placeholderProblems(input);
  if (placeholders.length > 0) throw new ConfigError(source, placeholders, locate);
  const schemaProblems = checkSchema(input);
  const list = new ProblemList();
  const clean = (prefix: string): boolean => !schemaProblems.some((p) => p.path === prefix || p.path.startsWith(`${prefix}.`) || p.path.startsWith(`${prefix}[`));
  const raw = (input ?? {}) as BitbucketOidcConfigInput;
  const fail = (): never => {
    throw new ConfigError(source, [...schemaProblems, ...list.problems], locate);
  };
  if (clean("stack") && clean("accounts") && clean("state")) checkStackNames(raw, list);
  checkPartitions(raw, list);

  if (raw.accounts === undefined) {
    if (raw.aws === undefined) list.add("aws", undefined, "is required: the account and region (or accounts: for several accounts)");
    if (raw.roles === undefined) list.add("roles", undefined, "is required: at least one role");
    const { audiences, quotas } = checkSingleAccount(raw, clean, list);
    if (schemaProblems.length > 0 || !list.isEmpty) fail();
    return markValidated(deepFreeze(resolve(raw, source, audiences, quotas)));
  }

  // accounts: one single-account config per account, each checked as if written with aws:.
  if (raw.aws !== undefined) list.add("aws", raw.aws, "use either aws: (one account) or accounts: (several), not both");
  // The cross-account checks read accounts:, roles: and state: as a whole: only once they fit the schema.
  const shapeClean = clean("accounts") && clean("roles");
  const expanded = shapeClean && clean("state") ? expandAccounts(raw) : [];
  const quotas = resolveQuotas(clean("quotas") ? raw.quotas : undefined);
  if (shapeClean) checkAccounts(raw, expanded, quotas, list);
  const seen = new Set(list.problems.map((p) => `${p.path}\u0000${p.message}`));
  const perAccount = expanded.map((e) => {
    const own = new ProblemList();
    const result = checkSingleAccount(e.input, (prefix) => clean(e.originalPath(prefix)), own, true, `accounts[${e.index}].provider.existingArn`);
    for (const problem of own.problems) {
      const path = e.originalPath(problem.path);
      const key = `${path}\u0000${problem.message}`;
      if (!seen.has(key)) list.add(path, problem.value, problem.message);
      seen.add(key);
    }
    return result;
  });
  if (schemaProblems.length > 0 || !list.isEmpty || expanded.length === 0) fail();
  const accounts = expanded.map((e, i) => markValidated(deepFreeze(resolve(e.input, source, perAccount[i].audiences, perAccount[i].quotas))));
  // The top level holds what is shared; its aws: is the first account's, where the state bucket lives.
  const top = resolve({ ...raw, aws: expanded[0].input.aws, roles: [] }, source, perAccount[0].audiences, quotas);
  return markValidated(deepFreeze({ ...top, accounts }));
}

/** The semantic checks of a single-account config (after the schema); returns what resolving needs. */
function checkSingleAccount(
  raw: BitbucketOidcConfigInput,
  clean: (prefix: string) => boolean,
  list: ProblemList,
  inAccounts = false,
  existingArnField = "provider.existingArn",
): { audiences: string[]; quotas: BitbucketOidcConfig["quotas"] } {
  let audiences: string[] = [];
  if (clean("workspace") && clean("provider") && raw.workspace) {
    audiences = checkProvider(
      { workspaceSlug: raw.workspace.slug, workspaceUuid: raw.workspace.uuid, ...raw.provider },
      "provider",
      list,
      { workspaceSlug: "workspace.slug", workspaceUuid: "workspace.uuid" },
    );
  }
  if (clean("provider") && raw.provider?.adopt === true && raw.provider.existingArn === undefined) {
    const accountId = clean("aws") && raw.aws?.accountId && ACCOUNT_ID_PATTERN.test(raw.aws.accountId) ? raw.aws.accountId : undefined;
    const slug = clean("workspace") ? raw.workspace?.slug : undefined;
    const partition = clean("aws") ? partitionOfRegion(raw.aws?.region) : undefined;
    const fix = accountId && slug
      ? `set ${existingArnField}: "${providerArn(accountId, slug, partition)}"`
      : `set ${existingArnField} to the ARN that "aws iam list-open-id-connect-providers" lists for ${slug ? issuerHostPath(slug) : "the workspace's issuer"}`;
    list.add("provider.adopt", true, `adopt imports an existing provider, so it needs that provider's ARN: ${fix}`);
  }
  if (clean("aws") && raw.aws?.accountId !== undefined) {
    if (!ACCOUNT_ID_PATTERN.test(raw.aws.accountId)) list.add("aws.accountId", raw.aws.accountId, `expected ${ACCOUNT_ID_EXPECTED}`);
    const arnAccount = raw.provider?.existingArn?.split(":")[4];
    if (arnAccount && arnAccount !== raw.aws.accountId) {
      list.add("provider.existingArn", raw.provider?.existingArn, `expected a provider in account ${raw.aws.accountId} (aws.accountId), not ${arnAccount}`);
    }
  }
  if (clean("aws")) checkTags(raw.aws?.defaultTags, "aws.defaultTags", list);
  if (clean("aws") && raw.aws?.assumeRoleArn !== undefined && !ROLE_ARN_PATTERN.test(raw.aws.assumeRoleArn)) {
    list.add("aws.assumeRoleArn", raw.aws.assumeRoleArn, `expected ${ROLE_ARN_EXPECTED}`);
  }
  if (clean("state") && raw.state) {
    checkStateOptions(raw.state, "state", list);
    checkBootstrap(raw.state, "state", list);
  }
  if (clean("quotas")) checkQuotas(raw.quotas, "quotas", list);

  const quotas = resolveQuotas(clean("quotas") ? raw.quotas : undefined);
  // With accounts:, checkAccounts counts each account's roles (the path names the account).
  if (!inAccounts && Array.isArray(raw.roles)) checkRolesPerAccount(raw.roles.length, quotas, "roles", list);
  const names = new Map<string, number>();
  const ids = new Map<string, number>();
  const grantCtx = clean("aws") && raw.aws && clean("workspace") && raw.workspace ? grantCheckContext({ ...raw, aws: raw.aws }) : undefined;
  (Array.isArray(raw.roles) ? raw.roles : []).forEach((role, i) => {
    const path = joinPath("roles", i);
    if (!clean(path) || !clean("workspace")) return;
    const partition = clean("aws") ? partitionOfRegion(raw.aws?.region) : undefined;
    checkRole({ ...role, roleName: role.name }, { conditionKeyPrefix: issuerHostPath(raw.workspace.slug), providerAudiences: audiences, quotas, nameField: "name", partition }, path, list);
    checkAcknowledgements(role.acknowledge, joinPath(path, "acknowledge"), list);
    if (grantCtx) checkGrants(role.grants, grantCtx, role, quotas, joinPath(path, "grants"), list);
    if (clean("state") && raw.state) checkPlanOfThisStack(role, raw, joinPath(path, "grants"), inAccounts, list);
    const lower = role.name.toLowerCase();
    if (names.has(lower)) {
      list.add(joinPath(path, "name"), role.name, `roles[${names.get(lower)}] already has this name; IAM compares role names case-insensitively, so give each role its own name`);
    } else {
      names.set(lower, i);
      const id = terraformId(role.name);
      const other = ids.get(id);
      if (other !== undefined) {
        list.add(joinPath(path, "name"), role.name, `roles[${other}] (${JSON.stringify(raw.roles?.[other]?.name)}) maps to the same Terraform address "aws_iam_role.${id}" as ${JSON.stringify(role.name)}; rename one of them`);
      }
      ids.set(id, i);
    }
  });

  return { audiences, quotas };
}

/**
 * `terraformPlan` without `managedPolicy` reads only this stack's provider and roles, so it plans this
 * stack: its state must be the one `state:` names (with accounts:, each account's own key). Any other
 * key would pass synth and fail the plan with AccessDenied on the state.
 */
function checkPlanOfThisStack(role: RoleConfig, raw: BitbucketOidcConfigInput, path: string, inAccounts: boolean, list: ProblemList): void {
  const plan = role.grants?.terraformPlan;
  if (!plan || plan.managedPolicy !== undefined || typeof plan.bucket !== "string") return;
  const bucket = raw.state.bucket;
  const key = raw.state.key ?? defaultStateKey(raw.stack);
  const covers = plan.bucket === bucket && (plan.key !== undefined ? plan.key === key : typeof plan.prefix === "string" && key.startsWith(plan.prefix));
  if (covers) return;
  const field = plan.bucket !== bucket ? "bucket" : plan.key !== undefined ? "key" : "prefix";
  const value = field === "bucket" ? plan.bucket : field === "key" ? plan.key : plan.prefix;
  const perAccount = inAccounts ? ` (with accounts:, each account's stack has its own key: set it in accounts[].overrides.${role.name}.grants for each account)` : "";
  list.add(
    joinPath(joinPath(path, "terraformPlan"), field),
    value,
    `terraformPlan without managedPolicy plans this stack (${raw.stack}), whose state is s3://${bucket}/${key} (state:); use bucket: ${bucket} and key: ${key} (or a prefix holding it)${perAccount}, or, to plan another stack, name a managedPolicy`,
  );
}

/**
 * Grants are checked with the ARNs they will have: the region's partition (the longest where the
 * region is not valid, already reported); an unknown account counts as 12 digits.
 */
function grantCheckContext(raw: BitbucketOidcConfigInput & { aws: AwsAccountInput }): Parameters<typeof checkGrants>[1] {
  const accountId = raw.aws.accountId ?? PLACEHOLDER_ACCOUNT;
  const partition = partitionOfRegion(raw.aws.region) ?? LONGEST_PARTITION;
  return {
    region: raw.aws.region,
    partition,
    accountId,
    oidcProviderArn: raw.provider?.existingArn ?? providerArn(accountId, raw.workspace.slug, partition),
    roleArns: (Array.isArray(raw.roles) ? raw.roles : [])
      .filter((r) => typeof r === "object" && r !== null && typeof r.name === "string" && (r.path === undefined || typeof r.path === "string"))
      .map((r) => `arn:${partition}:iam::${accountId}:role${r.path ?? "/"}${r.name}`),
  };
}

function resolve(raw: BitbucketOidcConfigInput, source: string, audiences: string[], quotas: BitbucketOidcConfig["quotas"]): BitbucketOidcConfig {
  const roles: RoleConfig[] = (raw.roles ?? []).map((role) => ({ ...role, ...(role.repositories ? { repositories: normalizeRepositories(role.repositories) } : {}) }));
  return {
    source,
    version: 1,
    stack: raw.stack,
    workspace: { ...raw.workspace, uuid: normalizeUuid(raw.workspace.uuid) ?? raw.workspace.uuid },
    aws: { region: raw.aws?.region ?? "", ...raw.aws },
    state: {
      ...raw.state,
      key: raw.state.key ?? defaultStateKey(raw.stack),
      encrypt: raw.state.encrypt ?? true,
      useLockfile: raw.state.useLockfile ?? true,
      bootstrap: raw.state.bootstrap ?? false,
      bootstrapBackend: raw.state.bootstrapBackend ?? "local",
    },
    provider: {
      ...raw.provider,
      thumbprints: raw.provider?.thumbprints ?? "none",
      audiences,
      preventDestroy: raw.provider?.preventDestroy ?? true,
    },
    quotas,
    roles,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

const validated = new WeakSet<object>();

/** True when the value came out of {@link validateConfig} (so it need not be checked again). */
export function isValidatedConfig(value: unknown): value is BitbucketOidcConfig {
  return typeof value === "object" && value !== null && validated.has(value);
}

function markValidated(config: BitbucketOidcConfig): BitbucketOidcConfig {
  validated.add(config);
  return config;
}
