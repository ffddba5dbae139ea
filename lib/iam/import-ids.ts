/**
 * Terraform import ids of the AWS provider's IAM resources, as its documentation gives them:
 * `aws_iam_role` and both exclusive-policy resources by role name, `aws_iam_role_policy` by
 * `role:policy`, `aws_iam_role_policy_attachment` by `role/policy-arn`, and
 * `aws_iam_openid_connect_provider` by its ARN.
 */
export interface RoleImportIds {
  /** `aws_iam_role`, `aws_iam_role_policies_exclusive`, `aws_iam_role_policy_attachments_exclusive`. */
  readonly role: string;
  /** `aws_iam_role_policy`, in the order of the policy names given. */
  readonly inlinePolicies: readonly string[];
  /** `aws_iam_role_policy_attachment`, in the order of the ARNs given. */
  readonly attachments: readonly string[];
}

/** The import ids of a role and everything it owns. */
export function adoptionImportIds(roleName: string, inlinePolicyNames: readonly string[], managedPolicyArns: readonly string[]): RoleImportIds {
  return {
    role: roleName,
    inlinePolicies: inlinePolicyNames.map((name) => `${roleName}:${name}`),
    attachments: managedPolicyArns.map((arn) => `${roleName}/${arn}`),
  };
}
