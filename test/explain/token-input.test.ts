/**
 * Token checks: malformed input, expiry, workspace and issuer messages, --verify against a JWKS
 * served on 127.0.0.1, and the exit codes
 * for bad input. The token itself is never printed.
 */
import { cpSync } from "node:fs";
import { join } from "node:path";
import { baseConfig, synthConfig, Synthesized, UUIDS } from "../support/synth";
import { startTestIssuer, TestIssuer } from "../support/tokens";
import { explainJson, runExplain } from "./run-explain";

const ACME = { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace, repositoryUuid: UUIDS.repoA };
let issuer: TestIssuer;
let out: Synthesized;
const synthDir = (): string => join(out.outdir, "cdktf.out");

beforeAll(async () => {
  issuer = await startTestIssuer();
  out = synthConfig(baseConfig());
});
afterAll(async () => {
  out.dispose();
  await issuer.close();
});

describe("malformed input: exit 2 with its own message, nothing evaluated", () => {
  const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString("base64url");
  const header = b64({ alg: "RS256", typ: "JWT" });
  test.each([
    ["an empty file", async () => "\n", /the token is empty/],
    ["not a JWT (one part)", async () => "this-is-not-a-token", /is not a JWT: expected three base64url parts separated by dots .* got 1 part/],
    ["not a JWT (text with spaces)", async () => "Bearer abc.def.ghi", /is not a JWT: .*got text with spaces/],
    ["not base64", async () => `${header}.%%%.sig`, /payload \(part 2 of 3\) is not base64url/],
    ["base64 but not JSON", async () => `${header}.${Buffer.from("hello").toString("base64url")}.c2ln`, /payload is base64url but does not decode to JSON/],
    ["missing sub", async () => issuer.sign({ iss: "https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc", aud: "x" }), /has no sub \(repository, environment and step\)/],
    ["missing aud", async () => issuer.sign({ iss: "https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc", sub: `${UUIDS.repoA}:{x}` }), /has no aud \(the audience\)/],
    ["missing sub and aud", async () => issuer.sign({ iss: "https://x" }), /has no sub .*, no aud/],
  ])("GIVEN %s THEN exit 2 and the message says what is wrong", async (_, make, message) => {
    const token = await make();
    const run = await runExplain(token, synthDir());
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(message);
    if (token.trim().length > 8) expect(run.stderr).not.toContain(token.trim());
  });

  test("GIVEN the token on stdin (--token -) THEN it is read from there", async () => {
    const token = await issuer.mint(ACME);
    const run = await runExplain(undefined, synthDir(), ["--token", "-"], token);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ALLOWED +bitbucket-deploy /m);
    expect((await runExplain(undefined, synthDir(), ["--token", "-"], "nope")).stderr).toMatch(/^bitbucket-oidc explain: stdin: the input is not a JWT/);
  });
});

