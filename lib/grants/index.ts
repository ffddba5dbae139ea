/**
 * Permission grants: each grant kind (one file, listed in `./registry.ts`) is a pure function from
 * validated options to IAM statements (and managed policy ARNs); {@link composeGrants} merges them
 * into inline policies. Nothing here names a kind: every loop runs over the registry.
 */
import { IamStatement, PolicyStatementProps, toIamStatement } from "../iam/policy-document";
import { joinPath, ProblemList } from "../core/problems";
import { ResolvedQuotas } from "../iam/quotas";
import { inlinePolicies } from "../iam/inline-policies";
import { checkGrantQuotas, ComposedGrants, composeGrants, statementsSize } from "./compose";
import { GrantContext, GrantKind, GrantKindDescriptor, GrantOutput, Grants } from "./grant-types";
import { GRANT_REGISTRY } from "./registry";

export * from "./grant-types";
export { GRANT_KINDS, GRANT_REGISTRY } from "./registry";
export { composeGrants, ComposedGrants, grantPolicyName, statementKey } from "./compose";

/** The statements and managed policies of every configured grant, by kind. */
export function grantOutputs(grants: Grants, ctx: GrantContext): Partial<Record<GrantKind, GrantOutput>> {
  const out: Partial<Record<GrantKind, GrantOutput>> = {};
  for (const { kind, options } of configured(grants)) {
    const output = kind.output(options as never, ctx);
    if (output.statements.length > 0 || output.managedPolicyArns.length > 0) out[kind.name] = output;
  }
  return out;
}

/** The registered kinds that `grants` configures, with their options, in registry order. */
function configured(grants: Grants): { kind: GrantKindDescriptor<GrantKind, never>; options: unknown }[] {
  const given = grants as Readonly<Record<string, unknown>>;
  return GRANT_REGISTRY.filter((kind) => given[kind.name] !== undefined && given[kind.name] !== null).map((kind) => ({ kind, options: given[kind.name] }));
}

/** The role fields grants are composed with. */
export interface GrantedRole {
  readonly statements?: readonly PolicyStatementProps[];
  readonly inlinePolicies?: Readonly<Record<string, readonly PolicyStatementProps[]>>;
  readonly managedPolicyArns?: readonly string[];
}

/** Composes a role's grants after its own inline statements. */
export function grantPolicies(grants: Grants, ctx: GrantContext, role: GrantedRole): ComposedGrants {
  const own = Object.values(inlinePolicies(role)).flat().map(toIamStatement);
  return composeGrants(grantOutputs(grants, ctx), own);
}

/**
 * Checks grants (every problem, with its field path under `path`), then, when they are sound, their
 * composed size against IAM's quotas with the role's own policies.
 */
export function checkGrants(grants: Grants | undefined, ctx: GrantContext, role: GrantedRole, quotas: ResolvedQuotas, path: string, list: ProblemList): void {
  if (grants === undefined) return;
  const before = list.problems.length;
  for (const { kind, options } of configured(grants)) kind.check(options as never, ctx, joinPath(path, kind.name), list);
  if (list.problems.length > before) return;
  const own: IamStatement[][] = Object.values(inlinePolicies(role)).map((s) => s.map(toIamStatement));
  const ownSize = own.reduce((sum, statements) => sum + statementsSize(statements), 0);
  checkGrantQuotas(grantPolicies(grants, ctx, role), ownSize, role.managedPolicyArns ?? [], quotas, path, list);
}
