/**
 * One source of truth, on the access-matrix test's own cells: the roles of test/least-privilege's
 * matrix, each of its token cases (signed, served on 127.0.0.1, checked with --verify), and the
 * address each case calls from. Where the emulated STS hands the token to the evaluator, explain's
 * verdict is the evaluator's; where STS rejects it first, explain rejects it too: a forged or
 * expired token fails --verify (exit 2), a wrong audience fails every role on its audience.
 */
import { join } from "node:path";
import { AssumeOutcome } from "../support/sts";
import { baseConfig, synthConfig, Synthesized } from "../support/synth";
import { startTestIssuer, TestIssuer } from "../support/tokens";
import { accessMatrix, MATRIX_ROLES, mintCases, TOKEN_CASES } from "../least-privilege/matrix";
import { runExplain, ExplainJson } from "./run-explain";

describe("explain agrees with every cell of the access matrix", () => {
  let issuer: TestIssuer;
  let out: Synthesized;
  let tokens: string[];
  let matrix: Record<string, Record<string, AssumeOutcome>>;
  beforeAll(async () => {
    issuer = await startTestIssuer();
    out = synthConfig(baseConfig({ roles: MATRIX_ROLES }));
    tokens = await mintCases(issuer);
    matrix = await accessMatrix(issuer, out.json(), TOKEN_CASES, tokens);
  });
  afterAll(async () => {
    out.dispose();
    await issuer.close();
  });

  test.each(TOKEN_CASES.map((c, i) => [c.label, i] as const))("GIVEN the token %s THEN each role's verdict is the matrix's", async (_, i) => {
    const c = TOKEN_CASES[i];
    const args = ["--verify", "--jwks-url", issuer.jwksUrl, "--json", ...(c.sourceIp ? ["--source-ip", c.sourceIp] : [])];
    const run = await runExplain(tokens[i], join(out.outdir, "cdktf.out"), args);
    const outcomes = MATRIX_ROLES.map((r) => ({ role: r.name, outcome: matrix[r.name][c.label] }));
    expect(outcomes).toHaveLength(4);
    if (run.code === 2) {
      // --verify refused the token: STS must have refused it for every role, before any policy.
      expect(outcomes.filter((o) => !o.outcome.startsWith("Rejected: "))).toEqual([]);
      expect(run.stderr).toMatch(/--verify failed: /);
      return;
    }
    const json = JSON.parse(run.stdout) as ExplainJson;
    expect(json.notes.map((n) => n.kind)).toContain("verified");
    const got = json.roles.map((r) => ({ role: r.role, verdict: r.verdict }));
    const want = outcomes.map(({ role, outcome }) => ({ role, verdict: outcome === "Allowed" ? "allowed" : "denied" }));
    expect(got.sort((a, b) => a.role.localeCompare(b.role))).toEqual(want.sort((a, b) => a.role.localeCompare(b.role)));
    for (const { role, outcome } of outcomes.filter((o) => o.outcome.startsWith("Rejected: "))) {
      // The only rejection a verified token can meet here is STS's audience check.
      expect(outcome).toMatch(/aud/);
      const answer = json.roles.find((r) => r.role === role)!;
      expect(answer.checks.find((k) => k.name === "audience")?.status).toBe("fail");
    }
    expect(run.code).toBe(outcomes.some((o) => o.outcome === "Allowed") ? 0 : 1);
  });
});
