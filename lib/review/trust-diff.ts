/**
 * Compares who may assume two versions of a role: `sub` patterns by subsumption (`{repo}:*` covers
 * `{repo}:{env}:*`), audiences, source ranges, session length, boundary, managed policies and
 * guardrail acknowledgements.
 */
import { AccessRepository, AccessRole } from "../access-model/access-model";
import { ANY_REPOSITORY_SUBJECT } from "../bitbucket/bitbucket";
import { canonical } from "./permission-diff";
import { anyCovers, cidrContains } from "./patterns";
import { ChangeKind, Classification } from "./report";

/** A trust or role-setting change before it is placed in a stack and role. */
export interface RoleSettingChange {
  readonly classification: Classification;
  readonly kind: ChangeKind;
  readonly target?: string;
  readonly before?: string | number;
  readonly after?: string | number;
}

const SUBJECT = /^(\{[^}]*\}):(?:(\{[^}]*\}):)?\*$/;

/** Repository and environment of a `sub` pattern this project writes. */
function parseSubject(subject: string): { repo: string; env?: string } {
  const m = SUBJECT.exec(subject);
  return m ? { repo: m[1], env: m[2] } : { repo: subject };
}

/** Labels UUIDs with the names either side of the change gives them. */
class Names {
  private readonly names = new Map<string, string>();

  constructor(...roles: AccessRole[]) {
    for (const role of roles) {
      for (const repo of role.trust.repositories) {
        if (repo.name) this.names.set(repo.uuid, repo.name);
        for (const env of repo.environments ?? []) if (env.name) this.names.set(`${repo.uuid}/${env.uuid}`, env.name);
      }
    }
  }

  repo(uuid: string): string {
    const name = this.names.get(uuid);
    return name ? `${name} ${uuid}` : uuid;
  }

  env(repo: string, env: string): string {
    const name = this.names.get(`${repo}/${env}`);
    return name ? `${name} ${env}` : env;
  }

  /** The steps a repository's patterns admit: "every step", or its environments. */
  scope(repo: string, subjects: readonly string[]): string {
    const parsed = subjects.map(parseSubject).filter((s) => s.repo === repo);
    if (parsed.some((s) => s.env === undefined)) return "every step";
    return `environment${parsed.length === 1 ? "" : "s"} ${parsed.map((s) => this.env(repo, s.env as string)).join(", ")}`;
  }
}

/** `sub` patterns of `from` that `by` does not cover, as repository / environment / scope changes. */
function subjectChanges(from: readonly string[], by: readonly string[], names: Names, widening: boolean): RoleSettingChange[] {
  const classification: Classification = widening ? "widening" : "narrowing";
  const out: RoleSettingChange[] = [];
  const missing = from.filter((s) => !anyCovers(by, s));
  const byRepos = new Set(by.map((s) => parseSubject(s).repo));
  const reposDone = new Set<string>();
  for (const subject of missing) {
    if (subject === ANY_REPOSITORY_SUBJECT) {
      out.push({ classification, kind: widening ? "any-repository-added" : "any-repository-removed", target: "every repository of the workspace" });
      continue;
    }
    const { repo, env } = parseSubject(subject);
    if (!byRepos.has(repo)) {
      if (reposDone.has(repo)) continue;
      reposDone.add(repo);
      const scope = names.scope(repo, from);
      out.push({ classification, kind: widening ? "repository-added" : "repository-removed", target: names.repo(repo), ...(widening ? { after: scope } : { before: scope }) });
    } else if (env !== undefined) {
      const label = names.env(repo, env);
      out.push({ classification, kind: widening ? "environment-added" : "environment-removed", target: names.repo(repo), ...(widening ? { after: label } : { before: label }) });
    } else {
      const [before, after] = widening ? [names.scope(repo, by), "every step"] : ["every step", names.scope(repo, by)];
      out.push({ classification, kind: widening ? "subject-broadened" : "subject-narrowed", target: names.repo(repo), before, after });
    }
  }
  return out;
}

function setChanges(
  before: readonly string[],
  after: readonly string[],
  added: { kind: ChangeKind; classification: Classification },
  removed: { kind: ChangeKind; classification: Classification },
  contains: (outer: string, inner: string) => boolean = (a, b) => a === b,
): RoleSettingChange[] {
  return [
    ...after.filter((x) => !before.some((b) => contains(b, x))).map((target) => ({ ...added, target })),
    ...before.filter((x) => !after.some((a) => contains(a, x))).map((target) => ({ ...removed, target })),
  ];
}

