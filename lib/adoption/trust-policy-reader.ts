/**
 * Reads a role's trust policy back into what the config can say: the workspace's provider, the
 * accepted audiences, the repositories and environments behind the `sub` patterns, and source IP
 * ranges. Everything else becomes a finding that says which way the generated policy will differ.
 */
import { workspaceOfIssuer } from "../bitbucket/bitbucket";
import { joinPath } from "../core/problems";
import { RepositoryTrust } from "../constructs/role-rules";
import { normalizeUuid } from "../bitbucket/uuid";
import { FindingList } from "./findings";
import { PolicyJson } from "./aws-cli-output";

/** What a trust policy says, in the config's terms. */
export interface TrustReading {
  /** The Bitbucket provider's ARN (the Federated principal). */
  readonly providerArn?: string;
  readonly workspaceSlug?: string;
  /** `aud` values accepted today (empty: no aud condition). */
  readonly audiences: readonly string[];
  /** Repositories and environments parsed out of the `sub` patterns, UUIDs normalized. */
  readonly repositories: readonly RepositoryTrust[];
  /** True when any repository of the workspace passes (`sub` of `*`, or no `sub` condition). */
  readonly anyRepository: boolean;
  readonly sourceIps: readonly string[];
}

const PROVIDER_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:oidc-provider\/(.+)$/;
/**
 * A UUID as Bitbucket writes it in `sub`: braces, lower case. IAM's StringLike is case-sensitive, so a
 * pattern with an upper-case or bare UUID matches no token today; it is not read as the repository.
 */
