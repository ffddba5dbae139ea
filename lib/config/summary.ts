import { BitbucketOidcConfig } from "./model";

/**
 * One line on what a validated config holds, for validate and synth: the workspace, the accounts
 * (with `accounts:`), and the roles and repositories over every account.
 * @example "workspace acme, 2 accounts, 5 roles, 3 repositories"
 */
export function configSummary(config: BitbucketOidcConfig): string {
  const accounts = config.accounts ?? [config];
  const roles = accounts.flatMap((a) => a.roles);
  const repositories = new Set(roles.flatMap((r) => (r.repositories ?? []).map((x) => x.uuid))).size;
  const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  return [
    `workspace ${config.workspace.slug}`,
    ...(config.accounts ? [count(accounts.length, "account", "accounts")] : []),
    count(roles.length, "role", "roles"),
    count(repositories, "repository", "repositories"),
  ].join(", ");
}
