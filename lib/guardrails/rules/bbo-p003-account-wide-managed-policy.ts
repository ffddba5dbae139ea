import { ARN_PARTITION_SOURCE } from "../../iam/partition";
import { Finding, GuardedRole, GuardrailRule } from "../rule";

/** AWS managed policies that reach every resource of their services in the account. */
const ACCOUNT_WIDE = new RegExp(
  String.raw`^arn:${ARN_PARTITION_SOURCE}:iam::aws:policy/(?:job-function/)?(AdministratorAccess|PowerUserAccess|ReadOnlyAccess|ViewOnlyAccess|SecurityAudit|IAMFullAccess|[A-Za-z0-9]*FullAccess)$`,
);

/**
 * BBO-P003: an AWS managed policy such as `PowerUserAccess`, `ReadOnlyAccess` or any `*FullAccess`
 * reaches every resource of its services in the account, far beyond what one pipeline job touches.
 * A warning, not an error: attaching one is sometimes the honest choice (a Terraform plan of stacks
 * this project does not know), but a reviewer must see it at every synth. `grants.terraformPlan.managedPolicy`
 * acknowledges it for the role it names, since that key is itself the opt-in.
 */
export const accountWideManagedPolicy: GuardrailRule = {
  id: "BBO-P003",
  title: "account-wide AWS managed policy attached",
  severity: "warning",
  check(role: GuardedRole): Finding[] {
    return role.managedPolicyArns.flatMap((arn) => {
      const m = ACCOUNT_WIDE.exec(arn);
      if (!m) return [];
      return [
        {
          message: `attaches the AWS managed policy ${JSON.stringify(arn)}, which reaches every resource of its services in the account`,
          fix: "give the role what its job needs instead (grants: ecrPush, terraformState, terraformPlan, s3Deploy, or statements on named ARNs); if it needs this policy, acknowledge BBO-P003 with a reason",
        },
      ];
    });
  },
};
