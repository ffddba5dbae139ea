/** Bad backend input is a config error that names the file, line, field, value and what is expected. */
import { parseConfig } from "../../lib/config/load";
import { StateConfig } from "../../lib/config/model";
import { ConfigError, validateConfig } from "../../lib/config/validate";
import { baseConfig } from "../support/synth";

const STATE = { bucket: "acme-terraform-state", region: "us-east-1" };

function problemsOf(state: Partial<StateConfig>): { path: string; value: unknown; message: string }[] {
  try {
    validateConfig(baseConfig({ state: { ...STATE, ...state } as StateConfig }));
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return [...(e as ConfigError).problems];
  }
  throw new Error("expected a ConfigError");
}

describe("state: bucket", () => {
  it.each(["Acme-State", "acme_state", "ab", "192.168.10.12", "acme..state", "-acme-state", "acme-state-", "xn--acme", "acme-state-s3alias", "a".repeat(64)])(
    "rejects %p as an S3 bucket name",
    (bucket) => {
      expect(problemsOf({ bucket })).toEqual([{ path: "state.bucket", value: bucket, message: expect.stringContaining("expected an S3 bucket name") }]);
    },
  );
  it.each(["acme-terraform-state", "acme.terraform.state", "abc", "a".repeat(63)])("accepts %p", (bucket) => {
    expect(() => validateConfig(baseConfig({ state: { ...STATE, bucket } }))).not.toThrow();
  });
});

describe("state: key and workspaceKeyPrefix", () => {
  it.each(["/bitbucket-oidc/terraform.tfstate", "bitbucket-oidc/", "a//b", ""])("rejects the key %p", (key) => {
    expect(problemsOf({ key })).toEqual([{ path: "state.key", value: key, message: expect.stringContaining('without a leading or trailing "/"') }]);
  });
  it("rejects a workspace prefix with a leading slash", () => {
    expect(problemsOf({ workspaceKeyPrefix: "/workspaces" })).toEqual([{ path: "state.workspaceKeyPrefix", value: "/workspaces", message: expect.stringContaining("key prefix") }]);
  });
});

describe("state: kmsKeyId", () => {
  it.each([
    "1234abcd-12ab-34cd-56ef-1234567890ab",
    "terraform-state",
    "arn:aws:s3:::acme-terraform-state",
    "arn:aws:kms:us-east-1:123456789012:keyring/x",
    // Characters KMS does not allow in alias names; Terraform's S3 backend refuses them at init.
    "alias/terraform.state",
    "alias/a+b",
    // Not a KMS key id: the fourth group starts with 8, 9, a or b (RFC 4122 variant), lower case.
    "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "arn:aws:kms:us-east-1:123456789012:key/1234ABCD-12AB-44CD-96EF-1234567890AB",
    "arn:aws:kms:us-east-1:123456789012:alias/terraform.state",
  ])(
    "rejects %p: not a key ARN, alias ARN or alias",
    (kmsKeyId) => {
      expect(problemsOf({ kmsKeyId })).toEqual([{ path: "state.kmsKeyId", value: kmsKeyId, message: expect.stringContaining("expected a KMS key ARN") }]);
    },
  );
  it.each([
    "alias/terraform-state",
    "alias/aws/s3",
    "alias/team_a/terraform-state",
    "arn:aws:kms:us-east-1:123456789012:alias/terraform-state",
    "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-44cd-96ef-1234567890ab",
    "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab",
  ])("accepts %p", (kmsKeyId) => {
    expect(() => validateConfig(baseConfig({ state: { ...STATE, kmsKeyId } }))).not.toThrow();
  });
  it("rejects a KMS key with encrypt: false", () => {
    expect(problemsOf({ kmsKeyId: "alias/terraform-state", encrypt: false })).toEqual([
      { path: "state.kmsKeyId", value: "alias/terraform-state", message: expect.stringContaining("needs encrypt: true") },
    ]);
  });
});

describe("state: assumeRoleArn", () => {
  it.each(["terraform-state", "arn:aws:iam::123456789012:user/terraform", "arn:aws:iam::1234:role/terraform-state", "arn:aws:sts::123456789012:assumed-role/x/y"])(
    "rejects %p: not a role ARN",
    (assumeRoleArn) => {
      expect(problemsOf({ assumeRoleArn })).toEqual([{ path: "state.assumeRoleArn", value: assumeRoleArn, message: expect.stringContaining("expected an IAM role ARN") }]);
    },
  );
  it("accepts a role ARN with a path", () => {
    expect(() => validateConfig(baseConfig({ state: { ...STATE, assumeRoleArn: "arn:aws:iam::123456789012:role/terraform/state-access" } }))).not.toThrow();
  });
});

describe("state: lock table, endpoints, unknown keys", () => {
  it("rejects bootstrapBackend without bootstrap", () => {
    expect(problemsOf({ bootstrapBackend: "s3" })).toEqual([{ path: "state.bootstrapBackend", value: "s3", message: expect.stringContaining("only applies with bootstrap: true") }]);
  });
  it("rejects a bad DynamoDB table name", () => {
    expect(problemsOf({ dynamodbTable: "tf" })).toEqual([{ path: "state.dynamodbTable", value: "tf", message: expect.stringContaining("DynamoDB table name") }]);
  });
  it("rejects an endpoint that is not an http(s) URL", () => {
    expect(problemsOf({ endpoints: { s3: "minio:9000" } })).toEqual([{ path: "state.endpoints.s3", value: "minio:9000", message: expect.stringContaining("http(s) URL") }]);
  });
  it("rejects an unknown endpoint or option through the schema", () => {
    const paths = problemsOf({ endpoints: { s3: "http://127.0.0.1:9000", ec2: "http://x" } as never, roleArn: "x" } as never).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(["state.endpoints.ec2", "state.roleArn"]));
  });
});

it("reports every state problem at once, with file and line", () => {
  const yaml = `version: 1
stack: bitbucket-oidc
workspace: { slug: acme, uuid: "{8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60}" }
aws: { region: us-east-1 }
state:
  bucket: Acme_State
  key: /bitbucket-oidc/terraform.tfstate
  region: us-east-1
  kmsKeyId: my-key
  assumeRoleArn: arn:aws:iam::123456789012:user/terraform
roles:
  - name: bitbucket-deploy
    repositories: [{ uuid: "{3f2a9c4e-7b1d-4a8e-b6c5-0d9e8f7a6b51}" }]
`;
  expect(() => parseConfig(yaml, "broken.yaml")).toThrow(ConfigError);
  try {
    parseConfig(yaml, "broken.yaml");
  } catch (e) {
    const message = (e as Error).message;
    expect(message).toContain('broken.yaml:6 state.bucket: "Acme_State": expected an S3 bucket name');
    expect(message).toContain('broken.yaml:7 state.key: "/bitbucket-oidc/terraform.tfstate": expected an object key');
    expect(message).toContain('broken.yaml:9 state.kmsKeyId: "my-key": expected a KMS key ARN');
    expect(message).toContain('broken.yaml:10 state.assumeRoleArn: "arn:aws:iam::123456789012:user/terraform": expected an IAM role ARN');
  }
});
