import { BitbucketOidcConfigInput } from "./model";
import { closestName } from "../core/edit-distance";
import { ACCOUNT_ID_EXPECTED, ACCOUNT_ID_PATTERN } from "../iam/arn";
import { joinPath, ProblemList } from "../core/problems";
import { checkRolesPerAccount, ResolvedQuotas } from "../iam/quotas";
import { normalizeUuid, UUID_EXPECTED } from "../bitbucket/uuid";
import { ExpandedAccount } from "./expand-accounts";

/**
 * Checks `accounts:` as a whole: ids and names, the accounts that shared roles and overrides name,
 * environments mapped to one account each, roles in the account their environments belong to, and
 * per-account limits.
 */
export function checkAccounts(raw: BitbucketOidcConfigInput, expanded: readonly ExpandedAccount[], quotas: ResolvedQuotas, list: ProblemList): void {
  const accounts = raw.accounts ?? [];
  const ids = new Map<string, number>();
  const names = new Map<string, number>();
  const environmentAccount = new Map<string, { name: string; index: number }>();
  accounts.forEach((account, i) => {
    const at = (key: string): string => joinPath(joinPath("accounts", i), key);
    if (!ACCOUNT_ID_PATTERN.test(account.id)) list.add(at("id"), account.id, `expected ${ACCOUNT_ID_EXPECTED}`);
    else if (ids.has(account.id)) list.add(at("id"), account.id, `accounts[${ids.get(account.id)}] has this id already; each account once (its roles may be listed together)`);
    else ids.set(account.id, i);
    if (account.name === "state" && raw.state?.bootstrap === true) {
      list.add(at("name"), account.name, `this account's stack would be ${raw.stack}-state, the name of the stack that state.bootstrap: true creates; rename the account`);
    }
    if (names.has(account.name)) list.add(at("name"), account.name, `accounts[${names.get(account.name)}] has this name already; names make the stack names, so each must be unique`);
    else names.set(account.name, i);
    (account.environments ?? []).forEach((environment, j) => {
      const owner = environmentAccount.get(environment);
      if (owner && owner.name !== account.name) {
        list.add(joinPath(at("environments"), j), environment, `account "${owner.name}" (accounts[${owner.index}]) serves this environment already; map each environment to one account`);
      } else {
        environmentAccount.set(environment, { name: account.name, index: i });
      }
    });
    for (const roleName of Object.keys(account.overrides ?? {})) {
      const shared = (raw.roles ?? []).find((r) => r.name === roleName);
      if (!shared) {
        const hint = closestName(roleName, (raw.roles ?? []).map((r) => r.name));
        list.add(joinPath(at("overrides"), roleName), roleName, `expected the name of a shared role (top-level roles:); ${hint ? `did you mean "${hint}"? ` : ""}${raw.roles?.length ? `known: ${raw.roles.map((r) => r.name).join(", ")}` : "there are none"}`);
      } else if (shared.accounts && !shared.accounts.includes(account.name)) list.add(joinPath(at("overrides"), roleName), roleName, `role "${roleName}" is not shared with account "${account.name}" (its accounts: ${shared.accounts.join(", ")})`);
    }
  });
  (raw.roles ?? []).forEach((role, i) => {
    // A shared role's repositories are checked per account; where every account overrides them, the
    // written ones would go unchecked: a malformed UUID (a wildcard, say) is an error all the same.
    (Array.isArray(role.repositories) ? role.repositories : []).forEach((repo, r) => {
      const repoPath = joinPath(joinPath(joinPath("roles", i), "repositories"), r);
      if (!normalizeUuid(String(repo?.uuid ?? ""))) list.add(joinPath(repoPath, "uuid"), repo?.uuid, `expected ${UUID_EXPECTED}`);
      (Array.isArray(repo?.environments) ? repo.environments : []).forEach((env: { uuid?: string } | undefined, x: number) => {
        if (!normalizeUuid(String(env?.uuid ?? ""))) list.add(joinPath(joinPath(joinPath(repoPath, "environments"), x), "uuid"), env?.uuid, `expected ${UUID_EXPECTED}`);
      });
    });
    (role.accounts ?? []).forEach((name, j) => {
      if (!names.has(name)) list.add(joinPath(joinPath(joinPath("roles", i), "accounts"), j), name, `expected the name of an account: ${accounts.map((a) => a.name).join(", ")}`);
    });
  });
  for (const e of expanded) {
    const roles = e.input.roles ?? [];
    checkRolesPerAccount(roles.length, quotas, joinPath("accounts", e.index), list);
    roles.forEach((role, k) => {
      if (role.environmentAccountOverride !== undefined) {
        if (role.environmentAccountOverride.trim() === "") list.add(e.originalPath(`roles[${k}].environmentAccountOverride`), role.environmentAccountOverride, "expected a reason, in words");
        return;
      }
      (role.repositories ?? []).forEach((repo, r) => {
        (repo.environments ?? []).forEach((env, x) => {
          // Accounts map environments by name: an unnamed one could be in any account, so it cannot go unchecked.
          if (env.name === undefined && environmentAccount.size > 0) {
            list.add(
              e.originalPath(`roles[${k}].repositories[${r}].environments[${x}].name`),
              undefined,
              `expected the name of environment ${env.uuid} (accounts map environments by name: ${[...environmentAccount.keys()].join(", ")}), so that role "${role.name}" can be checked to be in its account; or say why it need not be with environmentAccountOverride: "<reason>"`,
            );
            return;
          }
          const owner = env.name === undefined ? undefined : environmentAccount.get(env.name);
          if (owner && owner.name !== e.account.name) {
            list.add(
              e.originalPath(`roles[${k}].repositories[${r}].environments[${x}].name`),
              env.name,
              `environment "${env.name}" is served by account "${owner.name}" (accounts[${owner.index}].environments), but role "${role.name}" is in account "${e.account.name}"; move the role there, or say why with environmentAccountOverride: "<reason>"`,
            );
          }
        });
      });
    });
  }
}
