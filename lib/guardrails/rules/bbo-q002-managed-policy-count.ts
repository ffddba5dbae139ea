import { IAM_LIMITS } from "../../iam/iam-limits";
import { Finding, GuardedRole, GuardrailRule } from "../rule";

/** BBO-Q002: more managed policies attached than the account's quota (default 10). */
export const managedPolicyCount: GuardrailRule = {
  id: "BBO-Q002",
  title: "more managed policies than the configured quota",
  check(role: GuardedRole): Finding[] {
    const count = role.managedPolicyArns.length;
    if (count <= role.quotas.managedPoliciesPerRole) return [];
    return [
      {
        message: `${count} managed policies are attached, over the quota of ${role.quotas.managedPoliciesPerRole}`,
        fix: `merge policies, or raise the quota (up to ${IAM_LIMITS.managedPoliciesPerRoleMax}) and declare it under quotas.managedPoliciesPerRole`,
      },
    ];
  },
};
