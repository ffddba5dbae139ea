/**
 * grants.kmsKeyArn and state.kmsKeyId name the same thing, a KMS key, and follow one rule: the key
 * ARNs Terraform's S3 backend accepts (test/state/kms-key-terraform.test.ts proves that side with the
 * real terraform). Before, the grant accepted key ids of any UUID variant that the state refused.
 */
import { ConfigError, validateConfig } from "../../lib/config/validate";
import { baseConfig } from "../support/synth";

const KEY_ARNS = [
  "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-44cd-96ef-1234567890ab",
  "arn:aws:kms:eu-west-1:123456789012:key/0f3c7a52-6c1e-4f0b-9d5e-2b8a1c9e7d40",
  "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab",
  // Not the RFC 4122 variant (the fourth group must start with 8, 9, a or b): Terraform refuses it.
  "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  "arn:aws:kms:us-east-1:123456789012:key/0F3C7A52-6C1E-4F0B-9D5E-2B8A1C9E7D40",
  "arn:aws:kms:us-east-1:123456789012:key/mrk-1234",
  "arn:aws:kms:us-east-1:12345678901:key/0f3c7a52-6c1e-4f0b-9d5e-2b8a1c9e7d40",
];

function accepts(build: (value: string) => Parameters<typeof baseConfig>[0], value: string): boolean {
  try {
    validateConfig(baseConfig(build(value)));
    return true;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return false;
  }
}

const viaState = (kmsKeyId: string): Parameters<typeof baseConfig>[0] => ({
  state: { bucket: "acme-terraform-state", key: "bitbucket-oidc/terraform.tfstate", region: "us-east-1", kmsKeyId },
});
const viaGrant = (kmsKeyArn: string): Parameters<typeof baseConfig>[0] => ({
  roles: [{ name: "state", repositories: [{ uuid: "{3f2a9c4e-7b1d-4a8e-b6c5-0d9e8f7a6b51}" }], grants: { terraformState: { level: "apply", bucket: "acme-state", key: "k", kmsKeyArn } } }],
});

describe("KMS keys: grants.kmsKeyArn and state.kmsKeyId share one pattern", () => {
  test.each(KEY_ARNS)("GIVEN key ARN %p THEN the grant accepts it exactly when the state does", (arn) => {
    expect({ arn, grant: accepts(viaGrant, arn) }).toEqual({ arn, grant: accepts(viaState, arn) });
  });

  test("GIVEN a key id of the wrong UUID variant in a grant THEN exit-2 error names the field and the rule", () => {
    const arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    expect(() => validateConfig(baseConfig(viaGrant(arn)))).toThrow(/roles\[0\]\.grants\.terraformState\.kmsKeyArn: .*expected a KMS key ARN/);
  });
});
