/**
 * Permission grants: each grant kind is a pure function from validated options to IAM statements
 * (and managed policy ARNs); {@link composeGrants} merges them into inline policies.
 */
import { IamStatement, PolicyStatementProps, toIamStatement } from "../iam/policy-document";
import { joinPath, ProblemList } from "../core/problems";
import { ResolvedQuotas } from "../iam/quotas";
import { checkStatements, inlinePolicies } from "../iam/inline-policies";
import { checkGrantQuotas, ComposedGrants, composeGrants, statementsSize } from "./compose";
import { checkEcrPush, ecrPushStatements } from "./ecr-push";
import { GrantContext, GrantKind, GrantOutput, Grants } from "./grant-types";
import { checkS3Deploy, s3DeployStatements } from "./s3-deploy";
import { checkTerraformPlan, terraformPlanStatements } from "./terraform-plan";
import { checkTerraformState, terraformStateStatements } from "./terraform-state";

export * from "./grant-types";
export { composeGrants, ComposedGrants, grantPolicyName, statementKey } from "./compose";

/** The statements and managed policies of every configured grant, by kind. */
export function grantOutputs(grants: Grants, ctx: GrantContext): Partial<Record<GrantKind, GrantOutput>> {
  const out: Partial<Record<GrantKind, GrantOutput>> = {};
  if (grants.ecrPush) out.ecrPush = ecrPushStatements(grants.ecrPush, ctx);
  if (grants.terraformState) out.terraformState = terraformStateStatements(grants.terraformState, ctx);
  if (grants.terraformPlan) out.terraformPlan = terraformPlanStatements(grants.terraformPlan, ctx);
  if (grants.s3Deploy) out.s3Deploy = s3DeployStatements(grants.s3Deploy, ctx);
  if (grants.statements && grants.statements.length > 0) out.statements = { statements: grants.statements.map(toIamStatement), managedPolicyArns: [] };
  return out;
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
  if (grants.ecrPush) checkEcrPush(grants.ecrPush, ctx, joinPath(path, "ecrPush"), list);
  if (grants.terraformState) checkTerraformState(grants.terraformState, ctx, joinPath(path, "terraformState"), list);
  if (grants.terraformPlan) checkTerraformPlan(grants.terraformPlan, ctx, joinPath(path, "terraformPlan"), list);
  if (grants.s3Deploy) checkS3Deploy(grants.s3Deploy, joinPath(path, "s3Deploy"), list);
  if (grants.statements) checkStatements(grants.statements, joinPath(path, "statements"), list);
  if (list.problems.length > before) return;
  const own: IamStatement[][] = Object.values(inlinePolicies(role)).map((s) => s.map(toIamStatement));
  const ownSize = own.reduce((sum, statements) => sum + statementsSize(statements), 0);
  checkGrantQuotas(grantPolicies(grants, ctx, role), ownSize, role.managedPolicyArns ?? [], quotas, path, list);
}
