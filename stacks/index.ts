import { Construct } from "constructs";
import { BitbucketOidcConfig } from "../lib/config/model";
import { BitbucketOidcStack } from "./bitbucket-oidc-stack";

export { BitbucketOidcStack, BitbucketOidcStackProps, REQUIRED_TERRAFORM_VERSION } from "./bitbucket-oidc-stack";

/** Every stack a validated config describes, added to `scope` (an App). */
export function buildStacks(scope: Construct, config: BitbucketOidcConfig): BitbucketOidcStack[] {
  return [new BitbucketOidcStack(scope, config.stack, { config })];
}
