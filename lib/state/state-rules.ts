/**
 * Rules for Terraform's S3 state backend and its bucket, shared by the config validation and the
 * TypeScript API (`S3StateBackend`, `TerraformStateBucket`), so both report the same problems.
 */
import { KMS_KEY_PATTERN } from "../iam/kms";
import { joinPath, ProblemList } from "../core/problems";

/** Endpoints for S3-compatible stores (MinIO, Ceph, LocalStack) or VPC endpoints. */
export interface S3StateEndpoints {
  /** S3 endpoint URL. @default AWS's @example "http://127.0.0.1:4569" */
  readonly s3?: string;
  /** DynamoDB endpoint URL, for `dynamodbTable` locking. @default AWS's @example "http://127.0.0.1:4567" */
  readonly dynamodb?: string;
  /** STS endpoint URL (credential validation, `assumeRoleArn`). @default AWS's */
  readonly sts?: string;
  /** IAM endpoint URL. @default AWS's */
  readonly iam?: string;
}

/**
 * Where and how Terraform keeps the state: the backend options, camelCase, as the config's `state:`
 * section and the TypeScript API take them.
 * @example { bucket: "acme-terraform-state", region: "us-east-1" }
 */
export interface S3StateOptions {
  /** State bucket name. @example "acme-terraform-state" */
  readonly bucket: string;
  /** State object key. @default "<stack>/terraform.tfstate" @example "bitbucket-oidc/terraform.tfstate" */
  readonly key?: string;
  /** Region of the bucket. @example "us-east-1" */
  readonly region: string;
  /** Server-side encryption of the state object. @default true */
  readonly encrypt?: boolean;
  /**
   * KMS key for the state object (and the bootstrap bucket's default encryption): a key or alias ARN,
   * or `alias/<name>`. @default none (SSE-S3) @example "alias/terraform-state"
   */
  readonly kmsKeyId?: string;
  /** S3-native locking with a `.tflock` object (Terraform >= 1.11). @default true */
  readonly useLockfile?: boolean;
  /**
   * DynamoDB table for locking (hash key `LockID`, string). With `useLockfile` too, Terraform takes
   * both locks: the documented migration path from DynamoDB locking. @default none
   * @example "terraform-locks"
   */
  readonly dynamodbTable?: string;
  /** Key prefix of non-default workspaces. @default "env:" @example "workspaces" */
  readonly workspaceKeyPrefix?: string;
  /** Endpoints of an S3-compatible store. @default AWS's */
  readonly endpoints?: S3StateEndpoints;
  /** Path-style URLs (`<endpoint>/<bucket>/<key>`), as most S3-compatible stores need. @default false */
  readonly usePathStyle?: boolean;
  /**
   * Role Terraform assumes to read and write the state, emitted as `assume_role { role_arn }`.
   * @default none (the caller's credentials) @example "arn:aws:iam::111122223333:role/terraform-state"
   */
  readonly assumeRoleArn?: string;
}

