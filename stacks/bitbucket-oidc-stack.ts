import { S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TlsProvider } from "@cdktf/provider-tls/lib/provider";
import { BitbucketOidcConfig, BitbucketOidcConfigInput } from "../lib/config/model";
import { isValidatedConfig, validateConfig } from "../lib/config/validate";
import { BitbucketOidcProvider, IBitbucketOidcProvider } from "../lib/constructs/bitbucket-oidc-provider";
import { BitbucketPipelinesRole } from "../lib/constructs/bitbucket-pipelines-role";
import { terraformId } from "../lib/private/terraform-id";

/** The Terraform version the output needs: `use_lockfile` is generally available from 1.11. */
export const REQUIRED_TERRAFORM_VERSION = ">= 1.11";

/**
 * Props of {@link BitbucketOidcStack}.
 * @example { config: loadConfig("bitbucket-oidc.yaml") }
 */
export interface BitbucketOidcStackProps {
  /**
   * The config: a validated one from `loadConfig`/`validateConfig`, or a plain object of the same
   * shape as the YAML file, which is validated here (a {@link ConfigError} lists every problem).
   */
  readonly config: BitbucketOidcConfig | BitbucketOidcConfigInput;
}

/**
 * A whole Bitbucket-to-AWS OIDC setup for one workspace and account: the AWS provider, the S3 state
 * backend, the workspace's identity provider, the roles, and an output for every ARN.
 */
export class BitbucketOidcStack extends TerraformStack {
  /** The validated config the stack was built from. */
  readonly config: BitbucketOidcConfig;
  /** The workspace's identity provider (created here, or the existing one). */
  readonly oidcProvider: IBitbucketOidcProvider;
  /** The roles, by role name. */
  readonly roles: Readonly<Record<string, BitbucketPipelinesRole>>;

  constructor(scope: Construct, id: string, props: BitbucketOidcStackProps) {
    // 1. validate
    const config = isValidatedConfig(props.config) ? props.config : validateConfig(props.config, `config of stack "${id}"`);
    super(scope, id);
    this.config = config;

    // 2. prepare values
    const accountId = config.aws.accountId;

    // 3. build
    new AwsProvider(this, "aws", {
      region: config.aws.region,
      allowedAccountIds: accountId ? [accountId] : undefined,
      defaultTags: config.aws.defaultTags ? [{ tags: { ...config.aws.defaultTags } }] : undefined,
    });
    if (config.provider.thumbprints === "tls") new TlsProvider(this, "tls");
    new S3Backend(this, {
      bucket: config.state.bucket,
      key: config.state.key,
      region: config.state.region,
      encrypt: config.state.encrypt,
    });
    // cdktf 0.21's S3Backend has no field for use_lockfile (S3-native locking, Terraform >= 1.11).
    if (config.state.useLockfile) this.addOverride("terraform.backend.s3.use_lockfile", true);
    this.addOverride("terraform.required_version", REQUIRED_TERRAFORM_VERSION);

    this.oidcProvider = config.provider.existingArn
      ? BitbucketOidcProvider.fromArn({ arn: config.provider.existingArn, workspaceSlug: config.workspace.slug, audiences: config.provider.audiences })
      : new BitbucketOidcProvider(this, "oidc-provider", {
          workspaceSlug: config.workspace.slug,
          audiences: config.provider.audiences,
          thumbprints: config.provider.thumbprints,
          preventDestroy: config.provider.preventDestroy,
          tags: config.provider.tags,
        });

    const roles: Record<string, BitbucketPipelinesRole> = {};
    for (const role of config.roles) {
      const { name, ...rest } = role;
      roles[name] = new BitbucketPipelinesRole(this, terraformId(name), {
        ...rest,
        roleName: name,
        oidcProvider: this.oidcProvider,
        quotas: config.quotas,
        grantScope: { region: config.aws.region, accountId, roles: config.roles.map((r) => ({ name: r.name, path: r.path })) },
      });
    }
    this.roles = roles;

    new TerraformOutput(this, "oidc_provider_arn", {
      value: this.oidcProvider.arn,
      description: `IAM OIDC provider of Bitbucket workspace ${config.workspace.slug}`,
    });
    new TerraformOutput(this, "account_id", {
      value: accountId ?? new DataAwsCallerIdentity(this, "caller").accountId,
      description: "The AWS account the roles live in",
    });
    for (const [name, role] of Object.entries(roles)) {
      new TerraformOutput(this, `role_arn_${terraformId(name)}`, {
        value: role.arn,
        description: `ARN of role ${name}: set it as AWS_ROLE_ARN / AWS_OIDC_ROLE_ARN in the pipeline step`,
      });
    }
  }
}
