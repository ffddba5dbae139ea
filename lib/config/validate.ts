import { ACCOUNT_ID_EXPECTED, ACCOUNT_ID_PATTERN, S3_BUCKET_EXPECTED, S3_BUCKET_PATTERN } from "../private/arn";
import { issuerHostPath } from "../private/bitbucket";
import { formatProblem, joinPath, Problem, ProblemList, ValidationError } from "../private/problems";
import { checkGrants, PLACEHOLDER_ACCOUNT } from "../grants";
import { providerArn } from "../private/bitbucket";
import { checkProvider } from "../private/provider-rules";
import { checkQuotas, resolveQuotas } from "../private/quotas";
import { checkRole, normalizeRepositories } from "../private/role-rules";
import { terraformId } from "../private/terraform-id";
import { normalizeUuid } from "../private/uuid";
import { BitbucketOidcConfig, BitbucketOidcConfigInput, RoleConfig } from "./model";
import { checkSchema } from "./schema-check";

/** Finds the line of a field path in the source file, when the config came from one. */
export type Locator = (path: string) => number | undefined;

/** A config that breaks the schema or IAM's rules: every problem, with file, line, field, value and fix. */
export class ConfigError extends ValidationError {
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
  const schemaProblems = checkSchema(input);
  const list = new ProblemList();
  const clean = (prefix: string): boolean => !schemaProblems.some((p) => p.path === prefix || p.path.startsWith(`${prefix}.`) || p.path.startsWith(`${prefix}[`));
  const raw = (input ?? {}) as BitbucketOidcConfigInput;

  let audiences: string[] = [];
  if (clean("workspace") && clean("provider") && raw.workspace) {
    audiences = checkProvider(
      { workspaceSlug: raw.workspace.slug, workspaceUuid: raw.workspace.uuid, ...raw.provider },
      "provider",
      list,
      { workspaceSlug: "workspace.slug", workspaceUuid: "workspace.uuid" },
    );
  }
  if (clean("aws") && raw.aws?.accountId !== undefined) {
    if (!ACCOUNT_ID_PATTERN.test(raw.aws.accountId)) list.add("aws.accountId", raw.aws.accountId, `expected ${ACCOUNT_ID_EXPECTED}`);
    const arnAccount = raw.provider?.existingArn?.split(":")[4];
    if (arnAccount && arnAccount !== raw.aws.accountId) {
      list.add("provider.existingArn", raw.provider?.existingArn, `expected a provider in account ${raw.aws.accountId} (aws.accountId), not ${arnAccount}`);
    }
  }
  if (clean("state") && raw.state) {
    if (!S3_BUCKET_PATTERN.test(raw.state.bucket)) list.add("state.bucket", raw.state.bucket, `expected ${S3_BUCKET_EXPECTED}`);
    if (raw.state.key !== undefined && (raw.state.key.length === 0 || raw.state.key.startsWith("/") || raw.state.key.endsWith("/"))) {
      list.add("state.key", raw.state.key, 'expected an object key without a leading or trailing "/", e.g. "bitbucket-oidc/terraform.tfstate"');
    }
  }
  if (clean("quotas")) checkQuotas(raw.quotas, "quotas", list);

  const quotas = resolveQuotas(clean("quotas") ? raw.quotas : undefined);
  const names = new Map<string, number>();
  const ids = new Map<string, number>();
  (Array.isArray(raw.roles) ? raw.roles : []).forEach((role, i) => {
    const path = joinPath("roles", i);
    if (!clean(path) || !clean("workspace")) return;
    checkRole({ ...role, roleName: role.name }, { conditionKeyPrefix: issuerHostPath(raw.workspace.slug), providerAudiences: audiences, quotas, nameField: "name" }, path, list);
    if (clean("aws")) checkGrants(role.grants, grantCheckContext(raw), role, quotas, joinPath(path, "grants"), list);
    const lower = role.name.toLowerCase();
    if (names.has(lower)) {
      list.add(joinPath(path, "name"), role.name, `roles[${names.get(lower)}] already has this name; IAM compares role names case-insensitively, so give each role its own name`);
    } else {
      names.set(lower, i);
      const id = terraformId(role.name);
      if (ids.has(id)) list.add(joinPath(path, "name"), role.name, `roles[${ids.get(id)}] maps to the same Terraform address "${id}"; rename one of them`);
      ids.set(id, i);
    }
  });

  const problems = [...schemaProblems, ...list.problems];
  if (problems.length > 0) throw new ConfigError(source, problems, locate);
  return markValidated(deepFreeze(resolve(raw, source, audiences, quotas)));
}

/** Grants are checked with the ARNs they will have; an unknown account counts as 12 digits. */
function grantCheckContext(raw: BitbucketOidcConfigInput): Parameters<typeof checkGrants>[1] {
  const accountId = raw.aws.accountId ?? PLACEHOLDER_ACCOUNT;
  return {
    region: raw.aws.region,
    accountId,
    oidcProviderArn: raw.provider?.existingArn ?? providerArn(accountId, raw.workspace.slug),
    roleArns: raw.roles.map((r) => `arn:aws:iam::${accountId}:role${r.path ?? "/"}${r.name}`),
  };
}

function resolve(raw: BitbucketOidcConfigInput, source: string, audiences: string[], quotas: BitbucketOidcConfig["quotas"]): BitbucketOidcConfig {
  const roles: RoleConfig[] = raw.roles.map((role) => ({ ...role, ...(role.repositories ? { repositories: normalizeRepositories(role.repositories) } : {}) }));
  return {
    source,
    version: 1,
    stack: raw.stack,
    workspace: { ...raw.workspace, uuid: normalizeUuid(raw.workspace.uuid) ?? raw.workspace.uuid },
    aws: { ...raw.aws },
    state: {
      ...raw.state,
      key: raw.state.key ?? `${raw.stack}/terraform.tfstate`,
      encrypt: raw.state.encrypt ?? true,
      useLockfile: raw.state.useLockfile ?? true,
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
