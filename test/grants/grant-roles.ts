/**
 * Test support for grant proofs: synthesize a role with grants, read it back from cdk.tf.json with
 * references resolved, and ask iam-simulate about requests (every answer must come with no ignored
 * context key, and a simulator error fails the test).
 */
import { Grants } from "../../lib/grants";
import { evaluateAction } from "../../lib/evaluation/identity-evaluator";
import { IamPolicyDocument } from "../../lib/iam/policy-document";
import { baseConfig, synthConfig, Synthesized, UUIDS } from "../support/synth";
import { rolesFromTerraform, TerraformRole } from "../support/terraform-json";

export const ACCOUNT = "123456789012";

export interface GrantedRole {
  readonly role: TerraformRole;
  readonly out: Synthesized;
  /** The decision for one request: "Allowed", "ImplicitlyDenied" or "ExplicitlyDenied". */
  decide(action: string, resource: string, context?: Record<string, string>, extraPolicies?: Record<string, IamPolicyDocument>): Promise<string>;
}

/** KMS's default key policy: it lets the account's IAM policies decide (without it, IAM alone grants nothing). */
export function defaultKeyPolicy(accountId: string): IamPolicyDocument {
  return { Version: "2012-10-17", Statement: [{ Sid: "EnableIamUserPermissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" }] };
}

/** Synthesizes one role `bitbucket-job` with these grants; dispose `out` when done. */
export function synthGrants(grants: Grants, options: { accountId?: string; resolveAccount?: string } = {}): GrantedRole {
  const out = synthConfig(
    baseConfig({
      aws: { region: "us-east-1", ...(options.accountId === undefined ? {} : { accountId: options.accountId }) },
      roles: [{ name: "bitbucket-job", repositories: [{ uuid: UUIDS.repoA }], grants }],
    }),
  );
  const role = rolesFromTerraform(out.json(), { accountId: options.resolveAccount ?? options.accountId ?? ACCOUNT }).find((r) => r.name === "bitbucket-job");
  if (!role) throw new Error("role bitbucket-job not synthesized");
  return {
    role,
    out,
    async decide(action, resource, context, extraPolicies) {
      const decision = await evaluateAction(
        { ...role.inlinePolicies, ...extraPolicies },
        { principalArn: role.arn, action, resource, accountId: options.resolveAccount ?? ACCOUNT, context, resourcePolicy: action.startsWith("kms:") ? defaultKeyPolicy(options.resolveAccount ?? ACCOUNT) : undefined },
      );
      expect(decision.ignoredContextKeys).toEqual([]);
      return decision.result;
    },
  };
}

/** Asserts a decision for each `[action, resource, context?]`, reporting every mismatch at once. */
export async function expectDecisions(
  granted: GrantedRole,
  expected: string,
  requests: readonly (readonly [string, string, Record<string, string>?])[],
  extraPolicies?: Record<string, IamPolicyDocument>,
): Promise<void> {
  const wrong: string[] = [];
  for (const [action, resource, context] of requests) {
    const result = await granted.decide(action, resource, context, extraPolicies);
    if (result !== expected) wrong.push(`${action} on ${resource}${context ? ` ${JSON.stringify(context)}` : ""}: ${result}`);
  }
  expect(wrong).toEqual([]);
}
