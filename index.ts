/**
 * cdktf-bitbucket-oidc: the package entry (`import { BitbucketOidcStack } from "cdktf-bitbucket-oidc"`).
 * The library's names (lib/index.ts) plus the stacks. This is the one file that imports both `lib/` and
 * `stacks/`: the library never imports the stacks (docs/architecture.md, `npm run check:deps`).
 */
export * from "./lib";
export { BitbucketOidcStack, BitbucketOidcStackProps, buildStacks, REQUIRED_TERRAFORM_VERSION } from "./stacks";
export { StateBootstrapStack, StateBootstrapStackProps } from "./stacks/state-bootstrap-stack";