describe("bad input besides the token: exit 2", () => {
  test.each([
    ["no --token", [] as string[], /--token <file\|-> is required/],
    ["a token file that does not exist", ["--token", "/nonexistent/token.jwt"], /cannot read the token file \/nonexistent\/token.jwt: ENOENT/],
    ["an unknown role", ["--role", "bitbucket-dpeloy"], /no role "bitbucket-dpeloy"; roles: bitbucket-deploy/],
    ["an unknown stack", ["--stack", "nope"], /no stack "nope" in the synth output; stacks: bitbucket-oidc/],
    ["a malformed --source-ip", ["--source-ip", "10.0.0.300"], /--source-ip "10.0.0.300" is not an IPv4 or IPv6 address/],
    ["--jwks-url without --verify", ["--jwks-url", "http://127.0.0.1:1/jwks.json"], /--jwks-url only applies with --verify/],
  ])("GIVEN %s THEN exit 2 with a plain message", async (_, args, message) => {
    const token = args.includes("--token") || args.length === 0 ? undefined : await issuer.mint(ACME);
    const run = await runExplain(token, synthDir(), args);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(2);
  });

  test("GIVEN a folder without synth output THEN exit 2 pointing at synth", async () => {
    const run = await runExplain(await issuer.mint(ACME), join(out.outdir, "nothing-here"));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nothing-here\/stacks does not exist: run `bitbucket-oidc synth` first/);
  });

  test("GIVEN the same role name in two stacks THEN --role needs --stack, and with it answers", async () => {
    const second = synthConfig(baseConfig({ stack: "second" }));
    try {
      cpSync(join(second.outdir, "cdktf.out", "stacks", "second"), join(synthDir(), "stacks", "second"), { recursive: true });
      const token = await issuer.mint(ACME);
      const ambiguous = await runExplain(token, synthDir(), ["--role", "bitbucket-deploy"]);
      expect(ambiguous.code).toBe(2);
      expect(ambiguous.stderr).toMatch(/role "bitbucket-deploy" exists in stacks bitbucket-oidc, second: add --stack <name>/);
      const { code, json } = await explainJson(token, synthDir(), ["--role", "bitbucket-deploy", "--stack", "second"]);
      expect(code).toBe(0);
      expect(json.roles.map((r) => [r.stack, r.role, r.verdict])).toEqual([["second", "bitbucket-deploy", "allowed"]]);
      expect((await explainJson(token, synthDir())).json.roles.map((r) => r.stack)).toEqual(["bitbucket-oidc", "second"]);
    } finally {
      second.dispose();
    }
  });
});

describe("expiry", () => {
  test("GIVEN an expired token, decoded only THEN its own warning, and the trust answer still given", async () => {
    const run = await runExplain(await issuer.mint({ ...ACME, expiresIn: -120 }), synthDir());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/WARNING: the token expired at \S+: STS rejects it with ExpiredTokenException/);
    expect(run.stdout).toMatch(/expires +\S+ \(EXPIRED\)/);
  });

  test("GIVEN an expired token with --verify THEN exit 2: expired", async () => {
    const run = await runExplain(await issuer.mint({ ...ACME, expiresIn: -120 }), synthDir(), ["--verify", "--jwks-url", issuer.jwksUrl]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--verify failed: the token has expired/);
  });
});

describe("--verify", () => {
  test("GIVEN a genuine token and --jwks-url THEN it says verified and answers, the JSON without the token", async () => {
    const token = await issuer.mint(ACME);
    const run = await runExplain(token, synthDir(), ["--verify", "--jwks-url", issuer.jwksUrl, "--json"]);
    expect(run.stdout).not.toContain(token.split(".")[2]);
    const { code, json } = await explainJson(token, synthDir(), ["--verify", "--jwks-url", issuer.jwksUrl]);
    expect(code).toBe(0);
    expect(json.notes[0]).toEqual({
      kind: "verified",
      message: `signature and expiry verified against the keys at ${issuer.jwksUrl} (given with --jwks-url; the issuer is checked for each role below)`,
    });
  });

  test("GIVEN a forged token (signed with another key) THEN exit 2: the signature does not verify", async () => {
    const run = await runExplain(await issuer.mint(ACME, issuer.foreignKey), synthDir(), ["--verify", "--jwks-url", issuer.jwksUrl]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--verify failed: the token's signature does not verify against the keys at http:\/\/127\.0\.0\.1:\d+\/jwks\.json/);
  });

  // Keys only from the configured workspace's issuer or --jwks-url: see verify-source.test.ts.

  test("GIVEN keys that cannot be fetched THEN exit 2 naming the address; and plain http elsewhere is refused", async () => {
    const token = await issuer.mint(ACME);
    const closed = await runExplain(token, synthDir(), ["--verify", "--jwks-url", "http://127.0.0.1:9/jwks.json"]);
    expect(closed.code).toBe(2);
    expect(closed.stderr).toMatch(/could not read the keys at http:\/\/127\.0\.0\.1:9\/jwks\.json/);
    const insecure = await runExplain(token, synthDir(), ["--verify", "--jwks-url", "http://keys.example/jwks.json"]);
    expect(insecure.code).toBe(2);
    expect(insecure.stderr).toMatch(/is not https: keys are only fetched over https/);
  });
});
