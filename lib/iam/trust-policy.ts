import { LONGEST_PARTITION } from "../iam/partition";
import { iamPolicySize } from "./iam-limits";
import { IamPolicyDocument, IamStatement, policyDocument, renderPolicy } from "./policy-document";

/** What a Bitbucket trust policy is made of. All values are already normalized. */
export interface TrustPolicyInput {
  /** The identity provider's ARN (may be a Terraform token). */
  readonly providerArn: string;
  /** `<issuer host/path>`, the prefix of the `:aud` and `:sub` condition keys. */
  readonly conditionKeyPrefix: string;
  /** Accepted `aud` values, matched with StringEquals. */
  readonly audiences: readonly string[];
  /** Accepted `sub` patterns, matched with StringLike. */
  readonly subjects: readonly string[];
  /** CIDR ranges for `aws:SourceIp`; none means no IP condition. */
  readonly sourceIps?: readonly string[];
}

/**
 * The one statement that lets a Bitbucket pipeline step assume a role: the federated principal is the
 * workspace's provider, `aud` must equal one of the audiences, `sub` must match a repository or
 * environment pattern, and, when given, the request must come from one of the source ranges.
 */
export function trustPolicyDocument(input: TrustPolicyInput): IamPolicyDocument {
  const one = (values: readonly string[]): string | string[] => (values.length === 1 ? values[0] : [...values]);
  const condition: NonNullable<IamStatement["Condition"]> = {
    StringEquals: { [`${input.conditionKeyPrefix}:aud`]: one(input.audiences) },
    StringLike: { [`${input.conditionKeyPrefix}:sub`]: one(input.subjects) },
  };
  if (input.sourceIps && input.sourceIps.length > 0) {
    condition.IpAddress = { "aws:SourceIp": one(input.sourceIps) };
  }
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Federated: input.providerArn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: condition,
    },
  ]);
}

/**
 * The size IAM will count for this trust policy, with the provider ARN counted at its full length
 * (12-digit account, in `partition`) even when the synthesized JSON holds a reference.
 * @param partition the provider's partition @default the longest supported one (`aws-us-gov`)
 */
export function trustPolicySize(input: TrustPolicyInput, partition: string = LONGEST_PARTITION): number {
  const fullArn = `arn:${partition}:iam::123456789012:oidc-provider/${input.conditionKeyPrefix}`;
  return iamPolicySize(renderPolicy(trustPolicyDocument({ ...input, providerArn: fullArn })));
}
