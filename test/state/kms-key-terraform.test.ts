/**
 * The state's `kmsKeyId` rule agrees with the real terraform: every value the config accepts is
 * written to the backend and passes `terraform init` (against s3rver on 127.0.0.1), and every KMS
 * value it rejects is one Terraform's S3 backend refuses too, so a synth never succeeds with a key
 * that only fails later in the pipeline.
 */
import { StateConfig } from "../../lib/config/model";
import { ConfigError, validateConfig } from "../../lib/config/validate";
import { LocalS3, startLocalS3 } from "../support/local-s3";
import { baseConfig, withSynth } from "../support/synth";
import { describeWithTerraform, runTerraform, tempDir, writeProviderFreeModule } from "../support/terraform";
import { OFFLINE_BACKEND_FLAGS } from "./lock-scenario";

jest.setTimeout(120_000);

const ACCEPTED = [
  "alias/terraform-state",
  "alias/aws/s3",
  "alias/team_a/terraform-state",
  "arn:aws:kms:us-east-1:123456789012:alias/terraform-state",
  "arn:aws:kms:eu-west-1:123456789012:key/0f3c7a52-6c1e-4f0b-9d5e-2b8a1c9e7d40",
  "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab",
];
/** Shaped like keys and aliases, but not valid ones: the config must refuse them, as Terraform does. */
const REJECTED = [
  "alias/terraform.state",
  "alias/a+b",
  "arn:aws:kms:us-east-1:123456789012:alias/terraform.state",
  "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  "arn:aws:kms:us-east-1:123456789012:key/0F3C7A52-6C1E-4F0B-9D5E-2B8A1C9E7D40",
];

describeWithTerraform("state.kmsKeyId: the config's rule and terraform's S3 backend agree", () => {
  let s3: LocalS3;
  const dirs: { remove(): void }[] = [];
  beforeAll(async () => {
    s3 = await startLocalS3({ bucket: "acme-terraform-state", conditionalWrites: true });
  });
  afterAll(async () => {
    for (const d of dirs) d.remove();
    await s3?.stop();
  });

  const state = (kmsKeyId: string): StateConfig => ({ bucket: s3.bucket, region: "us-east-1", endpoints: { s3: s3.endpoint }, usePathStyle: true, kmsKeyId });

  /** terraform init of a provider-free module with this terraform block. */
  async function init(terraformBlock: Record<string, unknown>): Promise<{ code: number | null; output: string }> {
    const dir = tempDir("bbo-kms-");
    dirs.push(dir);
    writeProviderFreeModule(dir.path, terraformBlock);
    return runTerraform(dir.path, ["init", "-input=false", "-no-color", ...OFFLINE_BACKEND_FLAGS]);
  }

  it.each(ACCEPTED)("accepts %p, and terraform init takes the synthesized backend", async (kmsKeyId) => {
    const block = withSynth(baseConfig({ state: state(kmsKeyId) }), (out) => ({ backend: out.json().terraform.backend }));
    expect(block.backend?.s3).toMatchObject({ kms_key_id: kmsKeyId, encrypt: true });
    const run = await init(block);
    expect({ kmsKeyId, code: run.code, output: run.code === 0 ? "" : run.output }).toEqual({ kmsKeyId, code: 0, output: "" });
  });

  it.each(REJECTED)("rejects %p, and so does terraform", async (kmsKeyId) => {
    expect(() => validateConfig(baseConfig({ state: state(kmsKeyId) }))).toThrow(ConfigError);
    // The same backend block with only kms_key_id changed, as if the config had let it through.
    const block = withSynth(baseConfig({ state: state("alias/terraform-state") }), (out) => ({ backend: out.json().terraform.backend }));
    const run = await init({ backend: { s3: { ...block.backend!.s3, kms_key_id: kmsKeyId } } });
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/Invalid KMS Key (ID|ARN)/);
  });
});
