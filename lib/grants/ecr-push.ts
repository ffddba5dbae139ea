/**
 * `ecrPush`: `docker push` / `atlassian/aws-ecr-push-image` (AWS_OIDC_ROLE_ARN) on named repositories.
 * Actions from "IAM permissions for pushing an image to an Amazon ECR private repository" and
 * "... for pulling an image" (docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html,
 * image-pull-iam.html).
 */
import { IamStatement } from "../iam/policy-document";
import { joinPath, ProblemList } from "../core/problems";
import type { GrantContext, GrantKindDescriptor, GrantOutput } from "./grant-types";
import { checkEcrRepository, checkList, needsRegion } from "./resource-rules";

/**
 * `ecrPush`: what `docker push` and the `atlassian/aws-ecr-push-image` pipe need.
 * @example { repositories: ["mydockerimage"] }
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html
 */
export interface EcrPushGrant {
  /** ECR repository names (not ARNs) in the stack's account and region. @example ["mydockerimage"] */
  readonly repositories: readonly string[];
  /** Only pull (`docker pull`): no upload or PutImage. @default false */
  readonly pullOnly?: boolean;
  /** Also allow `ecr:CreateRepository` (and `ecr:DescribeRepositories`) for the named repositories. @default false */
  readonly createRepositories?: boolean;
  /**
   * The repositories use immutable tags: explicitly deny `ecr:PutImageTagMutability` on them, so the
   * pipeline (even with a wider managed policy) cannot switch tags back to mutable.
   * @default false
   */
  readonly immutableTags?: boolean;
}

/** `ecr:GetAuthorizationToken` has no resource level: it is granted on `*` (it only returns a docker login). */
export const ECR_LOGIN_ACTIONS = ["ecr:GetAuthorizationToken"] as const;
/** What `docker push` calls on a repository (AWS's documented minimum for a push). */
export const ECR_PUSH_ACTIONS = [
  "ecr:BatchCheckLayerAvailability",
  "ecr:BatchGetImage",
  "ecr:CompleteLayerUpload",
  "ecr:InitiateLayerUpload",
  "ecr:PutImage",
  "ecr:UploadLayerPart",
] as const;
/** What `docker pull` calls on a repository. */
export const ECR_PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] as const;
export const ECR_CREATE_ACTIONS = ["ecr:CreateRepository", "ecr:DescribeRepositories"] as const;

export function checkEcrPush(grant: EcrPushGrant, ctx: Pick<GrantContext, "region">, path: string, list: ProblemList): void {
  checkList(grant.repositories, joinPath(path, "repositories"), list, checkEcrRepository, '["mydockerimage"]');
  if (grant.pullOnly === true && grant.createRepositories === true) {
    list.add(joinPath(path, "createRepositories"), true, "a pull-only grant cannot create repositories; drop one of pullOnly and createRepositories");
  }
  needsRegion(ctx.region, joinPath(path, "repositories"), "ECR repository", list);
}

export function ecrRepositoryArn(ctx: GrantContext, name: string): string {
  return `arn:${ctx.partition}:ecr:${ctx.region}:${ctx.accountId}:repository/${name}`;
}

export function ecrPushStatements(grant: EcrPushGrant, ctx: GrantContext): GrantOutput {
  const arns = grant.repositories.map((r) => ecrRepositoryArn(ctx, r));
  const resource = arns.length === 1 ? arns[0] : arns;
  const statements: IamStatement[] = [
    { Sid: "EcrLogin", Effect: "Allow", Action: ECR_LOGIN_ACTIONS[0], Resource: "*" },
    { Sid: grant.pullOnly ? "EcrPull" : "EcrPush", Effect: "Allow", Action: [...(grant.pullOnly ? ECR_PULL_ACTIONS : ECR_PUSH_ACTIONS)], Resource: resource },
  ];
  if (grant.createRepositories) statements.push({ Sid: "EcrCreateRepository", Effect: "Allow", Action: [...ECR_CREATE_ACTIONS], Resource: resource });
  if (grant.immutableTags) statements.push({ Sid: "EcrKeepTagsImmutable", Effect: "Deny", Action: "ecr:PutImageTagMutability", Resource: resource });
  return { statements, managedPolicyArns: [] };
}

/** The `ecrPush` grant kind (registered in ./registry.ts). */
export const ecrPush: GrantKindDescriptor<"ecrPush", EcrPushGrant> = { name: "ecrPush", check: checkEcrPush, output: ecrPushStatements };
