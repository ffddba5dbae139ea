/**
 * The pre-flight entry of a debug step: `bitbucket-oidc explain` on the step's own token, for one
 * role, before any AWS call. The token goes to a file only the step's user can read, removed on
 * exit, and is never printed; the exit code (0 the role accepts the token, 1 it refuses it) stops
 * the step with the failed condition in the log instead of STS's bare AccessDenied.
 */
import { AccessModel, AccessRole } from "../access-model/access-model";

/** One script line (a subshell, so the trap and umask stay inside it). */
export function explainPreflight(model: AccessModel, role: AccessRole): string {
  return [
    "(umask 077",
    'token_file="$(mktemp)"',
    "trap 'rm -f \"$token_file\"' EXIT",
    "printf '%s' \"$BITBUCKET_STEP_OIDC_TOKEN\" > \"$token_file\"",
    `npx --no bitbucket-oidc explain --token "$token_file" --role ${role.name} --stack ${model.stack})`,
  ].join("; ");
}
