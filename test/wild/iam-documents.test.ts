/**
 * Wild input, property: every IAM document synth writes is one IAM takes. Over generated configs of
 * every partition, each trust policy and each role's inline policies are within IAM's size limits
 * (counted as IAM counts, on the documents as written, references resolved). For the `aws` partition
 * (moto does not model the others), moto_server's IAM API creates the provider, the customer managed
 * policies, every role, inline policy and attachment exactly as cdk.tf.json says, and rejects nothing.
 */
import fc from "fast-check";
import { IAM_LIMITS, iamPolicySize } from "../../lib/iam/iam-limits";
import { configPartition, wildConfig, wildRuns, wildSeed, wildTimeout } from "../support/config-arbitrary";
import { describeWithMoto, MotoServer, startMoto } from "../support/moto";
import { rolesFromTerraform } from "../support/terraform-json";
import { applyStack, MotoIam } from "./iam-api";
import { synthStacks } from "./wild-synth";

const PLACEHOLDER_ACCOUNT = "999999999999";
const SIZE_RUNS = wildRuns(80);
/** Each config costs a moto reset and a few seconds of API calls: a share of WILD_RUNS. */
const MOTO_RUNS = wildRuns(8, 0.05);

describe("wild input: IAM documents within IAM's size limits", () => {
  test("GIVEN generated configs of every partition THEN every trust policy and every role's inline policies fit IAM's quotas", () => {
    let roles = 0;
    fc.assert(
      fc.property(wildConfig(), (config) => {
        const stacks = synthStacks(config);
        if (!stacks) return;
        const trustQuota = config.quotas?.trustPolicySize ?? IAM_LIMITS.trustPolicySizeDefault;
        const managedQuota = config.quotas?.managedPoliciesPerRole ?? IAM_LIMITS.managedPoliciesPerRoleDefault;
        for (const stack of stacks) {
          for (const role of rolesFromTerraform(stack.json, { accountId: stack.accountId ?? PLACEHOLDER_ACCOUNT, partition: configPartition(config) })) {
            const trust = iamPolicySize(JSON.stringify(role.trustPolicy));
            const inline = Object.values(role.inlinePolicies).reduce((sum, doc) => sum + iamPolicySize(JSON.stringify(doc)), 0);
            expect({ stack: stack.name, role: role.name, trustOver: trust > trustQuota, inlineOver: inline > IAM_LIMITS.inlinePoliciesTotalSize, managedOver: role.managedPolicyArns.length > managedQuota }).toEqual({
              stack: stack.name,
              role: role.name,
              trustOver: false,
              inlineOver: false,
              managedOver: false,
            });
            roles++;
          }
        }
      }),
      { numRuns: SIZE_RUNS, seed: wildSeed(), endOnFailure: true },
    );
    expect(roles).toBeGreaterThan(0);
  }, wildTimeout(SIZE_RUNS, 300));
});

describeWithMoto("wild input: IAM (moto_server) accepts every document of the aws partition", () => {
  let moto: MotoServer;
  let iam: MotoIam;
  beforeAll(async () => {
    moto = await startMoto({ env: { MOTO_IAM_LOAD_MANAGED_POLICIES: "true" } });
    iam = new MotoIam(moto.endpoint);
  }, 120_000);
  afterAll(() => moto?.stop());

  test("GIVEN generated configs THEN CreateOpenIDConnectProvider, CreateRole, UpdateAssumeRolePolicy, PutRolePolicy and AttachRolePolicy accept all of it", async () => {
    let applied = 0;
    await fc.assert(
      fc.asyncProperty(wildConfig({ partitions: ["aws"] }), async (config) => {
        const stacks = synthStacks(config);
        if (!stacks) return;
        await iam.reset();
        const created = new Set<string>();
        for (const stack of stacks) {
          // A stack without allowed_account_ids (aws.accountId unset) deploys to the caller's account.
          const rejections = await applyStack(iam, stack.json, stack.accountId ?? PLACEHOLDER_ACCOUNT, created);
          expect({ stack: stack.name, rejections }).toEqual({ stack: stack.name, rejections: [] });
          applied++;
        }
      }),
      { numRuns: MOTO_RUNS, seed: wildSeed(), endOnFailure: true },
    );
    expect(applied).toBeGreaterThan(0);
  }, wildTimeout(MOTO_RUNS, 3000));
});
