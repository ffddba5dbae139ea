import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { ConditionBlock, IamStatement, policyDocument, renderPolicy } from "../iam/policy-document";
import { ProblemList, throwIfProblems } from "../core/problems";
import { checkStateBucket } from "./state-rules";

/** Noncurrent state versions are kept this long by default: time enough to notice and roll back. */
export const DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS = 90;

/**
 * Props of {@link TerraformStateBucket}.
 * @example { bucketName: "acme-terraform-state", lockTableName: "terraform-locks" }
 */
export interface TerraformStateBucketProps {
  /** The bucket name; the backend's `bucket`. @example "acme-terraform-state" */
  readonly bucketName: string;
  /**
   * Default encryption with this KMS key (SSE-KMS, with an S3 bucket key): a key or alias ARN, or
   * `alias/<name>`. @default SSE-S3 (AES256) @example "alias/terraform-state"
   */
  readonly kmsKeyId?: string;
  /**
   * Also create this DynamoDB lock table (hash key `LockID`, on-demand, point-in-time recovery,
   * deletion protection); the backend's `dynamodbTable`. @default none (S3-native locking needs no table)
   * @example "terraform-locks"
   */
  readonly lockTableName?: string;
  /** Days a replaced or deleted state version is kept before it expires. @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
  /** Terraform `prevent_destroy` on the bucket and the table: losing them loses every state. @default true */
  readonly preventDestroy?: boolean;
  /** Tags on the bucket and the table. @default none @example { team: "platform" } */
  readonly tags?: Readonly<Record<string, string>>;
  /** The AWS provider to create them with. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/**
 * The S3 bucket a Terraform S3 backend points at, hardened: versioning, default encryption (SSE-S3 or
 * KMS), every public access blocked, object ownership enforced (ACLs off), a policy that denies
 * requests without TLS 1.2+, expiry of old noncurrent versions, and optionally the DynamoDB lock table.
 * @see https://developer.hashicorp.com/terraform/language/backend/s3
 */
export class TerraformStateBucket extends S3Bucket {
  /** The DynamoDB lock table, when `lockTableName` was given. */
  readonly lockTable?: DynamodbTable;

  constructor(scope: Construct, id: string, props: TerraformStateBucketProps) {
    // 1. validate
    const list = new ProblemList();
    checkStateBucket(props, "", list);
    throwIfProblems(`TerraformStateBucket "${id}"`, list);

    // 2. prepare values
    const provider = props.provider;
    const lifecycle = { preventDestroy: props.preventDestroy ?? true };
    const tags = props.tags ? { ...props.tags } : undefined;
    const days = props.noncurrentVersionExpirationDays ?? DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS;

    // 3. build
    super(scope, id, { bucket: props.bucketName, tags, lifecycle, provider });
    const bucket = this.id;
    const versioning = new S3BucketVersioningA(this, "versioning", { provider, bucket, versioningConfiguration: { status: "Enabled" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      provider,
      bucket,
      rule: [
        props.kmsKeyId
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyId }, bucketKeyEnabled: true }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, "public-access", {
      provider,
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", { provider, bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketPolicy(this, "policy", {
      provider,
      bucket,
      policy: renderPolicy(
        policyDocument([
          denyEverything(this.arn, "DenyInsecureTransport", { Bool: { "aws:SecureTransport": "false" } }),
          denyEverything(this.arn, "DenyOutdatedTls", { NumericLessThan: { "s3:TlsVersion": "1.2" } }),
        ]),
      ),
      dependsOn: [publicAccess],
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      provider,
      bucket,
      rule: [
        {
          id: "expire-noncurrent-state-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: days }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
      dependsOn: [versioning],
    });
    if (props.lockTableName) {
      this.lockTable = new DynamodbTable(this, "lock-table", {
        provider,
        name: props.lockTableName,
        billingMode: "PAY_PER_REQUEST",
        hashKey: "LockID",
        attribute: [{ name: "LockID", type: "S" }],
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
        deletionProtectionEnabled: true,
        tags,
        lifecycle,
      });
    }
  }
}

/** A statement that denies every S3 action on the bucket and its objects to anyone, under a condition. */
function denyEverything(bucketArn: string, sid: string, condition: ConditionBlock): IamStatement {
  return { Sid: sid, Effect: "Deny", Principal: { AWS: "*" }, Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`], Condition: condition };
}
