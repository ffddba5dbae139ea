/**
 * cdktf-bitbucket-oidc: Bitbucket Pipelines OIDC to AWS IAM for CDK for Terraform.
 * The library's public names: constructs, grants, guardrails, state and the config loader; the
 * package entry (../index.ts) adds the stacks. Everything not exported here or there is internal. `npm run build` checks that every symbol reachable from here has a TSDoc comment and
 * no `any` (scripts/check-api-docs.js).
 */
export {
  BitbucketOidcProvider,
  BitbucketOidcProviderAttributes,
  BitbucketOidcProviderProps,
  IBitbucketOidcProvider,
} from "./constructs/bitbucket-oidc-provider";
export { BitbucketPipelinesRole, BitbucketPipelinesRoleProps, GrantScope } from "./constructs/bitbucket-pipelines-role";
export { EcrPushGrant, GrantKind, GrantKindDescriptor, GrantOptionsOf, Grants, S3DeployGrant, TerraformPlanGrant, TerraformStateGrant, TerraformStateLocation } from "./grants/grant-types";
export { GRANT_KINDS } from "./grants/registry";
export { S3StateBackend, S3StateBackendProps } from "./state/s3-state-backend";
export { TerraformStateBucket, TerraformStateBucketProps } from "./state/terraform-state-bucket";
export { S3StateEndpoints, S3StateOptions } from "./state/state-rules";
export { BitbucketOidcConfig, BitbucketOidcConfigInput, RoleConfig, StateConfig } from "./config/model";
export { configPath, DEFAULT_CONFIG_FILE, loadConfig, parseConfig } from "./config/load";
export { ConfigError, validateConfig } from "./config/validate";
export { EnvironmentTrust, RepositoryTrust, RoleFields } from "./constructs/role-rules";
export { PolicyStatementProps } from "./iam/policy-document";
export { IamQuotas } from "./iam/quotas";
export { ThumbprintSource } from "./constructs/provider-rules";
export { Problem, ValidationError } from "./core/problems";
export { issuerUrl, issuerHostPath, defaultAudience } from "./bitbucket/bitbucket";
export { BitbucketOidcGuardrails, BitbucketOidcGuardrailsProps } from "./guardrails/bitbucket-oidc-guardrails";
export { Acknowledgement } from "./guardrails/acknowledgements";
export { RULES as GUARDRAIL_RULES } from "./guardrails/rules";
export { GuardrailRule, GuardedRole, Finding as GuardrailFinding } from "./guardrails/rule";
export { guardrailFindingsOf, RecordedFinding, RoleFinding } from "./guardrails/report";
export { BitbucketOidcAccessModel, BitbucketOidcAccessModelProps } from "./access-model/bitbucket-oidc-access-model";
