/** The state bootstrap stack `<stack>-state`: each hardening setting, as synthesized. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, TerraformStack, Testing } from "cdktf";
import { StateConfig } from "../../lib/config/model";
import { ValidationError } from "../../lib/core/problems";
import { TerraformStateBucket } from "../../lib/state/terraform-state-bucket";
import { baseConfig, resourcesOf, Synthesized, TerraformJson, withSynth } from "../support/synth";
import { tempDir } from "../support/terraform";

const STATE: StateConfig = { bucket: "acme-terraform-state", region: "eu-west-1", bootstrap: true };

/** The one resource of a type in the stack (fails when there is not exactly one). */
function only(json: TerraformJson, type: string): Record<string, unknown> {
  const all = Object.values(resourcesOf(json, type));
  expect(all).toHaveLength(1);
  return all[0];
}

function bootstrap<T>(state: StateConfig, fn: (json: TerraformJson, out: Synthesized) => T): T {
  return withSynth(baseConfig({ state }), (out) => fn(out.json("bitbucket-oidc-state"), out));
}

const bucketRef = (json: TerraformJson): string => `\${aws_s3_bucket.${Object.keys(resourcesOf(json, "aws_s3_bucket"))[0]}.id}`;

describe("state bootstrap stack", () => {
  it("is synthesized only when state.bootstrap is true, as <stack>-state", () => {
    withSynth(baseConfig({ state: { ...STATE, bootstrap: false } }), (out) => expect(out.result.stacks.map((s) => s.name)).toEqual(["bitbucket-oidc"]));
    withSynth(baseConfig({ state: STATE }), (out) => expect(out.result.stacks.map((s) => s.name)).toEqual(["bitbucket-oidc", "bitbucket-oidc-state"]));
  });

  it("the bundled example config turns it on, so its synth shows both stacks", () => {
    withSynth(readFileSync(join(__dirname, "../../bitbucket-oidc.yaml"), "utf8"), (out) => {
      expect(out.result.stacks.map((s) => s.name)).toEqual(["bitbucket-oidc", "bitbucket-oidc-state"]);
      expect(only(out.json("bitbucket-oidc-state"), "aws_s3_bucket").bucket).toBe(out.json().terraform.backend!.s3.bucket);
    });
  });

  it("keeps its own state locally, beside cdktf.out (a synth replaces cdktf.out), and needs Terraform >= 1.11", () => {
    bootstrap(STATE, (json) => {
      expect(json.terraform.backend).toEqual({ local: { path: "../../../terraform.bitbucket-oidc-state.tfstate" } });
      expect(json.terraform.required_version).toBe(">= 1.11");
    });
  });

  it("with bootstrapBackend: s3, keeps its state in the bucket under <stack>-state/terraform.tfstate, with the backend's options", () => {
    bootstrap({ ...STATE, key: "main/terraform.tfstate", dynamodbTable: "terraform-locks", bootstrapBackend: "s3" }, (json, out) => {
      expect(json.terraform.backend).toEqual({
        s3: { bucket: "acme-terraform-state", key: "bitbucket-oidc-state/terraform.tfstate", region: "eu-west-1", encrypt: true, use_lockfile: true, dynamodb_table: "terraform-locks" },
      });
      expect(out.json().terraform.backend!.s3.key).toBe("main/terraform.tfstate");
    });
  });

  it("creates the bucket the backend points at, in the state's region, guarded by prevent_destroy", () => {
    bootstrap(STATE, (json, out) => {
      expect(only(json, "aws_s3_bucket")).toMatchObject({ bucket: out.json().terraform.backend!.s3.bucket, lifecycle: { prevent_destroy: true } });
      expect(json.provider!.aws).toEqual([{ region: "eu-west-1", allowed_account_ids: ["123456789012"] }]);
    });
  });

  it("reaches the account the way the main stack does: the same assume_role (with accounts:, the first account's)", () => {
    withSynth(baseConfig({ aws: { region: "us-east-1", accountId: "123456789012", assumeRoleArn: "arn:aws:iam::123456789012:role/terraform" }, state: STATE }), (out) => {
      const main = out.json().provider!.aws as Record<string, unknown>[];
      expect(main[0].assume_role).toEqual([{ role_arn: "arn:aws:iam::123456789012:role/terraform" }]);
      expect(out.json("bitbucket-oidc-state").provider!.aws).toEqual([
        { region: "eu-west-1", allowed_account_ids: ["123456789012"], assume_role: main[0].assume_role },
      ]);
    });
    const accounts = {
      aws: undefined,
      accounts: [
        { id: "111111111111", name: "dev", region: "us-east-1", assumeRoleArn: "arn:aws:iam::111111111111:role/terraform" },
        { id: "222222222222", name: "prod", region: "eu-west-1", assumeRoleArn: "arn:aws:iam::222222222222:role/terraform" },
      ],
    };
    withSynth(baseConfig({ ...accounts, state: STATE } as never), (out) => {
      expect(out.result.stacks.map((s) => s.name)).toEqual(["bitbucket-oidc-dev", "bitbucket-oidc-prod", "bitbucket-oidc-state"]);
      expect(out.json("bitbucket-oidc-state").provider!.aws).toEqual([
        { region: "eu-west-1", allowed_account_ids: ["111111111111"], assume_role: [{ role_arn: "arn:aws:iam::111111111111:role/terraform" }] },
      ]);
    });
  });

  it("turns versioning on", () => {
    bootstrap(STATE, (json) => expect(only(json, "aws_s3_bucket_versioning")).toMatchObject({ bucket: bucketRef(json), versioning_configuration: { status: "Enabled" } }));
  });

  it("encrypts with SSE-S3 by default", () => {
    bootstrap(STATE, (json) =>
      expect(only(json, "aws_s3_bucket_server_side_encryption_configuration")).toMatchObject({
        bucket: bucketRef(json),
        rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
      }),
    );
  });

  it("encrypts with the state's KMS key (and a bucket key) when kmsKeyId is set", () => {
    bootstrap({ ...STATE, kmsKeyId: "alias/terraform-state" }, (json) =>
      expect(only(json, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "alias/terraform-state" }, bucket_key_enabled: true },
      ]),
    );
  });

  it("blocks all public access", () => {
    bootstrap(STATE, (json) =>
      expect(only(json, "aws_s3_bucket_public_access_block")).toMatchObject({
        bucket: bucketRef(json),
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      }),
    );
  });

  it("enforces bucket ownership (ACLs off)", () => {
    bootstrap(STATE, (json) => expect(only(json, "aws_s3_bucket_ownership_controls")).toMatchObject({ bucket: bucketRef(json), rule: { object_ownership: "BucketOwnerEnforced" } }));
  });

  it("has a bucket policy that denies requests without TLS (and TLS older than 1.2), and allows nothing", () => {
    bootstrap(STATE, (json) => {
      const policy = only(json, "aws_s3_bucket_policy");
      expect(policy.bucket).toBe(bucketRef(json));
      const document = JSON.parse(policy.policy as string) as { Statement: Record<string, unknown>[] };
      const arn = `\${aws_s3_bucket.${Object.keys(resourcesOf(json, "aws_s3_bucket"))[0]}.arn}`;
      expect(document.Statement.map((s) => s.Effect)).toEqual(["Deny", "Deny"]);
      expect(document.Statement[0]).toEqual({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: "s3:*",
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
      expect(document.Statement[1]).toMatchObject({ Resource: [arn, `${arn}/*`], Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } });
    });
  });

  it("expires old noncurrent versions (after 90 days) and abandoned uploads", () => {
    bootstrap(STATE, (json) => {
      const lifecycle = only(json, "aws_s3_bucket_lifecycle_configuration");
      expect(lifecycle.bucket).toBe(bucketRef(json));
      expect(lifecycle.rule).toEqual([
        {
          id: "expire-noncurrent-state-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrent_version_expiration: [{ noncurrent_days: 90 }],
          abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
        },
      ]);
      expect(lifecycle.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_versioning\./)]);
    });
  });

  it("creates no lock table for use_lockfile alone", () => {
    bootstrap(STATE, (json) => expect(resourcesOf(json, "aws_dynamodb_table")).toEqual({}));
  });

  it("creates the DynamoDB lock table, with point-in-time recovery, when dynamodbTable is set", () => {
    bootstrap({ ...STATE, dynamodbTable: "terraform-locks" }, (json) => {
      expect(only(json, "aws_dynamodb_table")).toMatchObject({
        name: "terraform-locks",
        hash_key: "LockID",
        attribute: [{ name: "LockID", type: "S" }],
        billing_mode: "PAY_PER_REQUEST",
        point_in_time_recovery: { enabled: true },
        server_side_encryption: { enabled: true },
        deletion_protection_enabled: true,
        lifecycle: { prevent_destroy: true },
      });
      expect(json.output?.lock_table).toBeDefined();
    });
  });

  it("holds nothing but the bucket, its settings and the lock table: no IAM, no data sources", () => {
    bootstrap({ ...STATE, dynamodbTable: "terraform-locks" }, (json) => {
      expect(Object.keys(json.resource ?? {}).sort()).toEqual([
        "aws_dynamodb_table",
        "aws_s3_bucket",
        "aws_s3_bucket_lifecycle_configuration",
        "aws_s3_bucket_ownership_controls",
        "aws_s3_bucket_policy",
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_versioning",
      ]);
      expect(json.data).toBeUndefined();
    });
  });
});

