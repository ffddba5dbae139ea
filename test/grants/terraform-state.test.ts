import { ACCOUNT, expectDecisions, synthGrants } from "./grant-roles";

const BUCKET = "arn:aws:s3:::acme-terraform-state";
const KEY = "web-app/terraform.tfstate";
const STATE = `${BUCKET}/${KEY}`;
const LOCK = `${STATE}.tflock`;
const OTHER_STATE = `${BUCKET}/payments/terraform.tfstate`;
const KMS = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-44cd-96ef-1234567890ab`;
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/terraform-locks`;
const location = { bucket: "acme-terraform-state", key: KEY };

describe("grant terraformState, evaluated on the synthesized policies", () => {
  test("GIVEN level plan and listPrefixOnly THEN init/plan (list under the key, read, lock with <key>.tflock) is allowed, and writing the state is not", async () => {
    const granted = synthGrants({ terraformState: { level: "plan", ...location, listPrefixOnly: true } }, { accountId: ACCOUNT });
    try {
      await expectDecisions(granted, "Allowed", [
        ["s3:ListBucket", BUCKET, { "s3:prefix": KEY }],
        ["s3:ListBucket", BUCKET, { "s3:prefix": "env:/" }],
        ["s3:GetObject", STATE],
        ["s3:GetObject", LOCK],
        ["s3:PutObject", LOCK],
        ["s3:DeleteObject", LOCK],
      ]);
      await expectDecisions(granted, "ImplicitlyDenied", [
        ["s3:PutObject", STATE],
        ["s3:DeleteObject", STATE],
        ["s3:GetObject", OTHER_STATE],
        ["s3:GetObject", `${OTHER_STATE}.tflock`],
        ["s3:PutObject", `${OTHER_STATE}.tflock`],
        ["s3:ListBucket", BUCKET, { "s3:prefix": "payments/" }],
        ["s3:ListBucket", BUCKET, { "s3:prefix": "" }],
        ["s3:ListBucket", BUCKET],
        ["s3:DeleteBucket", BUCKET],
        ["s3:PutBucketPolicy", BUCKET],
        ["s3:GetObjectVersion", STATE],
      ]);
    } finally {
      granted.out.dispose();
    }
  });

  test("GIVEN level apply THEN it also writes the state, and still not another key nor the bucket", async () => {
    const granted = synthGrants({ terraformState: { level: "apply", ...location } }, { accountId: ACCOUNT });
    try {
      await expectDecisions(granted, "Allowed", [["s3:GetObject", STATE], ["s3:PutObject", STATE], ["s3:PutObject", LOCK], ["s3:DeleteObject", LOCK]]);
      await expectDecisions(granted, "ImplicitlyDenied", [["s3:PutObject", OTHER_STATE], ["s3:DeleteObject", STATE], ["s3:DeleteBucket", BUCKET], ["s3:PutObject", `${BUCKET}/env:/dev/${KEY}`]]);
    } finally {
      granted.out.dispose();
    }
  });

  test("GIVEN a DynamoDB lock table and a KMS key THEN the lock table and the key work, GenerateDataKey only where the role writes", async () => {
    const plan = synthGrants({ terraformState: { level: "plan", ...location, useLockfile: false, lockTable: "terraform-locks", kmsKeyArn: KMS } }, { accountId: ACCOUNT });
    const apply = synthGrants({ terraformState: { level: "apply", ...location, useLockfile: false, lockTable: "terraform-locks", kmsKeyArn: KMS } }, { accountId: ACCOUNT });
    try {
      const lockTable = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"].map((a) => [a, TABLE] as const);
      await expectDecisions(plan, "Allowed", [...lockTable, ["kms:Decrypt", KMS]]);
      await expectDecisions(plan, "ImplicitlyDenied", [
        ["kms:GenerateDataKey", KMS],
        ["s3:GetObject", LOCK],
        ["dynamodb:DeleteTable", TABLE],
        ["dynamodb:Scan", TABLE],
        ["dynamodb:GetItem", `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/other`],
        ["kms:Decrypt", `arn:aws:kms:us-east-1:${ACCOUNT}:key/0000abcd-12ab-44cd-96ef-1234567890ab`],
        ["kms:ScheduleKeyDeletion", KMS],
      ]);
      await expectDecisions(apply, "Allowed", [...lockTable, ["kms:Decrypt", KMS], ["kms:GenerateDataKey", KMS], ["s3:PutObject", STATE]]);
    } finally {
      plan.out.dispose();
      apply.out.dispose();
    }
  });

  test("GIVEN a prefix and listPrefixOnly THEN every state under it, and nothing beside it", async () => {
    const granted = synthGrants({ terraformState: { level: "apply", bucket: "acme-terraform-state", prefix: "team-a/", listPrefixOnly: true } }, { accountId: ACCOUNT });
    try {
      await expectDecisions(granted, "Allowed", [
        ["s3:ListBucket", BUCKET, { "s3:prefix": "team-a/" }],
        ["s3:ListBucket", BUCKET, { "s3:prefix": "team-a/web/terraform.tfstate" }],
        ["s3:PutObject", `${BUCKET}/team-a/web/terraform.tfstate`],
        ["s3:PutObject", `${BUCKET}/team-a/web/terraform.tfstate.tflock`],
        ["s3:DeleteObject", `${BUCKET}/team-a/web/terraform.tfstate.tflock`],
      ]);
      await expectDecisions(granted, "ImplicitlyDenied", [
        ["s3:GetObject", `${BUCKET}/team-b/web/terraform.tfstate`],
        ["s3:ListBucket", BUCKET, { "s3:prefix": "team-b/" }],
        ["s3:DeleteObject", `${BUCKET}/team-a/web/terraform.tfstate`],
      ]);
    } finally {
      granted.out.dispose();
    }
  });
});
