/**
 * Test support: a stand-in for Bitbucket's OIDC issuer on 127.0.0.1. It mints RS256 tokens shaped
 * like Bitbucket's and serves the discovery document and JWKS, so that tokens are verified for real
 * (signature, issuer, audience, expiry) before their claims reach an evaluator. verify() reads the
 * issuer's discovery document first, then the keys at its jwks_uri, as STS does.
 */
import { randomUUID } from "node:crypto";
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { createRemoteJWKSet, exportJWK, generateKeyPair, JWTPayload, jwtVerify, KeyLike, SignJWT } from "jose";
import { defaultAudience, issuerUrl } from "../../lib/bitbucket/bitbucket";
import { bareUuid } from "../../lib/bitbucket/uuid";

/** Claims of a Bitbucket step token; `sub` is derived from repository and environment. */
export interface StepClaims {
  readonly workspaceSlug: string;
  readonly workspaceUuid: string;
  readonly repositoryUuid: string;
  /** Deployment environment of the step. @default none */
  readonly environmentUuid?: string;
  /** Audience. @default the workspace's default audience */
  readonly aud?: string;
  /** Issuer override (a wrong issuer). @default the workspace's issuer */
  readonly iss?: string;
  /** Seconds until expiry; negative for an expired token. @default 3600 */
  readonly expiresIn?: number;
  /** Branch name claim. @default "main" */
  readonly branchName?: string;
  /** Subject override, for another provider's token shape. @default Bitbucket's, from repository and environment */
  readonly sub?: string;
}

/** A running issuer: mint tokens, verify them, and stop the server. */
export interface TestIssuer {
  /** http://127.0.0.1:<port>/jwks.json */
  readonly jwksUrl: string;
  /** http://127.0.0.1:<port>/.well-known/openid-configuration */
  readonly discoveryUrl: string;
  /** Mints a token signed with the issuer's key (or with `signWith`, to forge one). */
  mint(claims: StepClaims, signWith?: KeyLike): Promise<string>;
  /** Signs any payload with the issuer's key (tokens with claims missing or odd). */
  sign(payload: JWTPayload): Promise<string>;
  /**
   * An issuer URL served by this server, `http://127.0.0.1:<port>/2.0/workspaces/<slug>/pipelines-config/identity/oidc`:
   * its `<url>/.well-known/openid-configuration` names that issuer and this server's JWKS.
   */
  localIssuerUrl(workspaceSlug: string): string;
  /**
   * Verifies like STS: signature against the served JWKS, issuer, audience and expiry. Returns the
   * payload, or throws.
   */
  verify(token: string, expected: { issuer: string; audience: string | string[] }): Promise<JWTPayload>;
  /** A key that is not the issuer's, for forged tokens. */
  readonly foreignKey: KeyLike;
  close(): Promise<void>;
}

/** `sub` as Bitbucket forms it: `{repo}:{step}` or `{repo}:{env}:{step}`. */
export function subjectOf(repositoryUuid: string, environmentUuid: string | undefined, stepUuid = `{${randomUUID()}}`): string {
  return environmentUuid ? `${repositoryUuid}:${environmentUuid}:${stepUuid}` : `${repositoryUuid}:${stepUuid}`;
}

/** Starts an issuer on 127.0.0.1 (a random port). Call close() in afterAll. */
export async function startTestIssuer(): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const foreign = await generateKeyPair("RS256");
  const kid = "test-key-1";
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  const server: Server = createServer((req, res) => {
    if (req.url === "/jwks.json") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
    } else if (req.url && req.url !== "/.well-known/openid-configuration" && req.url.endsWith("/.well-known/openid-configuration")) {
      const { port } = server.address() as AddressInfo;
      const issuer = `http://127.0.0.1:${port}${req.url.slice(0, -"/.well-known/openid-configuration".length)}`;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ issuer, jwks_uri: `http://127.0.0.1:${port}/jwks.json`, id_token_signing_alg_values_supported: ["RS256"] }));
    } else if (req.url === "/.well-known/openid-configuration") {
      const { port } = server.address() as AddressInfo;
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({ issuer: "(per workspace)", jwks_uri: `http://127.0.0.1:${port}/jwks.json`, id_token_signing_alg_values_supported: ["RS256"] }),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const jwksUrl = `http://127.0.0.1:${port}/jwks.json`;
  const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
  return {
    jwksUrl,
    discoveryUrl: `http://127.0.0.1:${port}/.well-known/openid-configuration`,
    foreignKey: foreign.privateKey,
    async mint(claims, signWith) {
      const stepUuid = `{${randomUUID()}}`;
      const now = Math.floor(Date.now() / 1000);
      const expiresIn = claims.expiresIn ?? 3600;
      return new SignJWT({
        workspaceUuid: claims.workspaceUuid,
        repositoryUuid: claims.repositoryUuid,
        pipelineUuid: `{${randomUUID()}}`,
        stepUuid,
        branchName: claims.branchName ?? "main",
        ...(claims.environmentUuid ? { deploymentEnvironmentUuid: claims.environmentUuid } : {}),
      })
        .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
        .setIssuer(claims.iss ?? issuerUrl(claims.workspaceSlug))
        .setAudience(claims.aud ?? defaultAudience(bareUuid(claims.workspaceUuid)))
        .setSubject(claims.sub ?? subjectOf(claims.repositoryUuid, claims.environmentUuid, stepUuid))
        .setIssuedAt(now - 5)
        .setExpirationTime(now + expiresIn)
        .sign(signWith ?? privateKey);
    },
    sign: (payload) => new SignJWT(payload).setProtectedHeader({ alg: "RS256", kid, typ: "JWT" }).sign(privateKey),
    localIssuerUrl: (workspaceSlug) => `http://127.0.0.1:${port}/2.0/workspaces/${workspaceSlug}/pipelines-config/identity/oidc`,
    async verify(token, expected) {
      // As STS does: the issuer's discovery document (its host mapped to this server), then the keys at its jwks_uri.
      const path = new URL(expected.issuer).pathname.replace(/\/$/, "");
      const response = await fetch(`http://127.0.0.1:${port}${path}/.well-known/openid-configuration`);
      if (!response.ok) throw new Error(`no discovery document for ${expected.issuer} (HTTP ${response.status})`);
      const { jwks_uri: jwksUri } = (await response.json()) as { jwks_uri?: string };
      if (!jwksUri) throw new Error(`the discovery document of ${expected.issuer} names no jwks_uri`);
      let keys = keySets.get(jwksUri);
      if (!keys) keySets.set(jwksUri, (keys = createRemoteJWKSet(new URL(jwksUri))));
      const { payload } = await jwtVerify(token, keys, { issuer: expected.issuer, audience: expected.audience, algorithms: ["RS256"] });
      return payload;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
