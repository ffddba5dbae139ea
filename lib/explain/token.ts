import { workspaceOfIssuer } from "../bitbucket/bitbucket";

/** Why a token could not be read; each kind has its own plain message. */
export type TokenInputProblem = "empty" | "not-a-jwt" | "not-base64" | "not-json" | "missing-claim";

/** A token that cannot be read as a pipeline token (exit code 2). The message never quotes the token. */
export class TokenInputError extends Error {
  constructor(
    readonly problem: TokenInputProblem,
    message: string,
  ) {
    super(message);
    this.name = "TokenInputError";
  }
}

/** `sub` of a Bitbucket step token, split: `{repo}:{step}` or `{repo}:{env}:{step}`. */
export interface StepSubject {
  readonly repositoryUuid: string;
  readonly environmentUuid?: string;
  readonly stepUuid: string;
}

/** The claims explain needs, decoded (not verified) from a token. */
export interface DecodedToken {
  /** The compact JWT, kept only to verify it; never printed. */
  readonly compact: string;
  readonly iss: string;
  readonly aud: readonly string[];
  readonly sub: string;
  /** `sub` split, when it has Bitbucket's form. */
  readonly subject?: StepSubject;
  /** The workspace slug when `iss` is a Bitbucket Pipelines issuer, else undefined. */
  readonly workspaceSlug?: string;
  /** Expiry (seconds since the epoch), when the token has one. */
  readonly exp?: number;
  /** Other claims worth showing (workspaceUuid, branchName, ...), strings only. */
  readonly extra: Readonly<Record<string, string>>;
}

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const BRACED_UUID = "\\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\}";
const SUBJECT = new RegExp(`^(${BRACED_UUID})(?::(${BRACED_UUID}))?:(${BRACED_UUID})$`);
const SHOWN_CLAIMS = ["workspaceUuid", "repositoryUuid", "deploymentEnvironmentUuid", "branchName", "pipelineUuid", "stepUuid"];

/** Splits a Bitbucket `sub`; undefined when it does not have Bitbucket's form. */
export function parseSubject(sub: string): StepSubject | undefined {
  const m = SUBJECT.exec(sub);
  if (!m) return undefined;
  return { repositoryUuid: m[1], environmentUuid: m[2], stepUuid: m[3] };
}

/**
 * Decodes a pipeline token (the JWT of `$BITBUCKET_STEP_OIDC_TOKEN`) without checking its signature.
 * Throws {@link TokenInputError} for input that is not a JWT, not base64url, not JSON, or that lacks
 * `iss`, `sub` or `aud`.
 */
export function decodeToken(input: string): DecodedToken {
  const compact = input.trim();
  if (compact === "") throw new TokenInputError("empty", "the token is empty: expected the JWT from $BITBUCKET_STEP_OIDC_TOKEN");
  const parts = compact.split(".");
  if (parts.length !== 3 || /\s/.test(compact)) {
    throw new TokenInputError(
      "not-a-jwt",
      `the input is not a JWT: expected three base64url parts separated by dots (header.payload.signature), got ${/\s/.test(compact) ? "text with spaces or line breaks" : `${parts.length} part${parts.length === 1 ? "" : "s"}`} (${compact.length} characters)`,
    );
  }
  const names = ["header", "payload", "signature"];
  parts.forEach((part, i) => {
    if (!BASE64URL.test(part)) {
      throw new TokenInputError("not-base64", `the JWT's ${names[i]} (part ${i + 1} of 3) is not base64url: it has characters outside A-Z a-z 0-9 - _`);
    }
  });
  const header = decodeJson(parts[0], "header");
  if (typeof header.alg !== "string") throw new TokenInputError("not-json", 'the JWT\'s header has no "alg": this is not a signed JWT');
  const payload = decodeJson(parts[1], "payload");
  const iss = payload.iss;
  const sub = payload.sub;
  const audClaim = payload.aud;
  const aud = typeof audClaim === "string" ? [audClaim] : Array.isArray(audClaim) && audClaim.every((a) => typeof a === "string") ? (audClaim as string[]) : undefined;
  const missing = [
    typeof iss === "string" && iss !== "" ? undefined : "iss (the issuer)",
    typeof sub === "string" && sub !== "" ? undefined : "sub (repository, environment and step)",
    aud && aud.length > 0 ? undefined : "aud (the audience)",
  ].filter((x): x is string => x !== undefined);
  if (missing.length > 0) {
    throw new TokenInputError("missing-claim", `the token has no ${missing.join(", no ")}: a Bitbucket Pipelines token always carries iss, sub and aud`);
  }
  const extra: Record<string, string> = {};
  for (const name of SHOWN_CLAIMS) if (typeof payload[name] === "string") extra[name] = payload[name] as string;
  return {
    compact,
    iss: iss as string,
    aud: aud as string[],
    sub: sub as string,
    subject: parseSubject(sub as string),
    workspaceSlug: workspaceOfIssuer(iss as string),
    exp: typeof payload.exp === "number" ? payload.exp : undefined,
    extra,
  };
}

function decodeJson(part: string, name: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    throw new TokenInputError("not-json", `the JWT's ${name} is base64url but does not decode to JSON: this is not a JWT`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TokenInputError("not-json", `the JWT's ${name} decodes to JSON that is not an object: this is not a JWT`);
  }
  return value as Record<string, unknown>;
}
