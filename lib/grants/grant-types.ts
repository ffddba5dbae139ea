/**
 * Types every grant kind shares. The kinds themselves are registered in `./registry.ts`
 * (`GRANT_REGISTRY`): adding a kind is one file exporting a {@link GrantKindDescriptor} plus its line
 * there; {@link Grants} and {@link GrantKind} follow from that list.
 */
import type { ProblemList } from "../core/problems";
import type { IamStatement } from "../iam/policy-document";
import type { GRANT_REGISTRY } from "./registry";

export type { EcrPushGrant } from "./ecr-push";
export type { S3DeployGrant } from "./s3-deploy";
export type { TerraformPlanGrant } from "./terraform-plan";
export type { TerraformStateGrant, TerraformStateLocation } from "./terraform-state";

/**
 * One grant kind: its key under `grants`, its checks and the statements it writes.
 * @typeParam Name the key under `grants`, e.g. "ecrPush"
 * @typeParam Options the grant's options type, e.g. `EcrPushGrant`
 * @example see lib/grants/ecr-push.ts
 */
export interface GrantKindDescriptor<Name extends string, Options> {
  /** The key under `grants` (camelCase); its inline policy is `grant-<name in kebab case>`. @example "ecrPush" */
  readonly name: Name;
  /** Adds every problem of `options` to `list`, each with its field path under `path` (the grant's own path). */
  check(options: Options, ctx: GrantContext, path: string, list: ProblemList): void;
  /** The statements and managed policies the grant adds to a role (called only on options `check` accepted). */
  output(options: Options, ctx: GrantContext): GrantOutput;
}

/**
 * The options type of a grant kind's descriptor.
 * @typeParam D a {@link GrantKindDescriptor}
 */
export type GrantOptionsOf<D> = D extends GrantKindDescriptor<string, infer Options> ? Options : never;

/** One grant kind, e.g. "ecrPush"; its inline policy is `grant-<kind in kebab case>`. */
export type GrantKind = (typeof GRANT_REGISTRY)[number]["name"];

/**
 * Permission grants of a role, one per kind (each optional, default none), keyed by the kind's name;
 * each options type is documented with its kind (`EcrPushGrant`, `TerraformStateGrant`,
 * `TerraformPlanGrant`, `S3DeployGrant`; `statements` takes free-form statements, every action
 * name checked). Each grant becomes an inline policy `grant-<kind>`.
 * @example { ecrPush: { repositories: ["mydockerimage"] } }
 */
export type Grants = { readonly [D in (typeof GRANT_REGISTRY)[number] as D["name"]]?: GrantOptionsOf<D> };

/** What grants need to know about where the role lives, to write ARNs. */
export interface GrantContext {
  /** Region of ECR repositories and DynamoDB lock tables; undefined when unknown (a problem if needed). */
  readonly region?: string;
  /**
   * The partition every ARN starts with (`aws`, `aws-cn`, `aws-us-gov`): literal, from the region, or a
   * Terraform reference to `data.aws_partition`.
   */
  readonly partition: string;
  /** The account id: literal, or a Terraform reference to `data.aws_caller_identity`. */
  readonly accountId: string;
  /** The workspace's OIDC provider ARN (literal or reference): what `terraformPlan` reads by default. */
  readonly oidcProviderArn: string;
  /** The roles of the stack (ARNs): what `terraformPlan` reads by default. */
  readonly roleArns: readonly string[];
}

/** What one grant adds to a role. */
export interface GrantOutput {
  /** The statements, in IAM's shape; they become the inline policy `grant-<kind>`. */
  readonly statements: readonly IamStatement[];
  /** Managed policies the grant attaches (a visible opt-in, e.g. `terraformPlan.managedPolicy`). */
  readonly managedPolicyArns: readonly string[];
}

/** Stands in for an account id not known at synth while grants are checked and sized (12 digits, as IAM counts). */
export const PLACEHOLDER_ACCOUNT = "000000000000";
