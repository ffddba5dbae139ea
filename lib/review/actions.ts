/**
 * Action wildcards expanded with @cloud-copilot/iam-expand, once per distinct pattern, so that
 * `ecr:*` and the three ECR actions it replaces compare as the sets of actions they allow.
 */
import { expandIamActions } from "@cloud-copilot/iam-expand";
import { AccessModel } from "../access-model/access-model";
import { IamStatement } from "../iam/policy-document";

/** What one action pattern expands to. */
export interface ExpandedAction {
  /** The actions, in IAM's spelling; for an unknown action, the pattern itself in lower case. */
  readonly actions: readonly string[];
  /** False when the IAM data knows no such action or service (a typo, or a service newer than the data). */
  readonly known: boolean;
}

/** Expansions by pattern as written. */
export type ActionExpansions = ReadonlyMap<string, ExpandedAction>;

/** The actions of a statement as written (`NotAction` counts as every action: it allows nearly all). */
export function statementActions(statement: IamStatement & { NotAction?: string | string[] }): string[] {
  if (statement.Action !== undefined) return typeof statement.Action === "string" ? [statement.Action] : [...statement.Action];
  return statement.NotAction !== undefined ? ["*"] : [];
}

/** The resources of a statement as written (none, or `NotResource`, counts as `*`). */
export function statementResources(statement: IamStatement): string[] {
  if (statement.Resource === undefined) return ["*"];
  return typeof statement.Resource === "string" ? [statement.Resource] : [...statement.Resource];
}

/** Every statement of a role's inline policies, with its policy name. */
export function roleStatements(role: AccessModel["roles"][number]): { policy: string; statement: IamStatement }[] {
  return Object.entries(role.inlinePolicies).flatMap(([policy, document]) => (document.Statement ?? []).map((statement) => ({ policy, statement })));
}

/** Every distinct action pattern in the given models. */
export function actionPatternsOf(models: Iterable<AccessModel | undefined>): Set<string> {
  const patterns = new Set<string>();
  for (const model of models) {
    for (const role of model?.roles ?? []) {
      for (const { statement } of roleStatements(role)) for (const action of statementActions(statement)) patterns.add(action);
    }
  }
  return patterns;
}

/** Expands each pattern once (a lone `*` to every action of every service). */
export async function expandActionPatterns(patterns: Iterable<string>): Promise<ActionExpansions> {
  const out = new Map<string, ExpandedAction>();
  await Promise.all(
    [...patterns].map(async (pattern) => {
      const actions = await expandIamActions(pattern, { expandAsterisk: true });
      out.set(pattern, actions.length > 0 ? { actions, known: true } : { actions: [pattern.toLowerCase()], known: false });
    }),
  );
  return out;
}

/** The expansion of a pattern that must have been expanded already. */
export function expansionOf(expansions: ActionExpansions, pattern: string): ExpandedAction {
  const found = expansions.get(pattern);
  if (!found) throw new Error(`action pattern ${JSON.stringify(pattern)} was not expanded before the review`);
  return found;
}
