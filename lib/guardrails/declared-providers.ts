/**
 * The identity provider a {@link BitbucketPipelinesRole} was built for. Its ARN may be a Terraform
 * reference the guardrails cannot recognize by shape (`${data.aws_iam_openid_connect_provider.x.arn}`,
 * `${var.provider_arn}`): the role declares it here, and BBO-T003 takes that principal as the
 * workspace's Bitbucket provider. The trust's condition keys still name the workspace's issuer, so a
 * wrong provider behind the reference lets no token in.
 */
import { IConstruct } from "constructs";

const declared = new WeakMap<IConstruct, string>();

/** Records the provider ARN (literal or token) a role trusts as its workspace's Bitbucket provider. */
export function declareBitbucketProvider(role: IConstruct, providerArn: string): void {
  declared.set(role, providerArn);
}

/** The provider ARN a role declared (unresolved), if any. */
export function declaredBitbucketProvider(role: IConstruct): string | undefined {
  return declared.get(role);
}