function repoNames(repos: readonly AccessRepository[]): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const repo of repos) {
    out.set(repo.uuid, repo.name);
    for (const env of repo.environments ?? []) out.set(`${repo.uuid}/${env.uuid}`, env.name);
  }
  return out;
}

/** Every trust and setting change of one role from `base` to `head`. */
export function diffRoleSettings(base: AccessRole, head: AccessRole): RoleSettingChange[] {
  const names = new Names(base, head);
  const out: RoleSettingChange[] = [
    ...subjectChanges(head.trust.subjects, base.trust.subjects, names, true),
    ...subjectChanges(base.trust.subjects, head.trust.subjects, names, false),
    ...setChanges(base.trust.audiences, head.trust.audiences, { kind: "audience-added", classification: "widening" }, { kind: "audience-removed", classification: "narrowing" }),
  ];
  const [ipsBefore, ipsAfter] = [base.trust.sourceIps, head.trust.sourceIps];
  if (ipsBefore.length > 0 && ipsAfter.length === 0) {
    out.push({ classification: "widening", kind: "source-ip-condition-removed", before: ipsBefore.join(", "), after: "any address" });
  } else if (ipsBefore.length === 0 && ipsAfter.length > 0) {
    out.push({ classification: "narrowing", kind: "source-ip-condition-added", before: "any address", after: ipsAfter.join(", ") });
  } else {
    out.push(
      ...setChanges(ipsBefore, ipsAfter, { kind: "source-ip-added", classification: "widening" }, { kind: "source-ip-removed", classification: "narrowing" }, cidrContains),
    );
  }
  if (head.maxSessionDuration !== base.maxSessionDuration) {
    const longer = head.maxSessionDuration > base.maxSessionDuration;
    out.push({ classification: longer ? "widening" : "narrowing", kind: longer ? "session-longer" : "session-shorter", before: base.maxSessionDuration, after: head.maxSessionDuration });
  }
  const [boundaryBefore, boundaryAfter] = [base.permissionsBoundary, head.permissionsBoundary];
  if (boundaryBefore && !boundaryAfter) out.push({ classification: "widening", kind: "boundary-removed", before: boundaryBefore });
  else if (!boundaryBefore && boundaryAfter) out.push({ classification: "narrowing", kind: "boundary-added", after: boundaryAfter });
  else if (boundaryBefore !== boundaryAfter) out.push({ classification: "widening", kind: "boundary-changed", before: boundaryBefore, after: boundaryAfter });
  out.push(
    ...setChanges(base.managedPolicyArns, head.managedPolicyArns, { kind: "managed-policy-added", classification: "widening" }, { kind: "managed-policy-removed", classification: "narrowing" }),
  );
  const acksBefore = new Map((base.acknowledgements ?? []).map((a) => [a.rule, a.reason]));
  const acksAfter = new Map((head.acknowledgements ?? []).map((a) => [a.rule, a.reason]));
  for (const [rule, reason] of acksAfter) {
    if (!acksBefore.has(rule)) out.push({ classification: "widening", kind: "acknowledgement-added", target: rule, after: reason });
    else if (acksBefore.get(rule) !== reason) out.push({ classification: "neutral", kind: "acknowledgement-changed", target: rule, before: acksBefore.get(rule), after: reason });
  }
  for (const [rule, reason] of acksBefore) {
    if (!acksAfter.has(rule)) out.push({ classification: "narrowing", kind: "acknowledgement-removed", target: rule, before: reason });
  }
  if (canonical(base.grants ?? {}) !== canonical(head.grants ?? {})) {
    out.push({ classification: "neutral", kind: "grants-changed", before: canonical(base.grants ?? {}), after: canonical(head.grants ?? {}) });
  }
  if ((base.description ?? "") !== (head.description ?? "")) out.push({ classification: "neutral", kind: "description-changed", before: base.description, after: head.description });
  if (base.path !== head.path) out.push({ classification: "neutral", kind: "path-changed", before: base.path, after: head.path });
  const [namesBefore, namesAfter] = [repoNames(base.trust.repositories), repoNames(head.trust.repositories)];
  for (const [key, name] of namesAfter) {
    if (namesBefore.has(key) && namesBefore.get(key) !== name) {
      out.push({ classification: "neutral", kind: "name-changed", target: key.split("/").pop(), before: namesBefore.get(key) ?? "(no name)", after: name ?? "(no name)" });
    }
  }
  return out;
}