/** S3's bucket naming rules (general purpose buckets). */
export const S3_BUCKET_PATTERN = /^(?!xn--)(?!sthree-)(?!amzn-s3-demo-)(?!.*-s3alias$)(?!.*--ol-s3$)(?!.*--x-s3$)(?!\d+\.\d+\.\d+\.\d+$)(?!.*\.\.)(?!.*\.-)(?!.*-\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
export const S3_BUCKET_EXPECTED =
  'an S3 bucket name: 3-63 characters of lower-case letters, digits, "." and "-", starting and ending with a letter or digit, not an IP address, e.g. "acme-terraform-state"';

/** A KMS key ARN, a key alias ARN, or `alias/<name>`, as Terraform's S3 backend checks them (see lib/iam/kms.ts). */
export { KMS_KEY_PATTERN };
export const KMS_KEY_EXPECTED =
  'a KMS key ARN ("arn:aws:kms:us-east-1:123456789012:key/<key id>"), an alias ARN, or "alias/<name>" (letters, digits, "/", "_", "-"), e.g. "alias/terraform-state"';

/** An IAM role ARN. */
export const ROLE_ARN_PATTERN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/(?:[\x21-\x7e]*\/)?[\w+=,.@-]{1,64}$/;
export const ROLE_ARN_EXPECTED = 'an IAM role ARN, e.g. "arn:aws:iam::123456789012:role/terraform-state"';

/** DynamoDB table names. */
export const DYNAMODB_TABLE_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;
export const DYNAMODB_TABLE_EXPECTED = 'a DynamoDB table name: 3-255 letters, digits, "_", "-" or ".", e.g. "terraform-locks"';

const ENDPOINT_NAMES: readonly (keyof S3StateEndpoints)[] = ["s3", "dynamodb", "sts", "iam"];

/** The warning for state without a lock (a choice the output shows, not an error). */
export const NO_LOCK_WARNING =
  "state without a lock: two pipelines applying at once can overwrite each other's changes; keep useLockfile: true, or name a dynamodbTable";

/** True when the options take no lock at all. */
export function isUnlocked(spec: Pick<S3StateOptions, "useLockfile" | "dynamodbTable">): boolean {
  return spec.useLockfile === false && spec.dynamodbTable === undefined;
}

/** The default state key of a stack. */
export function defaultStateKey(stack: string): string {
  return `${stack}/terraform.tfstate`;
}

/** Checks backend options; every problem goes to `list` with its field path under `path`. */
export function checkStateOptions(spec: S3StateOptions, path: string, list: ProblemList): void {
  const at = (key: string): string => joinPath(path, key);
  if (typeof spec.bucket !== "string" || !S3_BUCKET_PATTERN.test(spec.bucket)) list.add(at("bucket"), spec.bucket, `expected ${S3_BUCKET_EXPECTED}`);
  if (spec.key !== undefined) checkKeyLike(spec.key, at("key"), list, "an object key", "bitbucket-oidc/terraform.tfstate");
  if (spec.workspaceKeyPrefix !== undefined) checkKeyLike(spec.workspaceKeyPrefix, at("workspaceKeyPrefix"), list, "a key prefix", "workspaces");
  if (typeof spec.region !== "string" || !/^[a-z]{2}(?:-[a-z]+)+-\d$/.test(spec.region)) list.add(at("region"), spec.region, 'expected an AWS region, e.g. "us-east-1"');
  if (spec.kmsKeyId !== undefined) {
    if (!KMS_KEY_PATTERN.test(spec.kmsKeyId)) list.add(at("kmsKeyId"), spec.kmsKeyId, `expected ${KMS_KEY_EXPECTED}`);
    else if (spec.encrypt === false) list.add(at("kmsKeyId"), spec.kmsKeyId, "a KMS key needs encrypt: true; remove kmsKeyId or encrypt: false");
  }
  if (spec.dynamodbTable !== undefined && !DYNAMODB_TABLE_PATTERN.test(spec.dynamodbTable)) list.add(at("dynamodbTable"), spec.dynamodbTable, `expected ${DYNAMODB_TABLE_EXPECTED}`);
  if (spec.assumeRoleArn !== undefined && !ROLE_ARN_PATTERN.test(spec.assumeRoleArn)) list.add(at("assumeRoleArn"), spec.assumeRoleArn, `expected ${ROLE_ARN_EXPECTED}`);
  for (const [name, url] of Object.entries(spec.endpoints ?? {})) {
    const field = joinPath(at("endpoints"), name);
    if (!ENDPOINT_NAMES.includes(name as keyof S3StateEndpoints)) list.add(field, url, `expected one of the endpoints ${ENDPOINT_NAMES.join(", ")}`);
    else if (!isHttpUrl(url)) list.add(field, url, 'expected an http(s) URL without path, e.g. "https://minio.example.com:9000"');
  }
}

function checkKeyLike(value: string, path: string, list: ProblemList, what: string, example: string): void {
  if (typeof value !== "string" || value.length === 0 || value.startsWith("/") || value.endsWith("/") || value.includes("//") || Buffer.byteLength(value) > 1024) {
    list.add(path, value, `expected ${what} without a leading or trailing "/" (nor "//"), at most 1024 bytes, e.g. "${example}"`);
  }
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && (url.pathname === "/" || url.pathname === "") && !url.search && !url.hash;
  } catch {
    return false;
  }
}

/** What the state bootstrap needs to create the bucket (and lock table) a backend points at. */
export interface StateBucketSpec {
  readonly bucketName: string;
  readonly kmsKeyId?: string;
  readonly lockTableName?: string;
  readonly noncurrentVersionExpirationDays?: number;
}

/** Checks the bootstrap's bucket settings, with field names as the caller spells them. */
export function checkStateBucket(spec: StateBucketSpec, path: string, list: ProblemList): void {
  const at = (key: string): string => joinPath(path, key);
  if (typeof spec.bucketName !== "string" || !S3_BUCKET_PATTERN.test(spec.bucketName)) list.add(at("bucketName"), spec.bucketName, `expected ${S3_BUCKET_EXPECTED}`);
  if (spec.kmsKeyId !== undefined && !KMS_KEY_PATTERN.test(spec.kmsKeyId)) list.add(at("kmsKeyId"), spec.kmsKeyId, `expected ${KMS_KEY_EXPECTED}`);
  if (spec.lockTableName !== undefined && !DYNAMODB_TABLE_PATTERN.test(spec.lockTableName)) list.add(at("lockTableName"), spec.lockTableName, `expected ${DYNAMODB_TABLE_EXPECTED}`);
  const days = spec.noncurrentVersionExpirationDays;
  if (days !== undefined && !(Number.isInteger(days) && days >= 1)) list.add(at("noncurrentVersionExpirationDays"), days, "expected a whole number of days, at least 1");
}

/** Checks the bootstrap switches of the config's `state:` section. */
export function checkBootstrap(spec: { readonly bootstrap?: boolean; readonly bootstrapBackend?: string }, path: string, list: ProblemList): void {
  if (spec.bootstrapBackend !== undefined && spec.bootstrap !== true) {
    list.add(joinPath(path, "bootstrapBackend"), spec.bootstrapBackend, "only applies with bootstrap: true; add it, or remove bootstrapBackend");
  }
}
