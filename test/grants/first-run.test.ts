/**
 * Issue 17 item 9: the first `terraform init` of a new state key. Terraform's S3 backend reads the
 * state with HeadObject and treats only 404 as "no state yet"; S3 answers 404 for a missing key only
 * when the caller may s3:ListBucket the bucket, and that implicit check carries no s3:prefix. So the
 * default state grants must allow s3:ListBucket on the bucket with no s3:prefix in the request
 * context; `listPrefixOnly: true` is the opt-in that gives this up.
 */
import { Grants } from "../../lib/grants/grant-types";
import { ACCOUNT, expectDecisions, synthGrants } from "./grant-roles";

const BUCKET = "arn:aws:s3:::acme-terraform-state";
const KEY = "web-app/terraform.tfstate";

const DEFAULT_GRANTS: [string, Grants][] = [
  ["terraformState plan (key)", { terraformState: { level: "plan", bucket: "acme-terraform-state", key: KEY } }],
  ["terraformState apply (key)", { terraformState: { level: "apply", bucket: "acme-terraform-state", key: KEY } }],
  ["terraformState apply (prefix)", { terraformState: { level: "apply", bucket: "acme-terraform-state", prefix: "team-a/" } }],
  ["terraformPlan (this stack)", { terraformPlan: { bucket: "acme-terraform-state", key: "bitbucket-oidc/terraform.tfstate" } }],
  ["terraformPlan (managed policy)", { terraformPlan: { bucket: "acme-terraform-state", key: KEY, managedPolicy: "ReadOnlyAccess" } }],
];

describe("first run of a new state key: HeadObject of a missing key needs s3:ListBucket without s3:prefix", () => {
  test.each(DEFAULT_GRANTS)("GIVEN the default %s THEN s3:ListBucket on the bucket with no s3:prefix is allowed, and other buckets are not", async (_name, grants) => {
    const granted = synthGrants(grants, { accountId: ACCOUNT });
    try {
      await expectDecisions(granted, "Allowed", [["s3:ListBucket", BUCKET]]);
      await expectDecisions(granted, "ImplicitlyDenied", [["s3:ListBucket", "arn:aws:s3:::acme-other-bucket"], ["s3:PutObject", `${BUCKET}/payments/terraform.tfstate`]]);
    } finally {
      granted.out.dispose();
    }
  });

  test.each([
    ["terraformState", { terraformState: { level: "apply", bucket: "acme-terraform-state", key: KEY, listPrefixOnly: true } }],
    ["terraformPlan", { terraformPlan: { bucket: "acme-terraform-state", key: KEY, managedPolicy: "ReadOnlyAccess", listPrefixOnly: true } }],
  ] as [string, Grants][])("GIVEN %s with listPrefixOnly: true THEN listing without s3:prefix is denied (the opt-in's trade-off), listing the key is not", async (_name, grants) => {
    const granted = synthGrants(grants, { accountId: ACCOUNT });
    try {
      await expectDecisions(granted, "ImplicitlyDenied", [["s3:ListBucket", BUCKET]]);
      await expectDecisions(granted, "Allowed", [["s3:ListBucket", BUCKET, { "s3:prefix": KEY }]]);
    } finally {
      granted.out.dispose();
    }
  });
});
