/**
 * One source of truth: for every cell of an access matrix (roles x tokens x source addresses),
 * explain's verdict equals the IAM evaluator's decision for the role as synthesized in cdk.tf.json
 * (read back with references resolved, independently of the access model explain reads).
 */
import { join } from "node:path";
import { decodeJwt } from "jose";
import { BitbucketOidcConfigInput } from "../../lib/config/model";
import { evaluateTrust } from "../../lib/evaluation/trust-evaluator";
import { baseConfig, synthConfig, Synthesized, UUIDS } from "../support/synth";
import { rolesFromTerraform, TerraformRole } from "../support/terraform-json";
import { startTestIssuer, StepClaims, TestIssuer } from "../support/tokens";
import { explainJson, runExplain } from "./run-explain";

const ROLES: BitbucketOidcConfigInput["roles"] = [
  { name: "repo-wide", repositories: [{ uuid: UUIDS.repoA, name: "web-app" }] },
  { name: "env-only", repositories: [{ uuid: UUIDS.repoA, name: "web-app", environments: [{ uuid: UUIDS.envProduction, name: "production" }] }] },
  {
    name: "several-repos",
    repositories: [
      { uuid: UUIDS.repoB, name: "infra-live", environments: [{ uuid: UUIDS.envStaging, name: "staging" }] },
      { uuid: UUIDS.repoC, name: "docs" },
    ],
  },
  { name: "source-ip", repositories: [{ uuid: UUIDS.repoA, name: "web-app" }], sourceIps: ["203.0.113.0/24", "198.51.100.7/32"] },
];

const ACME = { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace };
const TOKENS: Record<string, StepClaims> = {
  "repo A, no environment": { ...ACME, repositoryUuid: UUIDS.repoA },
  "repo A, production": { ...ACME, repositoryUuid: UUIDS.repoA, environmentUuid: UUIDS.envProduction },
  "repo A, staging": { ...ACME, repositoryUuid: UUIDS.repoA, environmentUuid: UUIDS.envStaging },
  "repo B, staging": { ...ACME, repositoryUuid: UUIDS.repoB, environmentUuid: UUIDS.envStaging },
  "repo B, no environment": { ...ACME, repositoryUuid: UUIDS.repoB },
  "repo C, production": { ...ACME, repositoryUuid: UUIDS.repoC, environmentUuid: UUIDS.envProduction },
  "other workspace": { workspaceSlug: "other", workspaceUuid: UUIDS.otherWorkspace, repositoryUuid: UUIDS.repoA },
  "other workspace, acme's audience": { workspaceSlug: "other", workspaceUuid: UUIDS.workspace, repositoryUuid: UUIDS.repoA },
  "wrong audience": { ...ACME, repositoryUuid: UUIDS.repoA, aud: "sts.amazonaws.com" },
  "other provider": { ...ACME, repositoryUuid: UUIDS.repoA, iss: "https://token.actions.githubusercontent.com" },
};
const ADDRESSES = [undefined, "203.0.113.44", "198.51.100.7", "192.0.2.1"];

describe.each([
  ["account id known (literal provider ARN)", "123456789012", "123456789012"],
  ["account id unknown (provider ARN is a Terraform reference)", undefined, "210987654321"],
])("GIVEN the access matrix, %s", (_, accountId, evaluatorAccount) => {
  let issuer: TestIssuer;
  let out: Synthesized;
  let roles: TerraformRole[];
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    issuer = await startTestIssuer();
    out = synthConfig(baseConfig({ aws: { region: "us-east-1", ...(accountId ? { accountId } : {}) }, roles: ROLES }));
    roles = rolesFromTerraform(out.json(), { accountId: evaluatorAccount });
    for (const [name, claims] of Object.entries(TOKENS)) tokens[name] = await issuer.mint(claims);
  });
  afterAll(async () => {
    out.dispose();
    await issuer.close();
  });
  const synthDir = (): string => join(out.outdir, "cdktf.out");

  /** The evaluator's decision for one cell, from cdk.tf.json and the token's claims. */
  function decide(role: TerraformRole, token: string, sourceIp: string | undefined): string {
    const claims = decodeJwt(token);
    return evaluateTrust(role.trustPolicy, {
      issuerHostPath: String(claims.iss).replace(/^https:\/\//, ""),
      aud: claims.aud as string,
      sub: String(claims.sub),
      sourceIp,
      accountId: evaluatorAccount,
      roleArn: role.arn,
    });
  }

  test.each(Object.keys(TOKENS).flatMap((token) => ADDRESSES.map((ip) => [token, ip ?? "no --source-ip"])))(
    "WHEN explaining %s with %s THEN every role's verdict is the evaluator's",
    async (tokenName, ipLabel) => {
      const sourceIp = ipLabel === "no --source-ip" ? undefined : ipLabel;
      const { code, json } = await explainJson(tokens[tokenName], synthDir(), sourceIp ? ["--source-ip", sourceIp] : []);
      expect(json.roles.map((r) => r.role).sort()).toEqual(roles.map((r) => r.name).sort());
      for (const answer of json.roles) {
        const role = roles.find((r) => r.name === answer.role)!;
        const ipCondition = role.name === "source-ip";
        let expected: string;
        if (sourceIp !== undefined || !ipCondition) {
          expected = decide(role, tokens[tokenName], sourceIp) === "Allowed" ? "allowed" : "denied";
        } else {
          // No address: the evaluator denies for lack of one; explain says it depends, when an
          // address in the ranges would be allowed.
          expect(decide(role, tokens[tokenName], undefined)).toBe("ImplicitlyDenied");
          expected = decide(role, tokens[tokenName], "203.0.113.9") === "Allowed" ? "allowed-if-source-ip" : "denied";
        }
        expect({ role: answer.role, verdict: answer.verdict }).toEqual({ role: answer.role, verdict: expected });
        // The ARN shown is the real one, or says the account is not known; never a made-up account.
        expect(answer.arn).toBe(`arn:aws:iam::${accountId ?? "<account>"}:role/${answer.role}`);
        // A denial always names at least one failed condition; an allowed role none.
        expect(answer.checks.some((c) => c.status === "fail")).toBe(answer.verdict === "denied");
        expect(answer.checks.some((c) => c.name === "combination")).toBe(false);
      }
      expect(code).toBe(json.roles.some((r) => r.verdict !== "denied") ? 0 : 1);
    },
  );

  test("WHEN explaining each cell with --role THEN the exit code is 0 exactly when the evaluator allows", async () => {
    for (const tokenName of ["repo A, production", "repo A, staging", "wrong audience"]) {
      for (const role of roles) {
        const run = await runExplain(tokens[tokenName], synthDir(), ["--role", role.name, "--source-ip", "203.0.113.44"]);
        expect({ tokenName, role: role.name, code: run.code }).toEqual({ tokenName, role: role.name, code: decide(role, tokens[tokenName], "203.0.113.44") === "Allowed" ? 0 : 1 });
      }
    }
  });
});
