/**
 * Issue 17 item 6: `explain --verify` fetches keys only from the Bitbucket issuer of the configured
 * workspace, or from --jwks-url, and says which. The token is unverified when its `iss` is read, so
 * a token naming another host (an internal one, here a real server on 127.0.0.1 that counts its
 * requests) must not make the command contact it. A token without `exp` is not "verified".
 */
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { join } from "node:path";
import { issuerUrl } from "../../lib/bitbucket/bitbucket";
import { baseConfig, synthConfig, Synthesized, UUIDS } from "../support/synth";
import { startTestIssuer, TestIssuer } from "../support/tokens";
import { explainJson, runExplain } from "./run-explain";

const ACME = { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace, repositoryUuid: UUIDS.repoA };
let issuer: TestIssuer;
let out: Synthesized;
let internal: Server;
let internalUrl: string;
const requests: string[] = [];
const synthDir = (): string => join(out.outdir, "cdktf.out");

beforeAll(async () => {
  issuer = await startTestIssuer();
  out = synthConfig(baseConfig());
  // An "internal" host that would answer anything: it must never be asked.
  internal = createServer((req, res) => {
    requests.push(req.url ?? "");
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => internal.listen(0, "127.0.0.1", resolve));
  internalUrl = `http://127.0.0.1:${(internal.address() as AddressInfo).port}/2.0/workspaces/acme/pipelines-config/identity/oidc`;
});
afterAll(async () => {
  out.dispose();
  await issuer.close();
  await new Promise<void>((resolve) => internal.close(() => resolve()));
});

test("GIVEN a token whose iss names another host THEN --verify contacts nothing there, and says whose keys it would use", async () => {
  for (const signWith of [undefined, issuer.foreignKey]) {
    const run = await runExplain(await issuer.mint({ ...ACME, iss: internalUrl }, signWith), synthDir(), ["--verify"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`the token's issuer "${internalUrl}" is not the Bitbucket issuer of the configured workspace (${issuerUrl("acme")})`);
    expect(run.stderr).toContain("nothing was fetched");
  }
  expect(requests).toEqual([]);
});

test("GIVEN --jwks-url THEN keys come from there and the note says so", async () => {
  const { code, json } = await explainJson(await issuer.mint(ACME), synthDir(), ["--verify", "--jwks-url", issuer.jwksUrl]);
  expect(code).toBe(0);
  expect(json.notes[0]).toEqual({ kind: "verified", message: expect.stringContaining(`against the keys at ${issuer.jwksUrl} (given with --jwks-url`) });
});

test("GIVEN a correctly signed token without exp THEN --verify does not call it verified (exit 2)", async () => {
  const token = await issuer.sign({ iss: issuerUrl("acme"), aud: "ari:cloud:bitbucket::workspace/8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60", sub: `${UUIDS.repoA}:{x}` });
  const run = await runExplain(token, synthDir(), ["--verify", "--jwks-url", issuer.jwksUrl]);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/--verify failed: the token has no exp claim/);
  expect(run.stdout).not.toMatch(/verified/);
});
