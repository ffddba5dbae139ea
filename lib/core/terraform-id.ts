/**
 * Construct ids the stack gives its own constructs beside the roles, which a role cannot share: the
 * AWS provider, the S3 backend (cdktf names it "backend"), the OIDC provider and the two fixed outputs.
 * (The conditional ones, "tls" and "caller", step aside for a role instead; see the stack.)
 */
const STACK_IDS: ReadonlySet<string> = new Set(["aws", "backend", "oidc-provider", "oidc_provider_arn", "account_id"]);

/** Names the constructs library cannot take as ids: it keeps children in a plain object ("constructor", "__proto__", ...). */
const OBJECT_KEYS: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * A legal, stable Terraform identifier (and construct id) for a name from the config. Role names may
 * hold `+=,.@`, start with a digit or `-`, or be words JavaScript objects already have:
 * - every character but letters, digits, `_` and `-` becomes `_` (as it always did);
 * - a result not starting with a letter or `_` (Terraform's rule), or one of the ids above, gets a
 *   leading `_`: `2024-deploy` -> `_2024-deploy`, `-x` -> `_-x`, `constructor` -> `_constructor`.
 * Every name that was a legal identifier before keeps its id, hence its Terraform address. Different
 * names can meet (`a.b` and `a_b`, `2024` and `_2024`): the config validation refuses those, naming both.
 * The id, not a list position, names the resource, so reordering roles changes nothing in the output.
 */
export function terraformId(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_-]/g, "_");
  return /^[A-Za-z_]/.test(id) && !STACK_IDS.has(id) && !OBJECT_KEYS.has(id) ? id : `_${id}`;
}

/** Whether the constructs library would take `id` for a child it already has ("constructor", "toString", ...). */
export function isObjectKey(id: string): boolean {
  return OBJECT_KEYS.has(id);
}

/** Terraform's rule for identifiers (resource names, outputs): a letter or `_` first, then letters, digits, `_` and `-`. */
export const TERRAFORM_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
