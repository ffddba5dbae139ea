/**
 * Test support: what STS does with AssumeRoleWithWebIdentity, end to end, on real tokens. It finds the
 * account's provider for the token's issuer, verifies the token (signature against the served JWKS,
 * issuer, audience among the provider's client ids, expiry), and only then hands the verified claims
 * to the trust-policy evaluator. A token that fails any step never reaches the evaluator.
 */
import { decodeJwt } from "jose";
import { evaluateTrust, TrustDecision } from "../../lib/evaluation/trust-evaluator";
import { TerraformJson } from "./synth";
import { TerraformRole } from "./terraform-json";
import { TestIssuer } from "./tokens";

/** An IAM OIDC provider registered in the account: its issuer URL and client ids (audiences). */
export interface AccountProvider {
  readonly url: string;
  readonly audiences: readonly string[];
}

/** The account STS answers for. */
export interface SimulatedAccount {
  readonly accountId: string;
  readonly providers: readonly AccountProvider[];
}

/** STS's answer: the evaluator's decision, or why the token was rejected before evaluation. */
export type AssumeOutcome = TrustDecision | `Rejected: ${string}`;

/** The call's inputs besides the role. */
export interface AssumeRequest {
  readonly token: string;
  /** The caller's address, for `aws:SourceIp`. @default none */
  readonly sourceIp?: string;
}

/** The providers a stack's cdk.tf.json registers (aws_iam_openid_connect_provider), for a {@link SimulatedAccount}. */
export function providersOf(json: TerraformJson): AccountProvider[] {
  return Object.values(json.resource?.aws_iam_openid_connect_provider ?? {}).map((p) => ({ url: String(p.url), audiences: (p.client_id_list as string[]) ?? [] }));
}

/** Emulates sts:AssumeRoleWithWebIdentity for one role with a real token. */
export async function assumeRoleWithWebIdentity(issuer: TestIssuer, account: SimulatedAccount, role: TerraformRole, request: AssumeRequest): Promise<AssumeOutcome> {
  let iss: string | undefined;
  try {
    iss = decodeJwt(request.token).iss;
  } catch {
    return "Rejected: not a JWT";
  }
  const provider = account.providers.find((p) => p.url === iss);
  if (!iss || !provider) return `Rejected: no OIDC provider for ${iss} in the account`;
  let claims;
  try {
    claims = await issuer.verify(request.token, { issuer: provider.url, audience: [...provider.audiences] });
  } catch (e) {
    return `Rejected: ${(e as Error).message}`;
  }
  return evaluateTrust(role.trustPolicy, {
    issuerHostPath: provider.url.replace(/^https:\/\//, ""),
    aud: claims.aud as string | string[],
    sub: String(claims.sub),
    sourceIp: request.sourceIp,
    accountId: account.accountId,
    roleArn: role.arn,
  });
}
