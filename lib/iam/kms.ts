/**
 * KMS key references, one rule for the whole config: `state.kmsKeyId` and the grants' `kmsKeyArn`
 * accept exactly the key ARNs Terraform's S3 backend accepts at init ("Invalid KMS Key ID/ARN").
 * Key ids are lower-case UUIDs of the RFC 4122 variant (KMS's own) or multi-Region `mrk-` ids; alias
 * names are letters, digits, "/", "_" and "-" (KMS's rule). test/state/kms-key-terraform.test.ts
 * proves the state side against the real terraform.
 */
const KEY_ID = "(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|mrk-[0-9a-f]{32})";
const ALIAS = "alias\\/[A-Za-z0-9/_-]{1,250}";
const KMS_ARN_PREFIX = "arn:aws(?:-[a-z]+)*:kms:[a-z]{2}(?:-[a-z]+)+-\\d:\\d{12}:";

/** A KMS key ARN (not an alias): what an IAM policy's Resource needs. */
export const KMS_KEY_ARN_PATTERN = new RegExp(`^${KMS_ARN_PREFIX}key\\/${KEY_ID}$`);

/** A KMS key ARN, a key alias ARN, or `alias/<name>`: what the S3 backend's kms_key_id takes. */
export const KMS_KEY_PATTERN = new RegExp(`^(?:${KMS_ARN_PREFIX}(?:key\\/${KEY_ID}|${ALIAS})|${ALIAS})$`);

/** An example key ARN that the rule accepts. */
export const KMS_KEY_ARN_EXAMPLE = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-44cd-96ef-1234567890ab";
