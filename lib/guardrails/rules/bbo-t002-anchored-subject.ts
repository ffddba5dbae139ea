import { allowsWebIdentity, claimConditions, Finding, GuardedRole, GuardrailRule } from "../rule";

/** `{<repository uuid>}:` at the start: the pattern can only match steps of that repository. */
const ANCHORED = /^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}:/;
const POSITIVE_OPERATORS = new Set(["stringequals", "stringlike", "foranyvalue:stringequals", "foranyvalue:stringlike"]);

/**
 * BBO-T002: every statement that lets a web identity in must test `sub` against patterns that start
 * with a repository UUID, `{<uuid>}:`. `*`, `{*}:*` or a bare prefix lets other repositories in.
 */
export const anchoredSubject: GuardrailRule = {
  id: "BBO-T002",
  title: "sub pattern not anchored to a repository UUID",
  check(role: GuardedRole): Finding[] {
    const findings: Finding[] = [];
    const fix = 'match "{<repository UUID>}:*" (every step of the repository) or "{<repository UUID>}:{<environment UUID>}:*" (one deployment environment)';
    role.trustStatements.forEach((statement, i) => {
      if (!allowsWebIdentity(statement)) return;
      const subs = claimConditions(statement, role.issuers, "sub").filter(({ operator }) => POSITIVE_OPERATORS.has(operator.toLowerCase()));
      if (subs.length === 0) {
        findings.push({
          message: `trust statement ${i} has no sub condition: every repository and pull-request pipeline of the workspace can assume the role`,
          fix: `add "StringLike": { "${role.issuers[0]}:sub": ... } and ${fix}`,
        });
        return;
      }
      for (const value of subs.flatMap((s) => s.values)) {
        if (!ANCHORED.test(value)) {
          findings.push({
            message: `trust statement ${i} accepts sub ${JSON.stringify(value)}, which is not anchored to one repository UUID`,
            fix: value === "{*}:*" ? `${fix}; to trust every repository on purpose, use anyRepositoryInWorkspace: true or acknowledge BBO-T002 with a reason` : fix,
          });
        }
      }
    });
    return findings;
  },
};
