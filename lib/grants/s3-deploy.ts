/**
 * `s3Deploy`: `aws s3 sync <dir> s3://<bucket>/<prefix> [--delete]` and, optionally,
 * `aws cloudfront create-invalidation` (+ `wait invalidation-completed`) on one distribution.
 * Actions: the S3 API calls of `aws s3 sync` (ListObjectsV2, PutObject, DeleteObject, GetObject for
 * S3-to-S3 copies) and CloudFront's CreateInvalidation/GetInvalidation.
 */
import { IamStatement } from "../iam/policy-document";
import { joinPath, ProblemList } from "../core/problems";
import type { GrantContext, GrantKindDescriptor, GrantOutput } from "./grant-types";
import { checkBucket, checkDistributionId, checkPrefix } from "./resource-rules";

/**
 * `s3Deploy`: `aws s3 sync` of a site to a bucket (or prefix), optionally invalidating one CloudFront distribution.
 * @example { bucket: "acme-site", cloudFrontDistributionId: "E2QWRUHAPOMQZL" }
 */
export interface S3DeployGrant {
  /** The site bucket. @example "acme-site" */
  readonly bucket: string;
  /** Only under this prefix, ending in "/". @default the whole bucket @example "docs/" */
  readonly prefix?: string;
  /** Allow deleting objects (`aws s3 sync --delete`). @default true */
  readonly delete?: boolean;
  /** A CloudFront distribution to invalidate after the sync. @default none @example "E2QWRUHAPOMQZL" */
  readonly cloudFrontDistributionId?: string;
}

export const SYNC_LIST_ACTIONS = ["s3:ListBucket"] as const;
export const SYNC_OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject"] as const;
export const SYNC_DELETE_ACTIONS = ["s3:DeleteObject"] as const;
export const INVALIDATION_ACTIONS = ["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"] as const;

export function checkS3Deploy(grant: S3DeployGrant, path: string, list: ProblemList): void {
  checkBucket(grant.bucket, joinPath(path, "bucket"), list);
  if (grant.prefix !== undefined) checkPrefix(grant.prefix, joinPath(path, "prefix"), list);
  if (grant.cloudFrontDistributionId !== undefined) checkDistributionId(grant.cloudFrontDistributionId, joinPath(path, "cloudFrontDistributionId"), list);
}

export function s3DeployStatements(grant: S3DeployGrant, ctx: GrantContext): GrantOutput {
  const objects = `arn:${ctx.partition}:s3:::${grant.bucket}/${grant.prefix ?? ""}*`;
  const list: IamStatement = { Sid: "SiteList", Effect: "Allow", Action: SYNC_LIST_ACTIONS[0], Resource: `arn:${ctx.partition}:s3:::${grant.bucket}` };
  if (grant.prefix !== undefined) list.Condition = { StringLike: { "s3:prefix": `${grant.prefix}*` } };
  const statements: IamStatement[] = [
    list,
    { Sid: "SiteObjects", Effect: "Allow", Action: [...SYNC_OBJECT_ACTIONS, ...(grant.delete === false ? [] : SYNC_DELETE_ACTIONS)], Resource: objects },
  ];
  if (grant.cloudFrontDistributionId !== undefined) {
    statements.push({
      Sid: "SiteInvalidation",
      Effect: "Allow",
      Action: [...INVALIDATION_ACTIONS],
      Resource: `arn:${ctx.partition}:cloudfront::${ctx.accountId}:distribution/${grant.cloudFrontDistributionId}`,
    });
  }
  return { statements, managedPolicyArns: [] };
}

/** The `s3Deploy` grant kind (registered in ./registry.ts). */
export const s3Deploy: GrantKindDescriptor<"s3Deploy", S3DeployGrant> = { name: "s3Deploy", check: (grant, _ctx, path, list) => checkS3Deploy(grant, path, list), output: s3DeployStatements };
