import { ACCOUNT, expectDecisions, synthGrants } from "./grant-roles";

const SITE = "arn:aws:s3:::acme-site";
const DISTRIBUTION = `arn:aws:cloudfront::${ACCOUNT}:distribution/E2QWRUHAPOMQZL`;

describe("grant s3Deploy, evaluated on the synthesized policies", () => {
  test("GIVEN s3Deploy with a distribution THEN aws s3 sync --delete and one invalidation are allowed, and nothing nearby", async () => {
    const granted = synthGrants({ s3Deploy: { bucket: "acme-site", cloudFrontDistributionId: "E2QWRUHAPOMQZL" } }, { accountId: ACCOUNT });
    try {
      await expectDecisions(granted, "Allowed", [
        ["s3:ListBucket", SITE],
        ["s3:GetObject", `${SITE}/index.html`],
        ["s3:PutObject", `${SITE}/index.html`],
        ["s3:DeleteObject", `${SITE}/old.html`],
        ["cloudfront:CreateInvalidation", DISTRIBUTION],
        ["cloudfront:GetInvalidation", DISTRIBUTION],
      ]);
      await expectDecisions(granted, "ImplicitlyDenied", [
        ["s3:PutObject", "arn:aws:s3:::acme-other/index.html"],
        ["s3:DeleteBucket", SITE],
        ["s3:PutBucketPolicy", SITE],
        ["s3:PutObjectAcl", `${SITE}/index.html`],
        ["cloudfront:CreateInvalidation", `arn:aws:cloudfront::${ACCOUNT}:distribution/E1OTHERDISTRIB`],
        ["cloudfront:UpdateDistribution", DISTRIBUTION],
        ["cloudfront:DeleteDistribution", DISTRIBUTION],
      ]);
    } finally {
      granted.out.dispose();
    }
  });

  test("GIVEN a prefix and delete: false THEN only that prefix, and no deletes", async () => {
    const granted = synthGrants({ s3Deploy: { bucket: "acme-site", prefix: "docs/", delete: false } }, { accountId: ACCOUNT });
    try {
      await expectDecisions(granted, "Allowed", [["s3:ListBucket", SITE, { "s3:prefix": "docs/" }], ["s3:PutObject", `${SITE}/docs/index.html`]]);
      await expectDecisions(granted, "ImplicitlyDenied", [
        ["s3:ListBucket", SITE, { "s3:prefix": "blog/" }],
        ["s3:PutObject", `${SITE}/index.html`],
        ["s3:DeleteObject", `${SITE}/docs/old.html`],
        ["cloudfront:CreateInvalidation", `arn:aws:cloudfront::${ACCOUNT}:distribution/E2QWRUHAPOMQZL`],
      ]);
    } finally {
      granted.out.dispose();
    }
  });
});
