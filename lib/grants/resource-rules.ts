/**
 * Checks of the resource names grants take: precise messages with the fix. A Terraform reference
 * (`bucket.bucket`, `repository.name`, `key.arn`) is known only at plan time: its shape is not checked.
 */
import { S3_BUCKET_EXPECTED, S3_BUCKET_PATTERN } from "../state/state-rules";
import { KMS_KEY_ARN_EXAMPLE, KMS_KEY_ARN_PATTERN } from "../iam/kms";
import { joinPath, ProblemList } from "../core/problems";
import { isToken } from "../core/tokens";

const ECR_REPOSITORY_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const DYNAMODB_TABLE_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;
const DISTRIBUTION_ID_PATTERN = /^E[A-Z0-9]{9,20}$/;

export function checkBucket(value: unknown, path: string, list: ProblemList): void {
  if (isToken(value)) return;
  if (typeof value !== "string" || !S3_BUCKET_PATTERN.test(value)) {
    list.add(path, value, `expected ${S3_BUCKET_EXPECTED} (the name, not an ARN or s3:// URL)`);
  }
}

/** An object key: no leading "/", no trailing "/", no wildcard. */
export function checkObjectKey(value: unknown, path: string, list: ProblemList): void {
  if (isToken(value)) return;
  if (typeof value !== "string" || value.length === 0 || value.length > 1024 || value.startsWith("/") || value.endsWith("/") || /[*?]/.test(value)) {
    list.add(path, value, 'expected an object key without a leading or trailing "/" and without * or ?, e.g. "web-app/terraform.tfstate"');
  }
}

/** A key prefix: ends with "/", no leading "/", no wildcard. */
export function checkPrefix(value: unknown, path: string, list: ProblemList): void {
  if (isToken(value)) return;
  if (typeof value !== "string" || value.length < 2 || value.startsWith("/") || !value.endsWith("/") || /[*?]/.test(value)) {
    list.add(path, value, 'expected a key prefix ending in "/" without a leading "/" and without * or ?, e.g. "team-a/"');
  }
}

export function checkKmsKeyArn(value: unknown, path: string, list: ProblemList): void {
  if (isToken(value)) return;
  if (typeof value === "string" && KMS_KEY_ARN_PATTERN.test(value)) return;
  const alias = typeof value === "string" && /(?:^alias\/|:alias\/)/.test(value);
  list.add(
    path,
    value,
    alias
      ? 'an alias does not work in an IAM policy: IAM needs the key ARN; find it with `aws kms describe-key --key-id alias/<name> --query KeyMetadata.Arn`'
      : `expected a KMS key ARN, e.g. "${KMS_KEY_ARN_EXAMPLE}" (IAM needs the ARN, not the key id or an alias; the same key ARNs as state.kmsKeyId)`,
  );
}

export function checkEcrRepository(value: unknown, path: string, list: ProblemList): void {
  if (isToken(value)) return;
  if (typeof value === "string" && value.startsWith("arn:")) {
    list.add(path, value, 'expected the repository name, not its ARN: the ARN is built from aws.region and aws.accountId, e.g. "mydockerimage"');
  } else if (typeof value !== "string" || value.length < 2 || value.length > 256 || !ECR_REPOSITORY_PATTERN.test(value)) {
    list.add(path, value, 'expected an ECR repository name: 2-256 lower-case letters, digits and . _ - /, e.g. "mydockerimage" or "team/web-app"');
  }
}

export function checkDynamoDbTable(value: unknown, path: string, list: ProblemList): void {
  if (isToken(value)) return;
  if (typeof value !== "string" || !DYNAMODB_TABLE_PATTERN.test(value)) {
    list.add(path, value, 'expected a DynamoDB table name: 3-255 letters, digits and _ . -, e.g. "terraform-locks"');
  }
}

export function checkDistributionId(value: unknown, path: string, list: ProblemList): void {
  if (isToken(value)) return;
  if (typeof value !== "string" || !DISTRIBUTION_ID_PATTERN.test(value)) {
    list.add(path, value, 'expected a CloudFront distribution id (not its domain or ARN), e.g. "E2QWRUHAPOMQZL"');
  }
}

/** A list that must hold at least one item, each checked by `check`. */
export function checkList(values: unknown, path: string, list: ProblemList, check: (value: unknown, path: string, list: ProblemList) => void, example: string): void {
  if (!Array.isArray(values) || values.length === 0) {
    list.add(path, values, `expected a list of at least one, e.g. ${example}`);
    return;
  }
  const seen = new Set<unknown>();
  values.forEach((value, i) => {
    check(value, joinPath(path, i), list);
    if (seen.has(value)) list.add(joinPath(path, i), value, "listed twice; list it once");
    seen.add(value);
  });
}

/** Region needed for an ARN that carries one. */
export function needsRegion(region: string | undefined, path: string, what: string, list: ProblemList): void {
  if (region === undefined) list.add(path, undefined, `${what} ARNs need a region: set aws.region (config) or grantScope.region (TypeScript)`);
}
