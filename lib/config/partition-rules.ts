/**
 * The config's partition: one per config, from the regions of its stacks. Isolated regions are
 * refused, stacks (and the state bucket) in different partitions are refused, and every ARN the
 * config writes must be of that partition (an `arn:aws:` resource in `aws-us-gov` allows nothing).
 */
import { AwsPartition, foreignArnMessage, foreignArns, isIsolatedRegion, isolatedRegionMessage, partitionOfRegion } from "../iam/partition";
import { joinPath, ProblemList } from "../core/problems";
import { BitbucketOidcConfigInput } from "./model";

interface RegionField {
  readonly path: string;
  readonly region: string;
  readonly partition: AwsPartition;
}

/**
 * Checks the regions and ARNs of a config (as written, before the schema's verdict matters: values of
 * the wrong type are skipped) and returns the config's partition when its stacks agree on one.
 */
export function checkPartitions(raw: BitbucketOidcConfigInput, list: ProblemList): AwsPartition | undefined {
  const input = (raw ?? {}) as Partial<BitbucketOidcConfigInput>;
  const stacks: RegionField[] = [];
  const regionField = (path: string, region: unknown): RegionField | undefined => {
    if (typeof region !== "string") return undefined;
    if (isIsolatedRegion(region)) {
      list.add(path, region, isolatedRegionMessage(region));
      return undefined;
    }
    const partition = partitionOfRegion(region);
    return partition ? { path, region, partition } : undefined;
  };
  const accounts = Array.isArray(input.accounts) ? input.accounts : undefined;
  if (accounts) {
    accounts.forEach((account, i) => {
      const field = regionField(joinPath(joinPath("accounts", i), "region"), account?.region);
      if (field) stacks.push(field);
    });
  } else {
    const field = regionField("aws.region", input.aws?.region);
    if (field) stacks.push(field);
  }
  const state = regionField("state.region", input.state?.region);

  const first = stacks[0];
  let mixed = false;
  for (const other of stacks.slice(1)) {
    if (other.partition === first.partition) continue;
    mixed = true;
    list.add(
      other.path,
      other.region,
      `is in partition ${other.partition}, but ${first.path} (${first.region}) is in ${first.partition}: a config deploys to one partition (an OIDC provider and its roles cannot span partitions); write one config per partition`,
    );
  }
  if (first && state && state.partition !== first.partition) {
    mixed = true;
    list.add(
      state.path,
      state.region,
      `is in partition ${state.partition}, but the stacks (${first.path}: ${first.region}) are in ${first.partition}: the state bucket must be in the stacks' partition (the backend's credentials and ARNs are of one partition)`,
    );
  }
  const partition = first?.partition ?? state?.partition;
  if (!partition || mixed) return mixed ? undefined : partition;
  const from = first ?? state!;
  checkArnsIn(input, partition, `${from.path}: ${from.region}`, list);
  return partition;
}

/** Every ARN anywhere in the config must be of `partition`; free-text fields are skipped. */
function checkArnsIn(value: unknown, partition: AwsPartition, source: string, list: ProblemList): void {
  for (const found of foreignArns(value, partition)) list.add(found.path, found.arn, foreignArnMessage(found.partition, partition, source));
}
