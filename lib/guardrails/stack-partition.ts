import { TerraformStack, Tokenization } from "cdktf";
import { IConstruct } from "constructs";
import { LONGEST_PARTITION, partitionOfRegion } from "../iam/partition";

/**
 * The partition of a construct's stack, from the literal regions of its AWS providers: the one
 * partition they share, else (no provider, a region only known at plan time, or several partitions)
 * the longest supported one, so that sizes are never counted short.
 */
export function stackPartition(node: IConstruct): string {
  const stack = TerraformStack.of(node);
  const partitions = new Set<string | undefined>();
  for (const child of stack.node.findAll()) {
    const provider = child as { terraformResourceType?: unknown; region?: unknown };
    if (provider.terraformResourceType !== "aws" || !("terraformProviderSource" in child)) continue;
    const region = provider.region;
    partitions.add(typeof region === "string" && !Tokenization.isResolvable(region) && !region.includes("${") ? partitionOfRegion(region) : undefined);
  }
  const [only] = [...partitions];
  return partitions.size === 1 && only !== undefined ? only : LONGEST_PARTITION;
}
