import { asList, Finding, GuardedRole, GuardrailRule } from "../rule";

/**
 * BBO-P002: an Allow of `*` or of a whole service (`s3:*`) on `Resource: "*"` gives a pipeline far
 * more than it needs. Allowed only when acknowledged per role with a written reason.
 */
export const wildcardAdmin: GuardrailRule = {
  id: "BBO-P002",
  title: 'Action "*" or a service-wide wildcard on Resource "*"',
  check(role: GuardedRole): Finding[] {
    const findings: Finding[] = [];
    for (const policy of role.policies) {
      (policy.statements ?? []).forEach((statement, i) => {
        if (statement.Effect !== "Allow" || !asList(statement.Resource).includes("*")) return;
        const wide = asList(statement.Action).filter((a) => a === "*" || /^[^:]+:\*$/.test(a));
        if (statement.NotAction !== undefined) wide.push(`NotAction ${JSON.stringify(statement.NotAction)}`);
        if (wide.length > 0) {
          findings.push({
            message: `policy ${JSON.stringify(policy.name)} statement ${i} allows ${wide.map((a) => JSON.stringify(a)).join(", ")} on every resource`,
            fix: "list the actions the pipeline calls and the ARNs it touches; if the role really needs this, acknowledge BBO-P002 with a reason",
          });
        }
      });
    }
    return findings;
  },
};
