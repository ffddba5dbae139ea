import { LONGEST_PARTITION } from "../../iam/partition";
import { IAM_LIMITS, iamPolicySize } from "../../iam/iam-limits";
import { Finding, GuardedRole, GuardrailRule } from "../rule";

/** IAM's quota for one customer managed policy document (non-whitespace characters). */
const MANAGED_POLICY_SIZE = 6144;

/**
 * BBO-Q001: a trust policy over the account's quota, inline policies over 10,240 characters in
 * total, or a managed policy over 6,144 characters: Terraform would fail at apply with LimitExceeded.
 */
export const policySize: GuardrailRule = {
  id: "BBO-Q001",
  title: "policy over IAM's size quotas",
  check(role: GuardedRole): Finding[] {
    const findings: Finding[] = [];
    const trust = iamPolicySize(worstCase(role.trustPolicyText, role.issuers[0], role.partition ?? LONGEST_PARTITION));
    if (trust > role.quotas.trustPolicySize) {
      findings.push({
        message: `the trust policy is ${trust} characters, over the quota of ${role.quotas.trustPolicySize}`,
        fix: `split the repositories over several roles, or raise the quota (up to ${IAM_LIMITS.trustPolicySizeMax}) and declare it under quotas.trustPolicySize`,
      });
    }
    const inline = role.policies.filter((p) => p.kind === "inline").reduce((sum, p) => sum + iamPolicySize(p.text), 0);
    if (inline > IAM_LIMITS.inlinePoliciesTotalSize) {
      findings.push({
        message: `the inline policies total ${inline} characters, over IAM's limit of ${IAM_LIMITS.inlinePoliciesTotalSize}`,
        fix: "move statements into a managed policy, or split the role",
      });
    }
    for (const policy of role.policies.filter((p) => p.kind === "managed")) {
      const size = iamPolicySize(policy.text);
      if (size > MANAGED_POLICY_SIZE) {
        findings.push({ message: `managed policy ${JSON.stringify(policy.name)} is ${size} characters, over IAM's limit of ${MANAGED_POLICY_SIZE}`, fix: "split it into several managed policies" });
      }
    }
    return findings;
  },
};

/**
 * Counts a reference to the provider's ARN (to the resource, or any reference in the Federated
 * principal: a data source, a variable) at the ARN's full length in the role's partition, as IAM will see it.
 */
function worstCase(text: string, issuer: string | undefined, partition: string): string {
  const arn = `arn:${partition}:iam::123456789012:oidc-provider/${issuer ?? ""}`;
  return text
    .replace(/\$\{aws_iam_openid_connect_provider\.[^}]+\.arn\}/g, arn)
    .replace(/("Federated"\s*:\s*")\$\{[^}"]+\}(")/g, (_, open: string, close: string) => `${open}${arn}${close}`);
}
