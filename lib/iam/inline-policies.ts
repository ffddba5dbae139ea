/**
 * A role's inline policies: its named policies plus its free-form `statements`, and the checks of
 * those statements. Shared by the role (constructs) and the grants, which sit below it.
 */
import { PolicyStatementProps } from "./policy-document";
import { joinPath, ProblemList } from "../core/problems";
import { isToken } from "../core/tokens";

/** The fields of a role that hold its inline policies. */
export interface InlinePolicySource {
  readonly statements?: readonly PolicyStatementProps[];
  readonly inlinePolicies?: Readonly<Record<string, readonly PolicyStatementProps[]>>;
}

/** Name of the inline policy that holds a role's free-form `statements`. */
export const STATEMENTS_POLICY_NAME = "permissions";

const ACTION_PATTERN = /^(?:\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/;
const SID_PATTERN = /^[A-Za-z0-9]*$/;

/** The inline policies of a role: its named policies plus `statements` as the policy "permissions". */
export function inlinePolicies(spec: InlinePolicySource): Record<string, PolicyStatementProps[]> {
  // No prototype: a policy may be named "__proto__" or "constructor" (IAM allows both).
  const out: Record<string, PolicyStatementProps[]> = Object.create(null) as Record<string, PolicyStatementProps[]>;
  for (const [name, statements] of Object.entries(spec.inlinePolicies ?? {})) out[name] = [...statements];
  if (spec.statements && spec.statements.length > 0) out[STATEMENTS_POLICY_NAME] = [...(out[STATEMENTS_POLICY_NAME] ?? []), ...spec.statements];
  return out;
}

/**
 * Checks free-form statements: shape and effect. Action names are checked against IAM's list by the
 * guardrail BBO-P001 at synth, on every policy of the role, so one finding can be acknowledged.
 */
export function checkStatements(statements: readonly PolicyStatementProps[], path: string, list: ProblemList): void {
  statements.forEach((s, i) => {
    const sp = joinPath(path, i);
    if (s.sid !== undefined && !SID_PATTERN.test(s.sid)) list.add(joinPath(sp, "sid"), s.sid, "expected letters and digits only");
    if (s.effect !== undefined && s.effect !== "Allow" && s.effect !== "Deny") list.add(joinPath(sp, "effect"), s.effect, 'expected "Allow" or "Deny"');
    if (!s.actions || s.actions.length === 0) list.add(joinPath(sp, "actions"), s.actions, 'expected at least one action, e.g. ["s3:GetObject"]');
    (s.actions ?? []).forEach((a, j) => {
      if (!ACTION_PATTERN.test(a)) list.add(joinPath(joinPath(sp, "actions"), j), a, 'expected an IAM action "service:Action", e.g. "ecr:PutImage" (wildcards * and ? allowed)');
    });
    if (!s.resources || s.resources.length === 0) list.add(joinPath(sp, "resources"), s.resources, 'expected at least one resource ARN, e.g. ["arn:aws:s3:::my-bucket/*"]');
    (s.resources ?? []).forEach((r, j) => {
      // A Terraform reference (`${bucket.arn}/*`) is checked by IAM at apply; only literals here.
      if (r !== "*" && !isToken(r) && !/^arn:[^:]+:[^:]*:[^:]*:[^:]*:.+$/.test(r)) list.add(joinPath(joinPath(sp, "resources"), j), r, 'expected "*" or an ARN, e.g. "arn:aws:s3:::my-bucket/*"');
    });
  });
}
