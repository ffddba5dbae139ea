/**
 * Least privilege, proven: for roles of every kind, tokens of every kind go through STS's steps
 * (provider lookup, signature, issuer, audience, expiry) and then the real IAM evaluator. Exactly the
 * intended cells are allowed.
 */
import { baseConfig, withSynth } from "../support/synth";
import { startTestIssuer, TestIssuer } from "../support/tokens";
import { accessMatrix, allowedCells, MATRIX_ROLES, TOKEN_CASES } from "./matrix";

describe("access matrix on synthesized roles", () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(() => issuer.close());

  const config = baseConfig({ roles: MATRIX_ROLES });

  test("GIVEN four kinds of roles and eleven kinds of tokens THEN exactly the intended cells are allowed", async () => {
    const out = withSynth(config, (o) => o.json());
    const matrix = await accessMatrix(issuer, out);
    const repoA = ["repo A, no environment", "repo A, production", "repo A, staging (other environment)", "repo A, no environment, outside the IP range"];
    expect(allowedCells(matrix)).toEqual({
      "repository-wide": repoA,
      "environment-only": ["repo A, production"],
      "several-repositories": [...repoA, "repo B (other repository, same workspace)"],
      "source-ip": repoA.slice(0, 3),
    });
  });

  test("GIVEN a wrong audience, a forged or an expired token THEN STS rejects it before any policy is evaluated", async () => {
    const matrix = await accessMatrix(issuer, withSynth(config, (o) => o.json()));
    for (const row of Object.values(matrix)) {
      expect(row["wrong audience (sts.amazonaws.com)"]).toMatch(/^Rejected: .*aud/);
      expect(row["forged signature"]).toMatch(/^Rejected: signature verification failed/);
      expect(row["expired"]).toMatch(/^Rejected: .*"exp"/);
      // Verified tokens of other workspaces and providers reach the evaluator, and it says no.
      expect(row["other workspace, same repository UUID"]).toBe("ImplicitlyDenied");
      expect(row["other provider (GitHub Actions)"]).toBe("ImplicitlyDenied");
    }
    expect(Object.keys(matrix["source-ip"])).toEqual(TOKEN_CASES.map((c) => c.label));
  });
});
