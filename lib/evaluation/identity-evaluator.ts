import { runSimulation } from "@cloud-copilot/iam-simulate";
import { IamPolicyDocument } from "../iam/policy-document";

/** One API call a role's session makes. */
export interface ActionRequest {
  /** The role's ARN (the session's principal). */
  readonly principalArn: string;
  /** e.g. `ecr:PutImage`. */
  readonly action: string;
  /** The resource ARN, e.g. `arn:aws:ecr:us-east-1:123456789012:repository/web-app`; `*` for actions without resources. */
  readonly resource: string;
  /** The account that owns the resource. */
  readonly accountId: string;
  /** Request context, e.g. `{ "s3:prefix": "env/" }`. @default none */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  /**
   * The resource's own policy, e.g. a KMS key policy (KMS needs one that delegates to IAM). @default none
   */
  readonly resourcePolicy?: IamPolicyDocument;
}

/** The evaluator's answer and the context keys it ignored (a test should insist on none). */
export interface ActionDecision {
  readonly result: string;
  readonly ignoredContextKeys: readonly string[];
}

/**
 * Evaluates a role's identity policies (and an optional permissions boundary) for one request with
 * @cloud-copilot/iam-simulate's validated simulation. Throws when the simulator cannot run the request
 * (unknown action, malformed ARN, invalid policy), so that a typo never passes as a denial.
 */
export async function evaluateAction(
  policies: Readonly<Record<string, IamPolicyDocument>>,
  request: ActionRequest,
  permissionsBoundary?: IamPolicyDocument,
): Promise<ActionDecision> {
  const contextVariables: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(request.context ?? {})) contextVariables[key] = typeof value === "string" ? value : [...value];
  const outcome = await runSimulation(
    {
      request: {
        principal: request.principalArn,
        action: request.action,
        resource: { resource: request.resource, accountId: request.accountId },
        contextVariables,
      },
      identityPolicies: Object.entries(policies).map(([name, policy]) => ({ name, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: request.resourcePolicy,
      permissionBoundaryPolicies: permissionsBoundary ? [{ name: "boundary", policy: permissionsBoundary }] : undefined,
    },
    {},
  );
  if (outcome.resultType === "error") throw new Error(`simulation of ${request.action} on ${request.resource} failed: ${JSON.stringify(outcome.errors)}`);
  if (outcome.resultType === "single") {
    return { result: outcome.overallResult, ignoredContextKeys: outcome.result.ignoredContextKeys ?? [] };
  }
  return { result: outcome.overallResult, ignoredContextKeys: outcome.results.flatMap((r) => r.ignoredContextKeys ?? []) };
}
