import { createValidatedPolicy, validateTrustPolicy } from "@cloud-copilot/iam-policy";
import { runUnsafeSimulation } from "@cloud-copilot/iam-simulate";
import { partitionOfArn } from "../iam/partition";
import { IamPolicyDocument } from "../iam/policy-document";

/** What STS knows when a pipeline step calls AssumeRoleWithWebIdentity with a verified token. */
export interface WebIdentityRequest {
  /** The token's issuer host/path (without https://): names the provider and prefixes the condition keys. */
  readonly issuerHostPath: string;
  /** The token's `aud` claim. */
  readonly aud: string | readonly string[];
  /** The token's `sub` claim. */
  readonly sub: string;
  /** The caller's address, for `aws:SourceIp`. @default none: IP conditions cannot match */
  readonly sourceIp?: string;
  /** The account of the role being assumed (the provider lives there too). */
  readonly accountId: string;
  /** The ARN of the role being assumed; its partition is the provider's. */
  readonly roleArn: string;
}

/** The evaluator's answer: Allowed, or why not (ImplicitlyDenied, ExplicitlyDenied). */
export type TrustDecision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

/**
 * Evaluates a role's trust policy for one web-identity request with @cloud-copilot/iam-simulate, the
 * way STS does: the principal is the account's provider for the token's issuer, and the claims become
 * the condition keys `<issuer host/path>:aud` and `:sub`. The policy must be concrete (no Terraform
 * references left in it).
 */
export function evaluateTrust(trustPolicy: IamPolicyDocument, request: WebIdentityRequest): TrustDecision {
  const errors = validateTrustPolicy(trustPolicy);
  if (errors.length > 0) throw new Error(`trust policy is not valid IAM: ${errors.map((e) => e.message).join("; ")}`);
  const contextVariables: Record<string, string | string[]> = {
    [`${request.issuerHostPath}:aud`]: typeof request.aud === "string" ? request.aud : [...request.aud],
    [`${request.issuerHostPath}:sub`]: request.sub,
  };
  if (request.sourceIp) contextVariables["aws:SourceIp"] = request.sourceIp;
  // runSimulation would drop the provider-specific keys (it does not know them for this action);
  // the unsafe variant evaluates them, so the policy is validated above instead.
  const result = runUnsafeSimulation(
    {
      request: {
        principal: `arn:${partitionOfArn(request.roleArn) ?? "aws"}:iam::${request.accountId}:oidc-provider/${request.issuerHostPath}`,
        action: "sts:AssumeRoleWithWebIdentity",
        resource: { resource: request.roleArn, accountId: request.accountId },
        contextVariables,
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: createValidatedPolicy(trustPolicy, validateTrustPolicy, { name: "trust-policy" }),
    },
    {},
  );
  if (result !== "Allowed" && result !== "ImplicitlyDenied" && result !== "ExplicitlyDenied") {
    throw new Error(`unexpected evaluation result ${JSON.stringify(result)}`);
  }
  return result;
}
