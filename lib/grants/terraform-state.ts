/**
 * `terraformState`: what Terraform's S3 backend calls, at `plan` or `apply` level.
 * Source: developer.hashicorp.com/terraform/language/backend/s3 ("S3 Bucket Permissions",
 * "DynamoDB Table Permissions"; `<key>.tflock` for `use_lockfile`).
 */
import { ConditionBlock, IamStatement } from "../iam/policy-document";
import { joinPath, ProblemList } from "../core/problems";
import type { GrantContext, GrantKindDescriptor, GrantOutput } from "./grant-types";
import { checkBucket, checkDynamoDbTable, checkKmsKeyArn, checkObjectKey, checkPrefix, needsRegion } from "./resource-rules";

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

export const STATE_LIST_ACTIONS = ["s3:ListBucket"] as const;
export const STATE_READ_ACTIONS = ["s3:GetObject"] as const;
export const STATE_WRITE_ACTIONS = ["s3:PutObject"] as const;
export const LOCKFILE_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] as const;
export const LOCK_TABLE_ACTIONS = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"] as const;

export const DEFAULT_WORKSPACE_KEY_PREFIX = "env:";

/** Checks a state location; `path` is the grant's field path. */
export function checkStateLocation(grant: TerraformStateLocation, ctx: Pick<GrantContext, "region">, path: string, list: ProblemList): void {
  checkBucket(grant.bucket, joinPath(path, "bucket"), list);
  if ((grant.key === undefined) === (grant.prefix === undefined)) {
    list.add(path, { key: grant.key, prefix: grant.prefix }, 'expected exactly one of key (one state, e.g. "web-app/terraform.tfstate") and prefix (several, e.g. "team-a/")');
  }
  if (grant.key !== undefined) checkObjectKey(grant.key, joinPath(path, "key"), list);
  if (grant.prefix !== undefined) checkPrefix(grant.prefix, joinPath(path, "prefix"), list);
  if (grant.lockTable !== undefined) {
    checkDynamoDbTable(grant.lockTable, joinPath(path, "lockTable"), list);
    needsRegion(ctx.region, joinPath(path, "lockTable"), "DynamoDB table", list);
  }
  if (grant.useLockfile === false && grant.lockTable === undefined) {
    list.add(joinPath(path, "useLockfile"), false, "no locking at all: keep useLockfile (default true) or name the DynamoDB lockTable");
  }
  if (grant.kmsKeyArn !== undefined) checkKmsKeyArn(grant.kmsKeyArn, joinPath(path, "kmsKeyArn"), list);
  if (grant.listPrefixOnly !== undefined && typeof grant.listPrefixOnly !== "boolean") {
    list.add(joinPath(path, "listPrefixOnly"), grant.listPrefixOnly, "expected true (list only under the state key; the state object must exist before the first run) or false (default)");
  }
  const wkp = grant.workspaceKeyPrefix;
  if (wkp !== undefined && (typeof wkp !== "string" || wkp.length === 0 || wkp.includes("/") || /[*?]/.test(wkp))) {
    list.add(joinPath(path, "workspaceKeyPrefix"), wkp, 'expected the backend\'s workspace_key_prefix without "/", e.g. "env:"');
  }
}

export function checkTerraformState(grant: TerraformStateGrant, ctx: Pick<GrantContext, "region">, path: string, list: ProblemList): void {
  if (grant.level !== "plan" && grant.level !== "apply") list.add(joinPath(path, "level"), grant.level, 'expected "plan" (read and lock) or "apply" (also write the state)');
  checkStateLocation(grant, ctx, path, list);
}

/** The state object(s) as an S3 object ARN (a pattern for a prefix). */
export function stateObjectArn(location: TerraformStateLocation, ctx: Pick<GrantContext, "partition">): string {
  return `arn:${ctx.partition}:s3:::${location.bucket}/${location.key ?? `${location.prefix}*`}`;
}

/** The lock file(s) of `use_lockfile`. */
export function lockfileArn(location: TerraformStateLocation, ctx: Pick<GrantContext, "partition">): string {
  return `${stateObjectArn(location, ctx)}.tflock`;
}

/**
 * The condition of the state bucket's `s3:ListBucket`: none by default, so that S3 answers a
 * `HeadObject` of a missing state key with 404 (Terraform's "no state yet") rather than 403, which
 * stops the first `terraform init`. `listPrefixOnly` limits listing to the key (or prefix) and the
 * workspace prefix; the state object must then exist before the first run.
 */
function listCondition(location: TerraformStateLocation): { Condition?: ConditionBlock } {
  if (location.listPrefixOnly !== true) return {};
  const wkp = `${location.workspaceKeyPrefix ?? DEFAULT_WORKSPACE_KEY_PREFIX}/`;
  return {
    Condition: location.key !== undefined ? { StringEquals: { "s3:prefix": [location.key, wkp] } } : { StringLike: { "s3:prefix": [`${location.prefix}*`, wkp] } },
  };
}

/** The S3 and DynamoDB statements a level needs. */
export function stateStatements(location: TerraformStateLocation, level: "plan" | "apply", ctx: GrantContext): IamStatement[] {
  const statements: IamStatement[] = [
    { Sid: "StateList", Effect: "Allow", Action: STATE_LIST_ACTIONS[0], Resource: `arn:${ctx.partition}:s3:::${location.bucket}`, ...listCondition(location) },
    {
      Sid: level === "apply" ? "StateReadWrite" : "StateRead",
      Effect: "Allow",
      Action: level === "apply" ? [...STATE_READ_ACTIONS, ...STATE_WRITE_ACTIONS] : STATE_READ_ACTIONS[0],
      Resource: stateObjectArn(location, ctx),
    },
  ];
  const lockfile = location.useLockfile !== false;
  if (lockfile) statements.push({ Sid: "StateLockfile", Effect: "Allow", Action: [...LOCKFILE_ACTIONS], Resource: lockfileArn(location, ctx) });
  if (location.lockTable !== undefined) {
    statements.push({ Sid: "StateLockTable", Effect: "Allow", Action: [...LOCK_TABLE_ACTIONS], Resource: `arn:${ctx.partition}:dynamodb:${ctx.region}:${ctx.accountId}:table/${location.lockTable}` });
  }
  if (location.kmsKeyArn !== undefined) {
    const writes = level === "apply" || lockfile;
    statements.push({ Sid: "StateKms", Effect: "Allow", Action: writes ? ["kms:Decrypt", "kms:GenerateDataKey"] : "kms:Decrypt", Resource: location.kmsKeyArn });
  }
  return statements;
}

export function terraformStateStatements(grant: TerraformStateGrant, ctx: GrantContext): GrantOutput {
  return { statements: stateStatements(grant, grant.level, ctx), managedPolicyArns: [] };
}

/** The `terraformState` grant kind (registered in ./registry.ts). */
export const terraformState: GrantKindDescriptor<"terraformState", TerraformStateGrant> = { name: "terraformState", check: checkTerraformState, output: terraformStateStatements };
