/** The S3 backend block as synthesized: defaults, every option, and the TypeScript API for host projects. */
import { App, TerraformStack, Testing } from "cdktf";
import { StateConfig } from "../../lib/config/model";
import { ValidationError } from "../../lib/core/problems";
import { S3StateBackend } from "../../lib/state/s3-state-backend";
import { baseConfig, TerraformJson, withSynth } from "../support/synth";
import { tempDir } from "../support/terraform";

const STATE = { bucket: "acme-terraform-state", region: "us-east-1" };
const backendOf = (state: StateConfig, stack = "bitbucket-oidc"): Record<string, unknown> =>
  withSynth(baseConfig({ stack, state }), (out) => out.json().terraform.backend!.s3);

describe("S3 backend from the config", () => {
  it("defaults: encryption and S3-native locking on, one key per stack, Terraform >= 1.11", () => {
    withSynth(baseConfig({ stack: "payments-oidc", state: STATE }), (out) => {
      const terraform = out.json().terraform;
      expect(terraform.required_version).toBe(">= 1.11");
      expect(terraform.backend).toEqual({
        s3: { bucket: "acme-terraform-state", key: "payments-oidc/terraform.tfstate", region: "us-east-1", encrypt: true, use_lockfile: true },
      });
    });
  });

  it("renders every option, the state role as assume_role { role_arn } and never the removed top-level role_arn", () => {
    const s3 = backendOf({
      ...STATE,
      key: "platform/oidc.tfstate",
      kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-44cd-96ef-1234567890ab",
      dynamodbTable: "terraform-locks",
      workspaceKeyPrefix: "workspaces",
      endpoints: { s3: "https://minio.example.com:9000", dynamodb: "http://127.0.0.1:8000", sts: "https://sts.example.com", iam: "https://iam.example.com" },
      usePathStyle: true,
      assumeRoleArn: "arn:aws:iam::111122223333:role/terraform-state",
    });
    expect(s3).toEqual({
      bucket: "acme-terraform-state",
      key: "platform/oidc.tfstate",
      region: "us-east-1",
      encrypt: true,
      kms_key_id: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-44cd-96ef-1234567890ab",
      use_lockfile: true,
      dynamodb_table: "terraform-locks",
      workspace_key_prefix: "workspaces",
      endpoints: { s3: "https://minio.example.com:9000", dynamodb: "http://127.0.0.1:8000", sts: "https://sts.example.com", iam: "https://iam.example.com" },
      use_path_style: true,
      assume_role: { role_arn: "arn:aws:iam::111122223333:role/terraform-state" },
    });
    expect(s3).not.toHaveProperty("role_arn");
  });

  it("DynamoDB locking alone leaves use_lockfile out", () => {
    const s3 = backendOf({ ...STATE, useLockfile: false, dynamodbTable: "terraform-locks" });
    expect(s3).not.toHaveProperty("use_lockfile");
    expect(s3.dynamodb_table).toBe("terraform-locks");
  });

  it("state without any lock synthesizes, with a warning that says so", () => {
    withSynth(baseConfig({ state: { ...STATE, useLockfile: false } }), (out) => {
      expect(out.json().terraform.backend!.s3).not.toHaveProperty("use_lockfile");
      expect(out.result.warnings).toEqual([expect.stringContaining("state without a lock")]);
    });
    withSynth(baseConfig({ state: STATE }), (out) => expect(out.result.warnings).toEqual([]));
  });

  it("encrypt: false is written as such", () => {
    expect(backendOf({ ...STATE, encrypt: false }).encrypt).toBe(false);
  });

  it("bootstrap is not a backend option", () => {
    expect(backendOf({ ...STATE, bootstrap: true })).not.toHaveProperty("bootstrap");
  });
});

describe("S3StateBackend in a host project's own stack", () => {
  const outdir = tempDir("bbo-host-");
  afterAll(() => outdir.remove());
  const hostStack = (): TerraformStack => new TerraformStack(new App({ outdir: outdir.path }), "host-stack");
  const synth = (props: ConstructorParameters<typeof S3StateBackend>[1]): TerraformJson => {
    const stack = hostStack();
    new S3StateBackend(stack, props);
    return JSON.parse(Testing.synth(stack)) as TerraformJson;
  };

  it("renders the same block, keyed by the host stack's name", () => {
    expect(synth({ ...STATE, dynamodbTable: "terraform-locks" }).terraform.backend).toEqual({
      s3: { bucket: "acme-terraform-state", key: "host-stack/terraform.tfstate", region: "us-east-1", encrypt: true, use_lockfile: true, dynamodb_table: "terraform-locks" },
    });
  });

  it("throws a ValidationError naming every bad field", () => {
    const stack = hostStack();
    let error: unknown;
    try {
      new S3StateBackend(stack, { bucket: "Acme_State", region: "us-east-1", key: "/state.tfstate", assumeRoleArn: "terraform-state" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems.map((p) => p.path)).toEqual(["bucket", "key", "assumeRoleArn"]);
    expect((error as Error).message).toContain('bucket: "Acme_State": expected an S3 bucket name');
  });
});
