import { createRemoteJWKSet, errors, jwtVerify } from "jose";

/** Why `--verify` failed; each kind has its own plain message. */
export type VerifyProblem = "expired" | "bad-signature" | "issuer-mismatch" | "unreachable" | "invalid";

/** `--verify` could not confirm the token (exit code 2). */
export class TokenVerifyError extends Error {
  constructor(
    readonly problem: VerifyProblem,
    message: string,
  ) {
    super(message);
    this.name = "TokenVerifyError";
  }
}

/** How a token was verified. */
export interface Verification {
  /** Where the keys came from. */
  readonly jwksUrl: string;
  /** The discovery document read, when keys were not given with --jwks-url. */
  readonly discoveryUrl?: string;
  /** Which source the keys came from: the configured workspace's Bitbucket issuer, or --jwks-url. */
  readonly keysFrom: "configured-issuer" | "jwks-url";
}

/** Where `--verify` may fetch keys. */
export interface KeySource {
  /** Keys given with --jwks-url. @default none: the configured issuer's discovery document */
  readonly jwksUrl?: string;
  /**
   * The Bitbucket issuers of the configured workspaces (from the access models). Without --jwks-url,
   * only a token whose `iss` is one of these is verified, and only these hosts are contacted: the
   * token's own claim never chooses the host.
   */
  readonly configuredIssuers: readonly string[];
}

const TIMEOUT_MS = 5000;

/**
 * Verifies a token's signature and expiry (and, through the issuer's discovery document, its issuer)
 * with jose, the way STS does before it looks at the trust policy. Keys come from `jwksUrl` when
 * given, else from the discovery document of the configured workspace's Bitbucket issuer, and only
 * when the token names that issuer: an unverified token cannot make this command contact a host of
 * its choosing. A token without `exp` is not verified (STS refuses it). Only https URLs are fetched,
 * or http on the loopback interface (for tests and local mirrors).
 */
export async function verifyToken(compact: string, iss: string, source: KeySource): Promise<Verification> {
  let keysUrl: string;
  let discoveryUrl: string | undefined;
  let expectedIssuer: string | undefined;
  if (source.jwksUrl) {
    keysUrl = source.jwksUrl;
  } else {
    const configured = source.configuredIssuers.find((c) => c === iss);
    if (configured === undefined) {
      const list = [...new Set(source.configuredIssuers)].join(", ") || "none";
      throw new TokenVerifyError(
        "issuer-mismatch",
        `the token's issuer ${JSON.stringify(iss)} is not the Bitbucket issuer of the configured workspace (${list}): --verify fetches keys only from that issuer, so nothing was fetched. Give the keys with --jwks-url <url> to verify it anyway`,
      );
    }
    discoveryUrl = `${configured.replace(/\/$/, "")}/.well-known/openid-configuration`;
    const discovery = await fetchJson(discoveryUrl, "the issuer's discovery document");
    if (discovery.issuer !== configured) {
      throw new TokenVerifyError(
        "issuer-mismatch",
        `the discovery document at ${discoveryUrl} names the issuer ${JSON.stringify(discovery.issuer)}, not the token's ${JSON.stringify(iss)}: the token was not issued there`,
      );
    }
    if (typeof discovery.jwks_uri !== "string") throw new TokenVerifyError("invalid", `the discovery document at ${discoveryUrl} has no jwks_uri`);
    keysUrl = discovery.jwks_uri;
    expectedIssuer = configured;
  }
  const url = checkedUrl(keysUrl, "the JWKS");
  try {
    await jwtVerify(compact, createRemoteJWKSet(url, { timeoutDuration: TIMEOUT_MS }), { issuer: expectedIssuer, algorithms: ["RS256"], requiredClaims: ["exp"] });
  } catch (e) {
    throw verifyError(e, keysUrl);
  }
  return { jwksUrl: keysUrl, discoveryUrl, keysFrom: source.jwksUrl ? "jwks-url" : "configured-issuer" };
}

function verifyError(e: unknown, keysUrl: string): TokenVerifyError {
  if (e instanceof errors.JWTExpired) {
    return new TokenVerifyError("expired", `the token has expired (its exp claim is in the past): STS answers ExpiredTokenException. Use a token from a running step`);
  }
  if (e instanceof errors.JWSSignatureVerificationFailed || e instanceof errors.JWKSNoMatchingKey) {
    return new TokenVerifyError("bad-signature", `the token's signature does not verify against the keys at ${keysUrl}: it was not signed by this issuer (or was altered)`);
  }
  if (e instanceof errors.JWTClaimValidationFailed && e.claim === "exp") {
    return new TokenVerifyError("invalid", `the token has no exp claim (no expiry): STS refuses such a token, so it is not reported as verified`);
  }
  if (e instanceof errors.JWTClaimValidationFailed && e.claim === "iss") {
    return new TokenVerifyError("issuer-mismatch", `the token's issuer is not the one its discovery document names`);
  }
  if (e instanceof errors.JWKSTimeout || e instanceof TypeError || (e instanceof errors.JOSEError && e.code === "ERR_JWKS_INVALID")) {
    return new TokenVerifyError("unreachable", `could not read the keys at ${keysUrl}: ${(e as Error).message}`);
  }
  if (e instanceof errors.JOSEError) return new TokenVerifyError("invalid", `the token does not verify: ${e.message}`);
  return new TokenVerifyError("unreachable", `could not read the keys at ${keysUrl}: ${(e as Error).message}`);
}

function checkedUrl(text: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TokenVerifyError("invalid", `${what} URL ${JSON.stringify(text)} is not a URL`);
  }
  const loopback = url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new TokenVerifyError("invalid", `${what} URL ${text} is not https: keys are only fetched over https (or http on 127.0.0.1)`);
  }
  return url;
}

async function fetchJson(text: string, what: string): Promise<Record<string, unknown>> {
  const url = checkedUrl(text, what);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: "error" });
  } catch (e) {
    throw new TokenVerifyError("unreachable", `could not fetch ${what} at ${text}: ${(e as Error).message}${cause(e)}. Use --jwks-url <url> to give the keys' address`);
  }
  if (!response.ok) throw new TokenVerifyError("unreachable", `${what} at ${text} answered HTTP ${response.status}`);
  try {
    const body = (await response.json()) as unknown;
    if (typeof body === "object" && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new TokenVerifyError("invalid", `${what} at ${text} is not a JSON object`);
}

function cause(e: unknown): string {
  const c = (e as { cause?: { code?: string; message?: string } }).cause;
  return c ? ` (${c.code ?? c.message})` : "";
}
