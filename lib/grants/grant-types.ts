import { IamStatement, PolicyStatementProps } from "../iam/policy-document";

/**
 * `ecrPush`: what `docker push` and the `atlassian/aws-ecr-push-image` pipe need.
 * @example { repositories: ["mydockerimage"] }
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html
 */
export interface EcrPushGrant {
  /** ECR repository names (not ARNs) in the stack's account and region. @example ["mydockerimage"] */
  readonly repositories: readonly string[];
  /** Only pull (`docker pull`): no upload or PutImage. @default false */
  readonly pullOnly?: boolean;
  /** Also allow `ecr:CreateRepository` (and `ecr:DescribeRepositories`) for the named repositories. @default false */
  readonly createRepositories?: boolean;
  /**
   * The repositories use immutable tags: explicitly deny `ecr:PutImageTagMutability` on them, so the
   * pipeline (even with a wider managed policy) cannot switch tags back to mutable.
   * @default false
   */
  readonly immutableTags?: boolean;
}

/**
 * Where a Terraform state lives and how it is locked (shared by `terraformState` and `terraformPlan`).
 * @example { bucket: "acme-terraform-state", key: "web-app/terraform.tfstate" }
 */
export interface TerraformStateLocation {
  /** The state bucket. @example "acme-terraform-state" */
  readonly bucket: string;
  /** The state object key (the backend's `key`); give `key` or `prefix`. @example "web-app/terraform.tfstate" */
  readonly key?: string;
  /** A key prefix ending in "/" covering several states; give `key` or `prefix`. @example "team-a/" */
  readonly prefix?: string;
  /** Locking through `<key>.tflock` (the backend's `use_lockfile`). @default true */
  readonly useLockfile?: boolean;
  /** DynamoDB lock table name (the backend's `dynamodb_table`), in the stack's region. @default none */
  readonly lockTable?: string;
  /**
   * KMS key ARN of an SSE-KMS encrypted bucket (an alias does not work in a policy).
   * @default none
   * @example "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-44cd-96ef-1234567890ab"
   */
  readonly kmsKeyArn?: string;
  /** The backend's `workspace_key_prefix`, listed by `terraform init`. @default "env:" */
  readonly workspaceKeyPrefix?: string;
  /**
   * Opt-in: allow `s3:ListBucket` only under an `s3:prefix` condition (the key or prefix, and the
   * workspace prefix). Trade-off: the state object must exist before the first `terraform init`,
   * because S3 answers a `HeadObject` of a missing key with 403 instead of 404 when the caller may not
   * list the bucket unconditionally, and Terraform stops on 403. By default the role may list the whole
   * state bucket: that reveals key names, never contents.
   * @default false
   * @example true
   */
  readonly listPrefixOnly?: boolean;
}

/**
 * `terraformState`: the S3 backend's needs at `plan` (read, lock) or `apply` (also write) level.
 * @example { level: "apply", bucket: "acme-terraform-state", key: "web-app/terraform.tfstate" }
 */
export interface TerraformStateGrant extends TerraformStateLocation {
  /** `plan`: list, read, lock; `apply`: also write the state. */
  readonly level: "plan" | "apply";
}

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

/**
 * `s3Deploy`: `aws s3 sync` of a site to a bucket (or prefix), optionally invalidating one CloudFront distribution.
 * @example { bucket: "acme-site", cloudFrontDistributionId: "E2QWRUHAPOMQZL" }
 */
export interface S3DeployGrant {
  /** The site bucket. @example "acme-site" */
  readonly bucket: string;
  /** Only under this prefix, ending in "/". @default the whole bucket @example "docs/" */
  readonly prefix?: string;
  /** Allow deleting objects (`aws s3 sync --delete`). @default true */
  readonly delete?: boolean;
  /** A CloudFront distribution to invalidate after the sync. @default none @example "E2QWRUHAPOMQZL" */
  readonly cloudFrontDistributionId?: string;
}

/**
 * Permission grants of a role, one per kind. Each becomes an inline policy `grant-<kind>`.
 * @example { ecrPush: { repositories: ["mydockerimage"] } }
 */
export interface Grants {
  /** @default none */
  readonly ecrPush?: EcrPushGrant;
  /** @default none */
  readonly terraformState?: TerraformStateGrant;
  /** @default none */
  readonly terraformPlan?: TerraformPlanGrant;
  /** @default none */
  readonly s3Deploy?: S3DeployGrant;
  /** Free-form statements for everything else; every action name is checked. @default none */
  readonly statements?: readonly PolicyStatementProps[];
}

/** The grant kinds, in the order their policies are written. */
export const GRANT_KINDS = ["ecrPush", "terraformState", "terraformPlan", "s3Deploy", "statements"] as const;
/** One grant kind, e.g. "ecrPush"; its inline policy is `grant-<kind in kebab case>`. */
export type GrantKind = (typeof GRANT_KINDS)[number];

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
  readonly statements: readonly IamStatement[];
  readonly managedPolicyArns: readonly string[];
}

/** Stands in for an account id not known at synth while grants are checked and sized (12 digits, as IAM counts). */
export const PLACEHOLDER_ACCOUNT = "000000000000";
