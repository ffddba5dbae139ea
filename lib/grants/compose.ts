/**
 * Composes grants into inline policies: one policy `grant-<kind>` per grant, without a statement
 * that another grant (or the role's own statements) already holds, within IAM's size quotas.
 *
 * Rules:
 * - Two statements are the same when they match ignoring `Sid` and the order of actions/resources.
 * - The first holder keeps a statement: the role's own inline policies, then grants in
 *   {@link GRANT_KINDS} order. A grant left with no statement writes no policy.
 * - Managed policy ARNs are merged without repeats.
 */
import { IAM_LIMITS, iamPolicySize } from "../iam/iam-limits";
import { IamStatement, policyDocument, renderPolicy } from "../iam/policy-document";
import { joinPath, ProblemList } from "../core/problems";
import { ResolvedQuotas } from "../iam/quotas";
import type { GrantKind, GrantOutput } from "./grant-types";
import { GRANT_KINDS } from "./registry";

/** The inline policy name of a grant kind, e.g. `grant-ecr-push`. */
export function grantPolicyName(kind: GrantKind): string {
  return `grant-${kind.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Grants composed for one role. */
export interface ComposedGrants {
  /** Inline policies by name (`grant-<kind>`), statements in IAM's shape. */
  readonly policies: Readonly<Record<string, readonly IamStatement[]>>;
  /** Which grant wrote which policy. */
  readonly kinds: Readonly<Record<string, GrantKind>>;
  /** Managed policies the grants attach. */
  readonly managedPolicyArns: readonly string[];
}

/** A key equal for statements that IAM treats the same (Sid and list order ignored). */
export function statementKey(statement: IamStatement): string {
  const sorted = (v: unknown): unknown => (Array.isArray(v) ? [...v].sort() : v);
  const { Effect, Principal, Action, Resource, NotResource, Condition } = statement;
  const condition = Condition
    ? Object.fromEntries(Object.keys(Condition).sort().map((op) => [op, Object.fromEntries(Object.keys(Condition[op]).sort().map((k) => [k, sorted(Condition[op][k])]))]))
    : undefined;
  return JSON.stringify([Effect, Principal, sorted(Action), sorted(Resource), sorted(NotResource), condition]);
}

/** Merges grant outputs; `existing` are the statements the role already has (they win). */
export function composeGrants(outputs: Partial<Record<GrantKind, GrantOutput>>, existing: readonly IamStatement[] = []): ComposedGrants {
  const seen = new Set(existing.map(statementKey));
  const policies: Record<string, IamStatement[]> = {};
  const kinds: Record<string, GrantKind> = {};
  const managed: string[] = [];
  for (const kind of GRANT_KINDS) {
    const output = outputs[kind];
    if (!output) continue;
    const kept = output.statements.filter((s) => {
      const key = statementKey(s);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (kept.length > 0) {
      policies[grantPolicyName(kind)] = kept;
      kinds[grantPolicyName(kind)] = kind;
    }
    for (const arn of output.managedPolicyArns) if (!managed.includes(arn)) managed.push(arn);
  }
  return { policies, kinds, managedPolicyArns: managed };
}

/** Size of a list of statements as one policy, counted as IAM counts. */
export function statementsSize(statements: readonly IamStatement[]): number {
  return iamPolicySize(renderPolicy(policyDocument(statements)));
}

/**
 * Checks that the role's own inline policies plus the grants' stay within 10,240 characters and the
 * managed-policy quota; the problem names the grant to split off into a role of its own.
 * @param ownInlineSize characters of the role's own inline policies
 * @param ownManagedArns the role's own managed policy ARNs
 */
export function checkGrantQuotas(
  composed: ComposedGrants,
  ownInlineSize: number,
  ownManagedArns: readonly string[],
  quotas: ResolvedQuotas,
  path: string,
  list: ProblemList,
): void {
  const sizes = Object.entries(composed.policies).map(([name, statements]) => ({ kind: composed.kinds[name], size: statementsSize(statements) }));
  const total = ownInlineSize + sizes.reduce((sum, s) => sum + s.size, 0);
  if (total > IAM_LIMITS.inlinePoliciesTotalSize && sizes.length > 0) {
    const largest = sizes.reduce((a, b) => (b.size > a.size ? b : a));
    list.add(
      joinPath(path, largest.kind),
      `${total} characters`,
      `the role's inline policies would total ${total} characters, over IAM's quota of ${IAM_LIMITS.inlinePoliciesTotalSize} per role; split grant "${largest.kind}" (${largest.size} characters) off into a role of its own`,
    );
  }
  const added = composed.managedPolicyArns.filter((arn) => !ownManagedArns.includes(arn));
  if (added.length > 0 && ownManagedArns.length + added.length > quotas.managedPoliciesPerRole) {
    list.add(
      joinPath(joinPath(path, "terraformPlan"), "managedPolicy"),
      added,
      `the role would have ${ownManagedArns.length + added.length} managed policies, over the quota of ${quotas.managedPoliciesPerRole}; split grant "terraformPlan" off into a role of its own, or raise quotas.managedPoliciesPerRole`,
    );
  }
}
