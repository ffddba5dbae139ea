import { Annotations, S3Backend, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { ProblemList, throwIfProblems } from "../core/problems";
import { checkStateOptions, defaultStateKey, isUnlocked, NO_LOCK_WARNING, S3StateOptions } from "./state-rules";

/**
 * Props of {@link S3StateBackend}: the backend options (see {@link S3StateOptions} for each field).
 * @example { bucket: "acme-terraform-state", region: "us-east-1", dynamodbTable: "terraform-locks" }
 */
export type S3StateBackendProps = S3StateOptions;

/**
 * Terraform's S3 backend with safe defaults: encryption on, S3-native locking (`use_lockfile`,
 * Terraform >= 1.11) on (turning every lock off is reported as a synth warning), the key `<stack>/terraform.tfstate` unless given, and a state role emitted
 * as `assume_role { role_arn }` (the top-level `role_arn` is gone since Terraform 1.10).
 * The one place this project renders a backend; the stacks and host projects use it alike.
 * @see https://developer.hashicorp.com/terraform/language/backend/s3
 */
export class S3StateBackend extends S3Backend {
  /** The options as rendered, defaults applied. */
  readonly options: Readonly<S3StateOptions> & { readonly key: string; readonly encrypt: boolean; readonly useLockfile: boolean };

  constructor(scope: Construct, props: S3StateBackendProps) {
    // 1. validate
    const list = new ProblemList();
    checkStateOptions(props, "", list);
    throwIfProblems("S3StateBackend", list);

    // 2. prepare values
    const options = {
      ...props,
      key: props.key ?? defaultStateKey(TerraformStack.of(scope).node.id),
      encrypt: props.encrypt ?? true,
      useLockfile: props.useLockfile ?? true,
    };

    // 3. build
    super(scope, {
      bucket: options.bucket,
      key: options.key,
      region: options.region,
      encrypt: options.encrypt,
      kmsKeyId: options.kmsKeyId,
      dynamodbTable: options.dynamodbTable,
      workspaceKeyPrefix: options.workspaceKeyPrefix,
      endpoints: options.endpoints ? { ...options.endpoints } : undefined,
      usePathStyle: options.usePathStyle,
      assumeRole: options.assumeRoleArn ? { roleArn: options.assumeRoleArn } : undefined,
    });
    // cdktf 0.21's S3Backend has no field for use_lockfile (S3-native locking, Terraform >= 1.11).
    if (options.useLockfile) this.addOverride("use_lockfile", true);
    if (isUnlocked(options)) Annotations.of(this).addWarning(NO_LOCK_WARNING);
    this.options = Object.freeze(options);
  }
}
