/**
 * AWS partitions: every ARN starts `arn:<partition>:`. The partition follows from the region:
 * `cn-*` is `aws-cn`, `us-gov-*` is `aws-us-gov`, the isolated regions (`us-iso-*`, `us-isob-*`,
 * `eu-isoe-*`, `us-isof-*`, ...) have partitions of their own that this project does not support,
 * and every other region is `aws`. Bitbucket's issuer and audiences are the same in every partition.
 */

/** The partitions this project writes ARNs for. */
export const SUPPORTED_PARTITIONS = ["aws", "aws-cn", "aws-us-gov"] as const;
/** One supported partition. */
export type AwsPartition = (typeof SUPPORTED_PARTITIONS)[number];

/** True for a partition this project supports. */
export function isSupportedPartition(value: unknown): value is AwsPartition {
  return typeof value === "string" && (SUPPORTED_PARTITIONS as readonly string[]).includes(value);
}

/** What a partition field expects, for messages. */
export const PARTITION_EXPECTED = `one of the partitions ${SUPPORTED_PARTITIONS.map((p) => `"${p}"`).join(", ")}`;

/** The longest supported partition: ARNs sized without a known partition are counted with it. */
export const LONGEST_PARTITION: AwsPartition = "aws-us-gov";

/** Regions of the isolated partitions (aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, ...): `<area>-iso<letter?>-...`. */
const ISOLATED_REGION = /^[a-z]{2}-iso[a-z]?-/;

/** The isolated partition a region belongs to, e.g. `aws-iso-b` for `us-isob-east-1`; undefined for other regions. */
export function isolatedPartitionOf(region: string): string | undefined {
  const m = /^[a-z]{2}-iso([a-z]?)-/.exec(region);
  return m ? `aws-iso${m[1] ? `-${m[1]}` : ""}` : undefined;
}

/** True for a region of an isolated partition, which this project refuses. */
export function isIsolatedRegion(region: string): boolean {
  return ISOLATED_REGION.test(region);
}

/**
 * The partition of a region, or undefined for an isolated region (refused) or a value that is not a
 * literal region (a Terraform reference: use `data.aws_partition` then).
 * @example partitionOfRegion("us-gov-west-1") === "aws-us-gov"
 */
export function partitionOfRegion(region: string | undefined): AwsPartition | undefined {
  if (typeof region !== "string" || !/^[a-z]{2}(?:-[a-z]+)+-\d$/.test(region) || isIsolatedRegion(region)) return undefined;
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The partition field of an ARN (`arn:<partition>:...`), or undefined when the text is no ARN. */
export function partitionOfArn(arn: unknown): string | undefined {
  if (typeof arn !== "string") return undefined;
  const m = /^arn:([^:]*):/.exec(arn);
  return m ? m[1] : undefined;
}

/** True when an ARN's partition field (possibly a pattern with `*` and `?`) matches the partition. */
export function partitionMatches(arnPartition: string, partition: string): boolean {
  if (!/[*?]/.test(arnPartition)) return arnPartition === partition;
  const pattern = arnPartition.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${pattern}$`).test(partition);
}

/** An ARN found where another partition was expected. */
export interface ForeignArn {
  /** Field path, e.g. `roles[0].managedPolicyArns[1]`. */
  readonly path: string;
  /** The ARN as written. */
  readonly arn: string;
  /** Its partition field. */
  readonly partition: string;
}

/** Keys whose values are free text: an ARN in a tag or a description is not one that is written. */
const FREE_TEXT_KEYS = new Set(["tags", "defaultTags", "description"]);

/**
 * Every ARN in a value (objects and lists walked, free-text fields skipped) whose partition does not
 * match `partition`, with its field path under `path`.
 */
export function foreignArns(value: unknown, partition: string, path = ""): ForeignArn[] {
  if (typeof value === "string") {
    const found = partitionOfArn(value);
    return found !== undefined && !partitionMatches(found, partition) ? [{ path, arn: value, partition: found }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => foreignArns(item, partition, `${path}[${i}]`));
  if (value && typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !FREE_TEXT_KEYS.has(key))
      .flatMap(([key, child]) => foreignArns(child, partition, path ? `${path}.${key}` : key));
  }
  return [];
}

/** The message for an ARN of another partition. */
export function foreignArnMessage(found: string, partition: string, source: string): string {
  return `expected an ARN of partition ${partition} (from ${source}), i.e. starting "arn:${partition}:", not "arn:${found}:"; IAM matches no resource of another partition`;
}

/** The message for a region of an isolated partition. */
export function isolatedRegionMessage(region: string): string {
  return `is a region of the isolated partition ${isolatedPartitionOf(region) ?? "aws-iso"}, which bitbucket-oidc does not support (Bitbucket Cloud cannot reach it): use a region of ${SUPPORTED_PARTITIONS.join(", ")}, e.g. "us-east-1", "cn-north-1" or "us-gov-west-1"`;
}

/**
 * A regular-expression source for the partition field of an ARN as synthesized: a literal partition
 * (`aws`, `aws-cn`, `aws-us-gov`, ...) or a reference to `data "aws_partition"` read at plan time.
 */
export const ARN_PARTITION_SOURCE = String.raw`(?:aws(?:-[a-z]+)*|\$\{data\.aws_partition\.[\w-]+\.partition\})`;
