import { startTestIssuer, TestIssuer } from "../support/tokens";
import { UUIDS } from "../support/synth";

describe("test issuer on 127.0.0.1", () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(() => issuer.close());

  const claims = { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace, repositoryUuid: UUIDS.repoA };
  const expected = { issuer: "https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc", audience: "ari:cloud:bitbucket::workspace/8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60" };

  test("GIVEN a token minted for repository A THEN it verifies with Bitbucket's claim shapes", async () => {
    const payload = await issuer.verify(await issuer.mint({ ...claims, environmentUuid: UUIDS.envProduction }), expected);
    expect(payload.sub).toMatch(new RegExp(`^\\${UUIDS.repoA.slice(0, -1)}\\}:\\${UUIDS.envProduction.slice(0, -1)}\\}:\\{[0-9a-f-]{36}\\}$`));
    expect(payload).toMatchObject({ repositoryUuid: UUIDS.repoA, workspaceUuid: UUIDS.workspace, branchName: "main" });
  });

  test.each([
    ["forged", async () => issuer.mint(claims, issuer.foreignKey)],
    ["expired", async () => issuer.mint({ ...claims, expiresIn: -60 })],
    ["wrong issuer", async () => issuer.mint({ ...claims, iss: "https://token.actions.githubusercontent.com" })],
    ["wrong audience", async () => issuer.mint({ ...claims, aud: "sts.amazonaws.com" })],
  ])("GIVEN a %s token THEN verification rejects it", async (_, mint) => {
    await expect(issuer.verify(await mint(), expected)).rejects.toThrow();
  });
});
