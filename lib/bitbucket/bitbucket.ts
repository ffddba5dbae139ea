/** Facts about Bitbucket Pipelines' OIDC issuer, shared by the constructs, the config and the tools. */

/** Workspace slug: lower-case letters, digits, `-` and `_`, as Bitbucket allows in workspace ids. */
export const WORKSPACE_SLUG_PATTERN = /^[a-z0-9][a-z0-9_-]{0,61}$/;

export const WORKSPACE_SLUG_EXPECTED =
  'a Bitbucket workspace slug (lower-case letters, digits, "-" or "_", at most 62 characters), e.g. "acme"';

/** Host and path of a workspace's issuer, without scheme: also the IAM condition-key prefix. */
export function issuerHostPath(workspaceSlug: string): string {
  return `api.bitbucket.org/2.0/workspaces/${workspaceSlug}/pipelines-config/identity/oidc`;
}

/** The issuer URL of a workspace, as the `iss` claim carries it. */
export function issuerUrl(workspaceSlug: string): string {
  return `https://${issuerHostPath(workspaceSlug)}`;
}

/** Bitbucket's default audience for a workspace: `ari:cloud:bitbucket::workspace/<uuid without braces>`. */
export function defaultAudience(bareWorkspaceUuid: string): string {
  return `ari:cloud:bitbucket::workspace/${bareWorkspaceUuid}`;
}

/** Recognizes a Bitbucket issuer host/path (or URL) and returns its workspace slug. */
export function workspaceOfIssuer(issuer: string): string | undefined {
  const m = /^(?:https:\/\/)?api\.bitbucket\.org\/2\.0\/workspaces\/([^/]+)\/pipelines-config\/identity\/oidc$/.exec(issuer);
  return m ? m[1] : undefined;
}

/** The OIDC provider ARN IAM gives a workspace's issuer in an account. */
export function providerArn(accountId: string, workspaceSlug: string, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:oidc-provider/${issuerHostPath(workspaceSlug)}`;
}

/**
 * `sub` patterns a trust policy matches. Bitbucket's `sub` is `{repo}:{step}` or, for a step with a
 * deployment environment, `{repo}:{env}:{step}`. The step UUID changes every run, hence the `:*`.
 * Note that `{repo}:*` also matches the repository's environment-bound steps.
 */
export function subjectPattern(repositoryUuid: string, environmentUuid?: string): string {
  return environmentUuid ? `${repositoryUuid}:${environmentUuid}:*` : `${repositoryUuid}:*`;
}

/** The `sub` pattern of an explicit, named opt-in to every repository of the workspace. */
export const ANY_REPOSITORY_SUBJECT = "{*}:*";
