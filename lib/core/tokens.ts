/**
 * Terraform references (cdktf tokens) in user input. A value such as `${bucket.arn}/*` is only known
 * at plan time: checks of a literal's shape skip it (as aws-cdk does with `Token.isUnresolved`), and
 * fields a reviewer must be able to read (who a role trusts) refuse it.
 */
import { Token } from "cdktf";

/** True when a value holds an unresolved cdktf token (a Terraform reference known only at plan time). */
export function isToken(value: unknown): boolean {
  return value !== undefined && value !== null && Token.isUnresolved(value);
}

/**
 * The message for a token in a trust-side field (repository and environment UUIDs, audiences, the
 * workspace): what a role trusts must be literal, so that a reviewer can read it in the pull request.
 */
export function trustTokenMessage(what: string): string {
  return `is a Terraform reference (a token known only at plan time); who a role trusts must be literal so that a reviewer can read it: write the ${what} itself`;
}
