import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { BitbucketOidcConfig } from "../lib/config/model";
import { BitbucketOidcStack } from "./bitbucket-oidc-stack";
import { StateBootstrapStack } from "./state-bootstrap-stack";

export { BitbucketOidcStack, BitbucketOidcStackProps, REQUIRED_TERRAFORM_VERSION } from "./bitbucket-oidc-stack";
export { StateBootstrapStack, StateBootstrapStackProps } from "./state-bootstrap-stack";

/**
 * Every stack a validated config describes, added to `scope` (an App): the main stack (with
 * `accounts:`, one per account, `<stack>-<account name>`), then `<stack>-state` if asked for. The
 * stacks share nothing: a plan of one never reads another's state.
 */
export function buildStacks(scope: Construct, config: BitbucketOidcConfig): TerraformStack[] {
  const stacks: TerraformStack[] = (config.accounts ?? [config]).map((c) => new BitbucketOidcStack(scope, c.stack, { config: c }));
  if (config.state.bootstrap) stacks.push(new StateBootstrapStack(scope, `${config.stack}-state`, { config }));
  return stacks;
}
