import { Aspects, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { BitbucketOidcGuardrails } from "../lib/guardrails/bitbucket-oidc-guardrails";
import { BitbucketOidcConfig } from "../lib/config/model";
import { S3StateBackend } from "../lib/state/s3-state-backend";
import { TerraformStateBucket } from "../lib/state/terraform-state-bucket";
import { REQUIRED_TERRAFORM_VERSION } from "./bitbucket-oidc-stack";

/** The file the bootstrap stack keeps its state in before the migration, beside `cdktf.out/`. */
export function localStateFile(stack: string): string {
  return `terraform.${stack}.tfstate`;
}

/**
 * Props of {@link StateBootstrapStack}.
 * @example { config: loadConfig("bitbucket-oidc.yaml") }
 */
export interface StateBootstrapStackProps {
  /** A validated config; its `state:` section names the bucket, region, KMS key and lock table. */
  readonly config: BitbucketOidcConfig;
}

/**
 * `<stack>-state`: creates the bucket (and DynamoDB lock table) that the main stack's backend points
 * at. It keeps its own state locally, in `terraform.<stack>-state.tfstate` beside `cdktf.out/`: the bucket cannot hold the
 * state of its own creation. After the first apply, `terraform init -migrate-state` moves it in, and
 * `state.bootstrapBackend: s3` points the stack at it.
 */
export class StateBootstrapStack extends TerraformStack {
  /** The state bucket. */
  readonly bucket: TerraformStateBucket;

  constructor(scope: Construct, id: string, props: StateBootstrapStackProps) {
    // 1. validate: the config is validated already (the backend rules cover the bucket's settings).
    const { config } = props;
    super(scope, id);

    // 2. prepare values
    const state = config.state;
    const { bootstrap: _bootstrap, bootstrapBackend, key: _key, ...backendOptions } = state;
    const accountId = config.aws.accountId;

    // 3. build
    if (bootstrapBackend === "s3") {
      // After the migration: the bucket's own state lives in it, under <stack>-state/terraform.tfstate.
      new S3StateBackend(this, backendOptions);
    } else {
      // Beside the output folder, not in it: every synth replaces cdktf.out/ as a whole.
      new LocalBackend(this, { path: `../../../${localStateFile(id)}` });
    }
    this.addOverride("terraform.required_version", REQUIRED_TERRAFORM_VERSION);
    new AwsProvider(this, "aws", {
      region: state.region,
      allowedAccountIds: accountId ? [accountId] : undefined,
      // The same way into the account as the main stack (with accounts:, the first account's role).
      assumeRole: config.aws.assumeRoleArn ? [{ roleArn: config.aws.assumeRoleArn }] : undefined,
      defaultTags: config.aws.defaultTags ? [{ tags: { ...config.aws.defaultTags } }] : undefined,
    });
    // The same guardrails as the OIDC stack: anything IAM a user adds here is checked too.
    Aspects.of(this).add(new BitbucketOidcGuardrails({ quotas: config.quotas }));
    this.bucket = new TerraformStateBucket(this, "state-bucket", {
      bucketName: state.bucket,
      kmsKeyId: state.kmsKeyId,
      lockTableName: state.dynamodbTable,
    });
    new TerraformOutput(this, "state_bucket", { value: this.bucket.bucket, description: "The S3 bucket of the Terraform state" });
    if (this.bucket.lockTable) {
      new TerraformOutput(this, "lock_table", { value: this.bucket.lockTable.name, description: "The DynamoDB table of the state locks" });
    }
  }
}
