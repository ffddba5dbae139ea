import { Annotations, Aspects, TerraformElement, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { BitbucketOidcConfig, BitbucketOidcConfigInput } from "../lib/config/model";
import { isValidatedConfig, validateConfig } from "../lib/config/validate";
import { BitbucketOidcProvider, IBitbucketOidcProvider } from "../lib/constructs/bitbucket-oidc-provider";
import { BitbucketPipelinesRole } from "../lib/constructs/bitbucket-pipelines-role";
import { BitbucketOidcGuardrails } from "../lib/guardrails/bitbucket-oidc-guardrails";
import { escapeConfigText, escapeTerraformText } from "../lib/iam/terraform-text";
import { terraformId } from "../lib/core/terraform-id";
import { S3StateBackend } from "../lib/state/s3-state-backend";
import { tlsBindings } from "../lib/constructs/tls";
import { partitionOfRegion } from "../lib/iam/partition";
import { BitbucketOidcAccessModel } from "../lib/access-model/bitbucket-oidc-access-model";

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
    // A role's construct id is its Terraform name; the stack's conditional constructs and the role
    // outputs step aside (another construct id, the same Terraform name) when a role already has theirs.
    const roleIds = new Set(config.roles.map((r) => terraformId(r.name)));
    const besideRoles = <T extends TerraformElement>(id: string, make: (constructId: string) => T): T => {
      if (!roleIds.has(id)) return make(id);
      const element = make(`${id} (beside role ${id})`);
      element.overrideLogicalId(id);
      return element;
    };
    // The partition follows from the (validated, literal) region: every ARN the stack writes uses it.
    const partition = partitionOfRegion(config.aws.region);

    // 3. build
    new AwsProvider(this, "aws", {
      region: config.aws.region,
      allowedAccountIds: accountId ? [accountId] : undefined,
      assumeRole: config.aws.assumeRoleArn ? [{ roleArn: escapeTerraformText(config.aws.assumeRoleArn) }] : undefined,
      defaultTags: config.aws.defaultTags ? [{ tags: { ...config.aws.defaultTags } }] : undefined,
    });
    if (config.provider.thumbprints === "tls") besideRoles("tls", (id) => new (tlsBindings().TlsProvider)(this, id));
    const { bootstrap: _bootstrap, bootstrapBackend: _bootstrapBackend, ...backendOptions } = config.state;
    new S3StateBackend(this, backendOptions);
    this.addOverride("terraform.required_version", REQUIRED_TERRAFORM_VERSION);

    // existingArn alone references the provider; with adopt: true the stack declares it and imports it.
    // Config text is literal for Terraform: "${" and "%{" in it are escaped (terraform-text.ts).
    const { adopt } = config.provider;
    const existingArn = config.provider.existingArn === undefined ? undefined : escapeTerraformText(config.provider.existingArn);
    const audiences = escapeConfigText(config.provider.audiences);
    this.oidcProvider =
      existingArn && adopt !== true
        ? BitbucketOidcProvider.fromArn({ arn: existingArn, workspaceSlug: config.workspace.slug, audiences })
        : new BitbucketOidcProvider(this, "oidc-provider", {
            workspaceSlug: config.workspace.slug,
            audiences,
            thumbprints: config.provider.thumbprints,
            preventDestroy: config.provider.preventDestroy,
            tags: config.provider.tags,
            adopt: adopt === true,
            existingArn,
          });

    // No prototype: a role may be named "__proto__" or "constructor".
    const roles: Record<string, BitbucketPipelinesRole> = Object.create(null) as Record<string, BitbucketPipelinesRole>;
    const grantScope = {
      region: config.aws.region,
      partition,
      accountId,
      roles: config.roles.map((r) => ({ name: r.name, path: r.path === undefined ? undefined : escapeTerraformText(r.path) })),
    };
    for (const role of config.roles) {
      const { name, ...rest } = role;
      roles[name] = new BitbucketPipelinesRole(this, terraformId(name), {
        ...escapeConfigText(rest),
        roleName: name,
        oidcProvider: this.oidcProvider,
        quotas: config.quotas,
        grantScope,
      });
    }
    this.roles = roles;
    // With assume_role on the AWS provider, Terraform runs as that role, not as the pipeline's: a
    // plan role's own read grants go unused, and the plan is as read-only as that role is.
    const assumed = config.aws.assumeRoleArn;
    for (const role of config.roles.filter((r) => r.grants?.terraformPlan && assumed)) {
      Annotations.of(roles[role.name]).addWarning(
        `Role "${role.name}" has grants.terraformPlan, but the AWS provider assumes ${assumed} (aws.assumeRoleArn): Terraform plans as that role, so the plan role needs sts:AssumeRole on it (add it in statements) and the plan is only as read-only as that role. For a read-only plan, point aws.assumeRoleArn at a read-only role in the plan pipeline, or leave it unset there.`,
      );
    }
    Aspects.of(this).add(new BitbucketOidcGuardrails({ quotas: config.quotas, partition }));
    // access-model.json beside cdk.tf.json, with the names only the config knows.
    new BitbucketOidcAccessModel(this, { workspace: config.workspace, region: config.aws.region, accountId, providerArn: config.provider.existingArn });

    new TerraformOutput(this, "oidc_provider_arn", {
      value: this.oidcProvider.arn,
      description: `IAM OIDC provider of Bitbucket workspace ${config.workspace.slug}`,
    });
    new TerraformOutput(this, "account_id", {
      value: accountId ?? besideRoles("caller", (id) => new DataAwsCallerIdentity(this, id)).accountId,
      description: "The AWS account the roles live in",
    });
    for (const [name, role] of Object.entries(roles)) {
      besideRoles(
        `role_arn_${terraformId(name)}`,
        (id) => new TerraformOutput(this, id, { value: role.arn, description: `ARN of role ${name}: set it as AWS_ROLE_ARN / AWS_OIDC_ROLE_ARN in the pipeline step` }),
      );
    }
  }
}