const UUID_PART = "\\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\}";
const LOOSE_UUID = /[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/;
const REPO_SUBJECT = new RegExp(`^(${UUID_PART}):\\*$`);
const ENV_SUBJECT = new RegExp(`^(${UUID_PART}):(${UUID_PART}):\\*$`);
const ANY_SUBJECTS = new Set(["*", "{*}:*", "*:*"]);
const WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity";

const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Reads a trust policy; findings go to `findings`. Returns undefined when no statement trusts a Bitbucket provider. */
export function readTrustPolicy(document: PolicyJson, where: string, findings: FindingList): TrustReading | undefined {
  const audiences = new Set<string>();
  const repositories = new Map<string, { uuid: string; all: boolean; environments: string[] }>();
  const sourceIps = new Set<string>();
  const audienceSets: string[] = [];
  let anyRepository = false;
  let providerArn: string | undefined;
  let workspaceSlug: string | undefined;

  asList(document.Statement).forEach((raw, i) => {
    const at = joinPath(joinPath(where, "Statement"), i);
    const statement = (raw ?? {}) as Record<string, unknown>;
    const federated = asList((statement.Principal as Record<string, unknown> | undefined)?.Federated).map(String);
    const bitbucket = federated.filter((arn) => workspaceOfIssuer(PROVIDER_ARN.exec(arn)?.[1] ?? "") !== undefined);
    if (bitbucket.length === 0 || statement.Effect !== "Allow" || statement.NotPrincipal !== undefined || statement.NotAction !== undefined) {
      const who = JSON.stringify(statement.Principal ?? statement.NotPrincipal ?? null);
      if (statement.Effect === "Deny") findings.add("widened", at, `a Deny statement (${who}); the generated trust policy has none, so the plan removes it`);
      else findings.add("narrowed", at, `trusts ${who}, not a Bitbucket Pipelines provider (or uses NotPrincipal/NotAction); the generated trust policy has only the Bitbucket statement, so the plan removes this trust`);
      return;
    }
    for (const arn of federated.filter((a) => !bitbucket.includes(a))) {
      findings.add("narrowed", joinPath(at, "Principal.Federated"), `also trusts ${arn}, which is not a Bitbucket Pipelines provider; the plan removes it`);
    }
    for (const arn of bitbucket) {
      const slug = workspaceOfIssuer(PROVIDER_ARN.exec(arn)?.[1] ?? "");
      if (providerArn === undefined) {
        providerArn = arn;
        workspaceSlug = slug;
      } else if (arn !== providerArn) {
        findings.add("narrowed", joinPath(at, "Principal.Federated"), `trusts a second provider ${arn}; one config holds one workspace's provider (${providerArn}), so the plan removes this one`);
      }
    }
    const actions = asList(statement.Action).map(String);
    for (const action of actions.filter((a) => a !== WEB_IDENTITY)) {
      findings.add("narrowed", joinPath(at, "Action"), `also allows ${JSON.stringify(action)}; the generated trust policy allows ${WEB_IDENTITY} only`);
    }
    const keyPrefix = PROVIDER_ARN.exec(bitbucket[0])?.[1] ?? "";
    const seen = readConditions(statement.Condition, joinPath(at, "Condition"), findings, keyPrefix);
    if (seen.matchesNothing) {
      findings.add("check", at, `${seen.matchesNothing}, so this statement lets no token in today; it is left out`);
      return;
    }
    seen.audiences.forEach((a) => audiences.add(a));
    audienceSets.push([...seen.audiences].sort().join("\n"));
    seen.sourceIps.forEach((ip) => sourceIps.add(ip));
    if (!seen.hasAud) {
      findings.add("narrowed", at, "has no aud condition: today any audience the provider accepts passes; the generated policy checks aud with StringEquals");
    }
    if (!seen.hasSub) {
      findings.add("narrowed", at, "has no sub condition: every repository of the workspace (pull-request pipelines included) can assume the role today; written as anyRepositoryInWorkspace: true so nothing breaks: replace it with the repositories that need the role");
      anyRepository = true;
    }
    for (const subject of seen.subjects) {
      if (ANY_SUBJECTS.has(subject)) {
        findings.add("narrowed", joinPath(at, "Condition"), `sub ${JSON.stringify(subject)} lets every repository of the workspace (pull-request pipelines included) assume the role; written as anyRepositoryInWorkspace: true (reported at every synth) so nothing breaks: replace it with the repositories that need the role`);
        anyRepository = true;
        continue;
      }
      const env = ENV_SUBJECT.exec(subject);
      const repo = REPO_SUBJECT.exec(subject);
      if (!env && !repo && LOOSE_UUID.test(subject) && /^[^*?]*:\*$/.test(subject)) {
        findings.add("check", joinPath(at, "Condition"), `sub ${JSON.stringify(subject)} matches no token today: Bitbucket writes UUIDs in braces and lower case, and StringLike is case-sensitive; left out (not read as that repository): name the repositories that need the role`);
        continue;
      }
      if (env) {
        const entry = repositoryEntry(repositories, normalizeUuid(env[1]) as string);
        const envUuid = normalizeUuid(env[2]) as string;
        if (!entry.environments.includes(envUuid)) entry.environments.push(envUuid);
      } else if (repo) {
        repositoryEntry(repositories, normalizeUuid(repo[1]) as string).all = true;
      } else {
        findings.add("narrowed", joinPath(at, "Condition"), `sub ${JSON.stringify(subject)} is not "{repository}:*" or "{repository}:{environment}:*", so the config cannot hold it; steps it matches today lose access`);
      }
    }
  });
  if (providerArn === undefined) return undefined;
  if (new Set(audienceSets).size > 1) {
    findings.add("widened", where, "statements accept different audiences; the generated policy has one statement, so every listed repository is accepted with every listed audience");
  }
  const repoList: RepositoryTrust[] = [...repositories.values()].map((r) => {
    if (r.all && r.environments.length > 0) {
      findings.add("check", where, `repository ${r.uuid} is trusted for every step ("${r.uuid}:*"), which already includes its environments ${r.environments.join(", ")}; written as the whole repository`);
    }
    return r.all || r.environments.length === 0 ? { uuid: r.uuid } : { uuid: r.uuid, environments: r.environments.map((uuid) => ({ uuid })) };
  });
  if (anyRepository && repoList.length > 0) {
    findings.add("check", where, `the role is open to every repository of the workspace, so the listed repositories (${repoList.map((r) => r.uuid).join(", ")}) are left out; name them instead of anyRepositoryInWorkspace when you narrow the role`);
  }
  return {
    providerArn,
    workspaceSlug,
    audiences: [...audiences],
    repositories: anyRepository ? [] : repoList,
    anyRepository,
    sourceIps: [...sourceIps],
  };
}

function repositoryEntry(map: Map<string, { uuid: string; all: boolean; environments: string[] }>, uuid: string) {
  let entry = map.get(uuid);
  if (!entry) {
    entry = { uuid, all: false, environments: [] };
    map.set(uuid, entry);
  }
  return entry;
}

interface ConditionReading {
  audiences: string[];
  subjects: string[];
  readonly sourceIps: string[];
  hasAud: boolean;
  hasSub: boolean;
  /** Why the statement can match no token of this provider (a condition on a key its tokens never carry). */
  matchesNothing?: string;
}

/** Splits `ForAllValues:StringLikeIfExists` into its qualifier, operator and IfExists. */
function parseOperator(operator: string): { qualifier?: string; base: string; ifExists: boolean } {
  const [qualifier, rest] = operator.includes(":") ? operator.split(":", 2) : [undefined, operator];
  const ifExists = rest.endsWith("IfExists");
  return { qualifier, base: ifExists ? rest.slice(0, -"IfExists".length) : rest, ifExists };
}

/**
 * Reads a statement's conditions as IAM evaluates them: values of one key under one operator are
 * ORed; operators (and keys) are ANDed, so several `sub` (or `aud`) conditions accept only what all of
 * them accept. Keys of another workspace's issuer are never in this provider's tokens.
 */
function readConditions(condition: unknown, where: string, findings: FindingList, keyPrefix: string): ConditionReading {
  const out: ConditionReading = { audiences: [], subjects: [], sourceIps: [], hasAud: false, hasSub: false };
  const subBlocks: string[][] = [];
  const audBlocks: string[][] = [];
  for (const [operator, keys] of Object.entries((condition ?? {}) as Record<string, Record<string, unknown>>)) {
    const op = parseOperator(operator);
    const at = joinPath(where, operator);
    for (const [key, rawValues] of Object.entries(keys ?? {})) {
      const values = asList(rawValues).map(String);
      const claim = /:(aud|sub)$/i.exec(key)?.[1]?.toLowerCase();
      const keyIssuer = key.slice(0, key.lastIndexOf(":"));
      const anyBitbucketKey = claim !== undefined && workspaceOfIssuer(keyIssuer) !== undefined;
      // IAM condition key names are case-insensitive.
      const isBitbucketKey = anyBitbucketKey && keyIssuer.toLowerCase() === keyPrefix.toLowerCase();
      if (anyBitbucketKey && !isBitbucketKey) {
        // Not in the request: IfExists and ForAllValues pass, every other operator fails.
        if (op.ifExists || op.qualifier === "ForAllValues") {
          findings.add("check", at, `${key}: a key of another workspace's issuer, never in this provider's tokens; ${operator} passes when the key is missing, so the condition has no effect and is left out`);
        } else {
          out.matchesNothing ??= `${at}: ${key} is a key of another workspace's issuer (${workspaceOfIssuer(keyIssuer)}), which tokens of this provider never carry`;
        }
        continue;
      }
      if (isBitbucketKey && op.qualifier === "ForAllValues") {
        findings.add("narrowed", at, `${key}: ForAllValues on a single-valued claim is true when the claim is missing, so the existing role is wider than it looks; the generated policy uses ${claim === "aud" ? "StringEquals" : "StringLike"}`);
      } else if (isBitbucketKey && op.qualifier !== undefined) {
        findings.add("check", at, `${key}: ${op.qualifier} on a single-valued claim; the generated policy uses the plain operator, which matches the same tokens`);
      }
      if (isBitbucketKey && op.ifExists) {
        findings.add("narrowed", at, `${key}: IfExists passes tokens without the claim; the generated policy requires it`);
      }
      if (isBitbucketKey && claim === "aud" && ["StringEquals", "StringLike", "StringEqualsIgnoreCase"].includes(op.base)) {
        out.hasAud = true;
        const block: string[] = [];
        for (const value of values) {
          if (op.base === "StringLike" && /[*?]/.test(value)) {
            findings.add("narrowed", at, `aud pattern ${JSON.stringify(value)} matches more than one audience; the config holds exact audiences, so it is left out`);
          } else {
            block.push(value);
          }
        }
        audBlocks.push(block);
      } else if (isBitbucketKey && claim === "sub" && ["StringLike", "StringEquals"].includes(op.base)) {
        out.hasSub = true;
        const block: string[] = [];
        subBlocks.push(block);
        for (const value of values) {
          // StringEquals compares literally: "*" there is no wildcard, so even sub "*" lets no step in today.
          if (op.base === "StringEquals" && value.includes("*")) {
            findings.add("check", at, `sub ${JSON.stringify(value)} with StringEquals matches only that literal text, which no Bitbucket token carries, so no step passes it today; left out (not read as a wildcard): name the repositories that need the role`);
          } else if (op.base === "StringEquals" && !value.includes("*")) {
            findings.add("narrowed", at, `sub ${JSON.stringify(value)} with StringEquals matches one step run only (the step UUID changes every run); left out`);
          } else {
            block.push(value);
          }
        }
      } else if (key.toLowerCase() === "aws:sourceip" && op.base === "IpAddress" && op.qualifier === undefined && !op.ifExists) {
        out.sourceIps.push(...values);
      } else if (isBitbucketKey) {
        findings.add("widened", at, `${key}: the operator ${operator} is not one we generate; the condition is left out, so the generated policy is wider on this point`);
      } else {
        findings.add("widened", at, `${key}: a condition we do not model; it is left out, so the generated trust policy is WIDER than today's on this point`);
      }
    }
  }
  out.subjects = intersectSubjects(subBlocks, where, findings);
  out.audiences = audBlocks.length === 0 ? [] : audBlocks.reduce((a, b) => a.filter((v) => b.includes(v)));
  if (audBlocks.length > 1) findings.add("check", where, `${audBlocks.length} aud conditions in one statement: IAM requires all of them, so only audiences in every one are kept (${out.audiences.join(", ") || "none"})`);
  return out;
}

/** A `sub` pattern the config can hold, as a set of tokens: every repository, one repository, or one environment of it. */
function subjectSet(pattern: string): { repo?: string; env?: string } | undefined {
  if (ANY_SUBJECTS.has(pattern)) return {};
  const env = ENV_SUBJECT.exec(pattern);
  if (env) return { repo: env[1], env: env[2] };
  const repo = REPO_SUBJECT.exec(pattern);
  return repo ? { repo: repo[1] } : undefined;
}

/**
 * Several `sub` conditions in one statement are ANDed: a token passes only when every one of them
 * matches. For the patterns the config holds, the intersection of two is the narrower one when one
 * contains the other, else nothing; a pattern the config cannot hold is dropped from the
 * intersection, so the result is never wider than IAM's answer.
 */
function intersectSubjects(blocks: readonly string[][], where: string, findings: FindingList): string[] {
  if (blocks.length <= 1) return blocks[0] ?? [];
  let current = blocks[0];
  for (const block of blocks.slice(1)) {
    const next = new Set<string>();
    for (const a of current) {
      for (const b of block) {
        const sa = subjectSet(a);
        const sb = subjectSet(b);
        if (!sa || !sb) continue;
        if (sa.repo === undefined) next.add(b);
        else if (sb.repo === undefined) next.add(a);
        else if (sa.repo !== sb.repo) continue;
        else if (sa.env === undefined) next.add(b);
        else if (sb.env === undefined || sb.env === sa.env) next.add(a);
      }
    }
    current = [...next];
  }
  findings.add("check", where, `${blocks.length} sub conditions in one statement: IAM requires all of them, so only what every one matches is kept (${current.join(", ") || "nothing"})`);
  return current;
}
