import { ResolvedQuotas } from "../iam/quotas";

/** A policy statement as read from synthesized JSON: any shape IAM accepts (scalars or lists). */
export interface ReadStatement {
  /** Statement id, if any. */
  readonly Sid?: string;
  /** "Allow" or "Deny" (anything else is reported, not trusted). */
  readonly Effect?: string;
  /** Who the statement applies to (trust policies): e.g. `{ Federated: "<provider ARN>" }`. */
  readonly Principal?: unknown;
  /** Everyone but these principals (rare; reported as a wide trust). */
  readonly NotPrincipal?: unknown;
  /** Actions, one or a list, e.g. `"sts:AssumeRoleWithWebIdentity"`. */
  readonly Action?: string | string[];
  /** Every action but these. */
  readonly NotAction?: string | string[];
  /** Resource ARNs, one or a list. */
  readonly Resource?: string | string[];
  /** Every resource but these. */
  readonly NotResource?: string | string[];
  /** Conditions: operator -> condition key -> value(s). */
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** A policy of a guarded role, as Terraform will send it (references left as `${...}`). */
export interface GuardedPolicy {
  /** How it reaches the role: an inline policy, or a managed policy created in the same stack. */
  readonly kind: "inline" | "managed";
  /** Its name (inline) or its ARN/reference (managed). */
  readonly name: string;
  /** The JSON text as synthesized. */
  readonly text: string;
  /** The statements, or undefined when the text is not JSON at synth (e.g. a data source's output). */
  readonly statements?: readonly ReadStatement[];
}

/** Everything a rule sees of one role whose trust policy names a Bitbucket issuer. */
export interface GuardedRole {
  /** The role name, or the construct path when the name is only known at apply time. */
  readonly roleName: string;
  /** The trust policy's JSON text as synthesized. */
  readonly trustPolicyText: string;
  /** The trust policy's statements. */
  readonly trustStatements: readonly ReadStatement[];
  /** The Bitbucket condition-key prefixes (`api.bitbucket.org/2.0/workspaces/<slug>/pipelines-config/identity/oidc`) the trust policy names. */
  readonly issuers: readonly string[];
  /** True when a principal value is a Bitbucket OIDC provider: a literal ARN or a reference to one in the stack. */
  readonly isBitbucketProvider: (principal: string) => boolean;
  /** Inline policies, and managed policies created in the same stack, attached to the role. */
  readonly policies: readonly GuardedPolicy[];
  /** Every managed policy attached (ARNs or references), each once. */
  readonly managedPolicyArns: readonly string[];
  /** The account's IAM quotas. */
  readonly quotas: ResolvedQuotas;
  /** The partition of the role's ARNs, to count references at their length as written. @default the longest (`aws-us-gov`) */
  readonly partition?: string;
}

/** One precise problem a rule found. */
export interface Finding {
  /** What is wrong, quoting the value. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** A guardrail: a stable id, a title, and a pure check. */
export interface GuardrailRule {
  /** Stable id, e.g. `BBO-T001`; acknowledgements name it. */
  readonly id: string;
  /** What the rule catches, in a few words. */
  readonly title: string;
  /**
   * "error": an unacknowledged finding stops the synth; "warning": it is reported at every synth
   * but the synth goes on.
   * @default "error"
   */
  readonly severity?: "error" | "warning";
  /** Returns every finding for the role; an empty list means compliant. */
  check(role: GuardedRole): Finding[];
}

/** A value or list of values as a list. */
export function asList(value: string | readonly string[] | unknown): string[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/** True for a statement that lets its principal call sts:AssumeRoleWithWebIdentity. */
export function allowsWebIdentity(statement: ReadStatement): boolean {
  if (statement.Effect !== "Allow") return false;
  if (statement.NotAction !== undefined) return !asList(statement.NotAction).some((a) => actionMatches(a, "sts:AssumeRoleWithWebIdentity"));
  return asList(statement.Action).some((a) => actionMatches(a, "sts:AssumeRoleWithWebIdentity"));
}

/** IAM's action matching: case-insensitive, `*` and `?` wildcards. */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
  return regex.test(action);
}

/** The condition entries of a statement whose key ends in `:<claim>` for one of the issuers: operator -> values. */
export function claimConditions(statement: ReadStatement, issuers: readonly string[], claim: "aud" | "sub"): { operator: string; values: string[] }[] {
  const out: { operator: string; values: string[] }[] = [];
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, value] of Object.entries(keys ?? {})) {
      if (issuers.some((issuer) => key.toLowerCase() === `${issuer}:${claim}`.toLowerCase())) out.push({ operator, values: asList(value) });
    }
  }
  return out;
}