describe("TerraformStateBucket in a host project's own stack", () => {
  const outdir = tempDir("bbo-host-");
  afterAll(() => outdir.remove());

  it("takes its own retention and throws a ValidationError for bad input", () => {
    const stack = new TerraformStack(new App({ outdir: outdir.path }), "host");
    new TerraformStateBucket(stack, "state", { bucketName: "host-state", noncurrentVersionExpirationDays: 30 });
    const json = JSON.parse(Testing.synth(stack)) as TerraformJson;
    expect(only(json, "aws_s3_bucket_lifecycle_configuration").rule).toMatchObject([{ noncurrent_version_expiration: [{ noncurrent_days: 30 }] }]);
    expect(() => new TerraformStateBucket(stack, "bad", { bucketName: "Host_State", kmsKeyId: "key", lockTableName: "x", noncurrentVersionExpirationDays: 0 })).toThrow(ValidationError);
    try {
      new TerraformStateBucket(stack, "bad2", { bucketName: "Host_State", kmsKeyId: "key", lockTableName: "x", noncurrentVersionExpirationDays: 0 });
    } catch (e) {
      expect((e as ValidationError).problems.map((p) => p.path)).toEqual(["bucketName", "kmsKeyId", "lockTableName", "noncurrentVersionExpirationDays"]);
    }
  });
});

