import { IAM_LIMITS } from "./iam-limits";
import { joinPath, ProblemList } from "../core/problems";

/**
 * IAM quotas an account may have raised. Set them to what Service Quotas shows for the account.
 * @example { trustPolicySize: 4096, managedPoliciesPerRole: 20 }
 */
export interface IamQuotas {
  /** Role trust policy size, non-whitespace characters. @default 2048 (raise up to 4096) */
  readonly trustPolicySize?: number;
  /** Managed policies attached to one role. @default 10 (raise up to 20) */
  readonly managedPoliciesPerRole?: number;
  /** IAM roles in one account (checked per account stack). @default 1000 (raise up to 5000) */
  readonly rolesPerAccount?: number;
}

/** Quotas with defaults applied. */
export type ResolvedQuotas = Required<IamQuotas>;

/** Applies IAM's defaults. */
export function resolveQuotas(quotas: IamQuotas | undefined): ResolvedQuotas {
  return {
    trustPolicySize: quotas?.trustPolicySize ?? IAM_LIMITS.trustPolicySizeDefault,
    managedPoliciesPerRole: quotas?.managedPoliciesPerRole ?? IAM_LIMITS.managedPoliciesPerRoleDefault,
    rolesPerAccount: quotas?.rolesPerAccount ?? IAM_LIMITS.rolesPerAccountDefault,
  };
}

/** Checks raised quotas against what AWS allows them to be raised to. */
export function checkQuotas(quotas: IamQuotas | undefined, path: string, list: ProblemList): void {
  if (!quotas) return;
  const range = (key: keyof IamQuotas, min: number, max: number): void => {
    const value = quotas[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
      list.add(joinPath(path, key), value, `expected a whole number from ${min} (IAM's default) to ${max} (the highest AWS grants)`);
    }
  };
  range("trustPolicySize", IAM_LIMITS.trustPolicySizeDefault, IAM_LIMITS.trustPolicySizeMax);
  range("managedPoliciesPerRole", IAM_LIMITS.managedPoliciesPerRoleDefault, IAM_LIMITS.managedPoliciesPerRoleMax);
  range("rolesPerAccount", IAM_LIMITS.rolesPerAccountDefault, IAM_LIMITS.rolesPerAccountMax);
}

/**
 * Checks the roles one account stack creates against the roles-per-account quota: for a
 * single-account config at `roles`, for each account of `accounts:` at `accounts[i]`.
 */
export function checkRolesPerAccount(count: number, quotas: ResolvedQuotas, path: string, list: ProblemList): void {
  if (count <= quotas.rolesPerAccount) return;
  list.add(
    path,
    `${count} roles`,
    `expected at most ${quotas.rolesPerAccount} roles per account (IAM quota); raise it (up to ${IAM_LIMITS.rolesPerAccountMax}) and declare it under quotas.rolesPerAccount, or move roles to another account`,
  );
}
