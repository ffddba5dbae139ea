import { ARN_PARTITION_SOURCE } from "../../iam/partition";
import { asList, Finding, GuardedRole, GuardrailRule } from "../rule";

/** AWS's AdministratorAccess, whose one statement is `Allow "*" on "*"`: attaching it is the same as writing that. */
const ADMINISTRATOR_ACCESS = new RegExp(String.raw`^arn:${ARN_PARTITION_SOURCE}:iam::aws:policy/AdministratorAccess$`);

/**
 * BBO-P002: an Allow of `*` or of a whole service (`s3:*`) on `Resource: "*"` (or on every resource
 * but a few, `NotResource`) gives a pipeline far more than it needs, and so does attaching AWS's
 * `AdministratorAccess`, which is exactly `*` on `*`. Allowed only when acknowledged per role with a
 * written reason.
 */
export const wildcardAdmin: GuardrailRule = {
  id: "BBO-P002",
  title: 'Action "*" or a service-wide wildcard on Resource "*"',
  check(role: GuardedRole): Finding[] {
    const findings: Finding[] = [];
    const fix = "list the actions the pipeline calls and the ARNs it touches; if the role really needs this, acknowledge BBO-P002 with a reason";
    for (const policy of role.policies) {
      (policy.statements ?? []).forEach((statement, i) => {
        if (statement.Effect !== "Allow") return;
        const everywhere = asList(statement.Resource).includes("*") || statement.NotResource !== undefined;
        if (!everywhere) return;
        const wide = asList(statement.Action).filter((a) => a === "*" || /^[^:]+:\*$/.test(a));
        if (statement.NotAction !== undefined) wide.push(`NotAction ${JSON.stringify(statement.NotAction)}`);
        if (wide.length > 0) {
          const where = statement.NotResource === undefined ? "every resource" : `every resource but NotResource ${JSON.stringify(statement.NotResource)}`;
          findings.push({ message: `policy ${JSON.stringify(policy.name)} statement ${i} allows ${wide.map((a) => JSON.stringify(a)).join(", ")} on ${where}`, fix });
        }
      });
    }
    for (const arn of role.managedPolicyArns.filter((a) => ADMINISTRATOR_ACCESS.test(a))) {
      findings.push({ message: `attaches ${JSON.stringify(arn)}, which allows "*" on every resource`, fix });
    }
    return findings;
  },
};
