import { allowsWebIdentity, claimConditions, Finding, GuardedRole, GuardrailRule } from "../rule";

const CHECKING_OPERATORS = new Set(["stringequals", "stringlike"]);

/**
 * BBO-T001: every statement that lets a web identity in must pin `aud` with StringEquals, and no
 * statement may use `ForAllValues:` on `aud` or `sub` (true when the key is missing).
 */
export const audienceCheck: GuardrailRule = {
  id: "BBO-T001",
  title: "trust statement without an aud check, or ForAllValues on aud/sub",
  check(role: GuardedRole): Finding[] {
    const findings: Finding[] = [];
    role.trustStatements.forEach((statement, i) => {
      if (!allowsWebIdentity(statement)) return;
      for (const claim of ["aud", "sub"] as const) {
        for (const { operator } of claimConditions(statement, role.issuers, claim)) {
          if (operator.toLowerCase().startsWith("forallvalues:")) {
            findings.push({
              message: `trust statement ${i} tests ${claim} with "${operator}", which is true when the token has no ${claim} at all`,
              fix: `use "${operator.slice("ForAllValues:".length)}" without the ForAllValues: qualifier (${claim} is a single-valued key)`,
            });
          }
        }
      }
      const checked = claimConditions(statement, role.issuers, "aud").some(
        ({ operator, values }) => CHECKING_OPERATORS.has(operator.toLowerCase()) && values.length > 0 && values.every((v) => !/[*?]/.test(v)),
      );
      if (!checked) {
        findings.push({
          message: `trust statement ${i} does not pin the token's audience (no StringEquals on "${role.issuers[0]}:aud")`,
          fix: `add "Condition": { "StringEquals": { "${role.issuers[0]}:aud": "ari:cloud:bitbucket::workspace/<workspace UUID>" } }`,
        });
      }
    });
    return findings;
  },
};
