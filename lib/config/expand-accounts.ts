import { AccountInput, BitbucketOidcConfigInput, RoleConfig, RoleOverrideInput } from "./model";
import { joinPath } from "../core/problems";
import { defaultStateKey } from "../state/state-rules";

/** One account of `accounts:`, as the single-account config its stack is built from. */
export interface ExpandedAccount {
  /** Position in `accounts:`. */
  readonly index: number;
  /** The account as written. */
  readonly account: AccountInput;
  /** A single-account config (`aws:` form) for this account: its roles, provider, stack name and state key. */
  readonly input: BitbucketOidcConfigInput;
  /** Maps a field path of `input` back to the field the user wrote, for messages. */
  originalPath(path: string): string;
}

/**
 * The state key of one account: the account name inserted as a folder before the file name.
 * @example accountStateKey("org/terraform.tfstate", "prod") // "org/prod/terraform.tfstate"
 */
export function accountStateKey(key: string, accountName: string): string {
  const slash = key.lastIndexOf("/");
  return slash < 0 ? `${accountName}/${key}` : `${key.slice(0, slash)}/${accountName}/${key.slice(slash + 1)}`;
}

/** The stack of one account: `<stack>-<account name>`. */
export function accountStackName(stack: string, accountName: string): string {
  return `${stack}-${accountName}`;
}

/** Where a role of an expanded account came from. */
type RoleOrigin = { readonly kind: "shared"; readonly index: number; readonly override?: RoleOverrideInput } | { readonly kind: "account"; readonly index: number };

/** The shared roles an account gets: those without `accounts:`, or naming it; overrides applied. */
function rolesOf(raw: BitbucketOidcConfigInput, account: AccountInput): { roles: RoleConfig[]; origins: RoleOrigin[] } {
  const roles: RoleConfig[] = [];
  const origins: RoleOrigin[] = [];
  (raw.roles ?? []).forEach((role, index) => {
    if (role.accounts && !role.accounts.includes(account.name)) return;
    const { accounts: _accounts, ...shared } = role;
    // The schema admits in an override only the role's own keys but name and accounts.
    const override = account.overrides?.[role.name];
    roles.push({ ...shared, ...override });
    origins.push({ kind: "shared", index, override });
  });
  (account.roles ?? []).forEach((role, index) => {
    roles.push(role);
    origins.push({ kind: "account", index });
  });
  return { roles, origins };
}

/**
 * Turns a config with `accounts:` into one single-account config per account, each validated and
 * built like a config with `aws:`. Pure: the caller validates the result.
 */
export function expandAccounts(raw: BitbucketOidcConfigInput): ExpandedAccount[] {
  return (raw.accounts ?? []).map((account, index) => {
    const at = (key: string): string => joinPath(joinPath("accounts", index), key);
    const { roles, origins } = rolesOf(raw, account);
    const { accounts: _accounts, aws: _aws, ...shared } = raw;
    const input: BitbucketOidcConfigInput = {
      ...shared,
      stack: accountStackName(raw.stack, account.name),
      aws: { region: account.region, accountId: account.id, assumeRoleArn: account.assumeRoleArn, defaultTags: account.defaultTags },
      // The bootstrap stack (and so bootstrapBackend) belongs to the top level, not to each account.
      state: { ...raw.state, key: accountStateKey(raw.state?.key ?? defaultStateKey(raw.stack), account.name), bootstrap: false, bootstrapBackend: undefined },
      provider: raw.provider || account.provider ? { ...raw.provider, ...account.provider } : undefined,
      roles,
    };
    const originalPath = (path: string): string => {
      const role = /^roles\[(\d+)\](?:\.([^.[]+))?(.*)$/.exec(path);
      if (role) {
        const origin = origins[Number(role[1])];
        const field = role[2];
        const rest = field === undefined ? "" : `.${field}${role[3]}`;
        if (origin.kind === "account") return `${at("roles")}[${origin.index}]${rest}`;
        if (field !== undefined && origin.override && field in origin.override) return `${joinPath(at("overrides"), roles[Number(role[1])].name)}${rest}`;
        return `roles[${origin.index}]${rest}`;
      }
      const aws = /^aws\.(\w+)(.*)$/.exec(path);
      if (aws) return at(aws[1] === "accountId" ? "id" : aws[1]) + aws[2];
      const provider = /^provider\.(\w+)(.*)$/.exec(path);
      if (provider && account.provider && provider[1] in account.provider) return `${at("provider")}.${provider[1]}${provider[2]}`;
      if (path === "stack") return at("name");
      return path;
    };
    return { index, account, input, originalPath };
  });
}
