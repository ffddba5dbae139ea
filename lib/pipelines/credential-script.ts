import { AccessRole } from "../access-model/access-model";

/**
 * The shell lines a Bitbucket Pipelines step runs to let the AWS CLI, the SDKs and Terraform (provider
 * and S3 backend) assume a role through OIDC by themselves: the step's token goes to a file outside
 * the clone (mode 600), and AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_SESSION_NAME are
 * exported. Nothing is printed and no credential is ever fetched or stored by the script.
 *
 * POSIX sh (the hashicorp/terraform image has no bash) and bash alike; no `set -x` (it would echo
 * the token), `printf` is a shell builtin so the token never shows in a process list.
 */

/** Prefix of the session name; CloudTrail shows `bitbucket-<build number>-<step uuid>`. */
export const SESSION_NAME_PREFIX = "bitbucket";

/** Folder template for the token file: under /tmp, never inside $BITBUCKET_CLONE_DIR. */
export const TOKEN_DIR_TEMPLATE = "/tmp/bitbucket-oidc.XXXXXXXX";

/**
 * The repository or deployment variable that holds a role's ARN when the account id is unknown at
 * synth: `AWS_ROLE_ARN_<ROLE NAME>` upper-cased, every character Bitbucket does not allow in a
 * variable name (letters, digits, `_`) turned into `_`.
 */
export function roleArnVariable(roleName: string): string {
  return `AWS_ROLE_ARN_${roleName.toUpperCase().replace(/[^A-Z0-9_]/g, "_")}`;
}

/** What the step puts in AWS_ROLE_ARN: the literal ARN when known, else `$AWS_ROLE_ARN_<ROLE>`. */
export function roleArnExpression(role: AccessRole): string {
  return role.arn ?? `$${roleArnVariable(role.name)}`;
}

/** The credential lines of a step for `role`, as one script entry (a literal block in YAML). */
export function renderCredentialScript(role: AccessRole, region: string): string {
  const arnLine = role.arn
    ? `export AWS_ROLE_ARN=${shellQuote(role.arn)}`
    : `export AWS_ROLE_ARN="\${${roleArnVariable(role.name)}:?set the variable ${roleArnVariable(role.name)} to the Terraform output ${role.arnOutput}}"`;
  return [
    `# Assume ${role.name} through OIDC: the AWS CLI, SDKs and Terraform read these variables.`,
    `# The token goes to a file outside the clone (mode 600); nothing secret is printed.`,
    `: "\${BITBUCKET_STEP_OIDC_TOKEN:?no OIDC token: add oidc: true to this step}"`,
    arnLine,
    `AWS_WEB_IDENTITY_TOKEN_FILE="$(mktemp -d ${TOKEN_DIR_TEMPLATE})/web-identity-token"`,
    `(umask 077 && printf '%s' "$BITBUCKET_STEP_OIDC_TOKEN" > "$AWS_WEB_IDENTITY_TOKEN_FILE")`,
    `export AWS_WEB_IDENTITY_TOKEN_FILE`,
    // IAM: 2-64 characters of [\w+=,.@-]; the step UUID's braces and anything else become "-".
    `AWS_ROLE_SESSION_NAME="$(printf '${SESSION_NAME_PREFIX}-%s-%s' "\${BITBUCKET_BUILD_NUMBER:-0}" "\${BITBUCKET_STEP_UUID:-step}" | tr -d '{}' | LC_ALL=C tr -c 'A-Za-z0-9_+=,.@-' '-' | cut -c 1-64)"`,
    `export AWS_ROLE_SESSION_NAME`,
    `export AWS_DEFAULT_REGION=${shellQuote(region)}`,
    "",
  ].join("\n");
}

/** Single-quotes a literal for sh when it holds anything beyond a safe set. */
function shellQuote(value: string): string {
  return /^[\w+=,.@:/-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
