/**
 * `terraformPlan`: the "Terraform plan" step: state at `plan` level, plus read access to what the
 * Terraform manages: this project's provider and roles, or a named AWS managed policy (opt-in) with
 * an explicit Deny on every S3 object but the role's own state.
 */
import { IAM_POLICY_ARN_PATTERN } from "../iam/arn";
import { IamStatement } from "../iam/policy-document";
import { joinPath, ProblemList } from "../core/problems";
import type { GrantContext, GrantKindDescriptor, GrantOutput } from "./grant-types";
import type { TerraformStateLocation } from "./terraform-state";
import { isToken } from "../core/tokens";
import { checkBucket, checkList } from "./resource-rules";
import { checkStateLocation, lockfileArn, stateObjectArn, stateStatements } from "./terraform-state";

/**
 * `terraformPlan`: the "Terraform plan" step: state at `plan` level plus read access to what the
 * Terraform manages.
 * @example { bucket: "acme-terraform-state", key: "bitbucket-oidc/terraform.tfstate" }
 */
export interface TerraformPlanGrant extends TerraformStateLocation {
  /**
   * An AWS managed policy for reading what other stacks manage, by name or ARN: a visible opt-in,
   * reported at synth. An explicit Deny then keeps the role out of every S3 object but its own state
   * (and `readObjectsIn`).
   * @default none: the IAM read actions on this project's provider and roles
   * @example "ReadOnlyAccess"
   */
  readonly managedPolicy?: string;
  /** Buckets whose objects the plan may still read despite that Deny (e.g. for aws_s3_object). @default none */
  readonly readObjectsIn?: readonly string[];
}

/** What the AWS provider reads to refresh this project's stack (aws_iam_openid_connect_provider). */
export const PROVIDER_READ_ACTIONS = ["iam:GetOpenIDConnectProvider"] as const;
/** ... and its roles with their exclusive inline policies and attachments. */
export const ROLE_READ_ACTIONS = ["iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"] as const;
/** Object reads that a managed policy such as ReadOnlyAccess allows (`s3:Get*`) and the Deny takes back. */
export const STATE_CONTENT_READ_ACTIONS = ["s3:GetObject*"] as const;

const MANAGED_POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
/** AWS managed policies that write: a plan role with one could write (or delete) any state, its own included. */
const WRITING_AWS_POLICY = /^(?:arn:aws(?:-[a-z]+)*:iam::aws:policy\/(?:job-function\/)?)?(AdministratorAccess|PowerUserAccess|[A-Za-z0-9]*FullAccess)$/;

/** AWS managed policies for job functions, which live under the path /job-function/ (ViewOnlyAccess among them). */
const JOB_FUNCTION_POLICIES = new Set(["Billing", "DataScientist", "DatabaseAdministrator", "NetworkAdministrator", "SupportUser", "SystemAdministrator", "ViewOnlyAccess"]);

/**
 * The managed policy's ARN: a bare name is an AWS managed policy of the partition
 * (`arn:<partition>:iam::aws:policy/<name>`, or `.../policy/job-function/<name>` for the job-function
 * policies such as ViewOnlyAccess).
 */
export function managedPolicyArn(nameOrArn: string, partition: string): string {
  if (nameOrArn.startsWith("arn:") || isToken(nameOrArn)) return nameOrArn;
  return `arn:${partition}:iam::aws:policy/${JOB_FUNCTION_POLICIES.has(nameOrArn) ? "job-function/" : ""}${nameOrArn}`;
}

export function checkTerraformPlan(grant: TerraformPlanGrant, ctx: Pick<GrantContext, "region">, path: string, list: ProblemList): void {
  checkStateLocation(grant, ctx, path, list);
  const policy = grant.managedPolicy;
  if (isToken(policy)) {
    // A reference to a policy (e.g. `policy.arn`): its ARN is known at plan time.
  } else if (policy !== undefined && !(typeof policy === "string" && (MANAGED_POLICY_NAME.test(policy) || IAM_POLICY_ARN_PATTERN.test(policy)))) {
    list.add(joinPath(path, "managedPolicy"), policy, 'expected an AWS managed policy name or a policy ARN, e.g. "ReadOnlyAccess"');
  } else if (typeof policy === "string" && WRITING_AWS_POLICY.test(policy)) {
    list.add(
      joinPath(path, "managedPolicy"),
      policy,
      `terraformPlan is read-only, but ${WRITING_AWS_POLICY.exec(policy)![1]} writes (it could change or delete any state, this one included): name a read-only policy such as "ReadOnlyAccess" or "ViewOnlyAccess"; a role that applies takes terraformState (level: apply) and managedPolicyArns, which BBO-P003 reports`,
    );
  }
  if (grant.readObjectsIn !== undefined) {
    if (policy === undefined) list.add(joinPath(path, "readObjectsIn"), grant.readObjectsIn, "only takes effect with managedPolicy; remove it");
    checkList(grant.readObjectsIn, joinPath(path, "readObjectsIn"), list, checkBucket, '["acme-assets"]');
    if (Array.isArray(grant.readObjectsIn) && grant.readObjectsIn.includes(grant.bucket)) {
      list.add(joinPath(path, "readObjectsIn"), grant.bucket, "the state bucket itself cannot be opened: the Deny exists to keep other states out of reach");
    }
  }
}

export function terraformPlanStatements(grant: TerraformPlanGrant, ctx: GrantContext): GrantOutput {
  const statements: IamStatement[] = stateStatements(grant, "plan", ctx);
  if (grant.managedPolicy === undefined) {
    statements.push({ Sid: "PlanReadProvider", Effect: "Allow", Action: PROVIDER_READ_ACTIONS[0], Resource: ctx.oidcProviderArn });
    if (ctx.roleArns.length > 0) {
      statements.push({ Sid: "PlanReadRoles", Effect: "Allow", Action: [...ROLE_READ_ACTIONS], Resource: ctx.roleArns.length === 1 ? ctx.roleArns[0] : [...ctx.roleArns] });
    }
    return { statements, managedPolicyArns: [] };
  }
  statements.push({
    Sid: "PlanNoOtherStateObjects",
    Effect: "Deny",
    Action: STATE_CONTENT_READ_ACTIONS[0],
    NotResource: [stateObjectArn(grant, ctx), lockfileArn(grant, ctx), ...(grant.readObjectsIn ?? []).map((b) => `arn:${ctx.partition}:s3:::${b}/*`)],
  });
  return { statements, managedPolicyArns: [managedPolicyArn(grant.managedPolicy, ctx.partition)] };
}

/** The `terraformPlan` grant kind (registered in ./registry.ts). */
export const terraformPlan: GrantKindDescriptor<"terraformPlan", TerraformPlanGrant> = { name: "terraformPlan", check: checkTerraformPlan, output: terraformPlanStatements };
