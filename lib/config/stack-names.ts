import { BitbucketOidcConfigInput } from "../config/model";
import { joinPath, ProblemList } from "../core/problems";
import { isObjectKey } from "../core/terraform-id";

/**
 * Checks the names of the stacks a config makes: `<stack>`, `<stack>-<account name>` (accounts:) and
 * `<stack>-state` (state.bootstrap). Each must be a name the constructs library can hold, and no two
 * may be equal; a clash names both fields.
 */
export function checkStackNames(raw: BitbucketOidcConfigInput, list: ProblemList): void {
  if (typeof raw.stack !== "string") return;
  if (isObjectKey(raw.stack)) {
    list.add("stack", raw.stack, `"${raw.stack}" is a name every JavaScript object has, which the construct tree cannot hold as a stack name; choose another, e.g. "${raw.stack}-oidc"`);
    return;
  }
  if (raw.state?.bootstrap !== true || !Array.isArray(raw.accounts)) return;
  raw.accounts.forEach((account, i) => {
    if (account?.name === "state") {
      list.add(
        joinPath(joinPath("accounts", i), "name"),
        account.name,
        `makes the stack "${raw.stack}-state", which state.bootstrap: true also makes (the state bucket's stack); rename the account`,
      );
    }
  });
}
