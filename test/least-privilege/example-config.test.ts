/**
 * The bundled example, bitbucket-oidc.yaml, synthesized as `npm run synth` does and proven: the
 * "Who can assume which role" table of docs/trust.md is this test's expectation.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { evaluateAction } from "../../lib/evaluation/identity-evaluator";
import { UUIDS, withSynth } from "../support/synth";
import { rolesFromTerraform } from "../support/terraform-json";
import { startTestIssuer, TestIssuer } from "../support/tokens";
import { accessMatrix, ACCOUNT_ID, allowedCells, INSIDE_IP, TOKEN_CASES, TokenCase } from "./matrix";

const EXAMPLE = join(__dirname, "..", "..", "bitbucket-oidc.yaml");
const acme = { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace };
// In the example, repo A is web-app and repo B is infra-live (with its production environment).
const INFRA_LIVE: TokenCase[] = [
  { label: "infra-live, production", claims: { ...acme, repositoryUuid: UUIDS.repoB, environmentUuid: UUIDS.envProduction }, sourceIp: INSIDE_IP },
  { label: "infra-live, staging", claims: { ...acme, repositoryUuid: UUIDS.repoB, environmentUuid: UUIDS.envStaging }, sourceIp: INSIDE_IP },
];

describe("the example config bitbucket-oidc.yaml", () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(() => issuer.close());
  const json = () => withSynth(readFileSync(EXAMPLE, "utf8"), (out) => out.json());

  test("GIVEN every kind of token THEN web-app's steps get the ECR role, only infra-live's production steps the deploy role, and every infra-live step the read-only plan role", async () => {
    const matrix = await accessMatrix(issuer, json(), [...TOKEN_CASES, ...INFRA_LIVE]);
    expect(allowedCells(matrix)).toEqual({
      "bitbucket-ecr-push": ["repo A, no environment", "repo A, production", "repo A, staging (other environment)", "repo A, no environment, outside the IP range"],
      "bitbucket-deploy-production": ["infra-live, production"],
      "bitbucket-terraform-plan": ["repo B (other repository, same workspace)", "infra-live, production", "infra-live, staging"],
    });
    // "repo B (other repository, same workspace)" is infra-live without an environment: denied by the deploy role.
    expect(matrix["bitbucket-deploy-production"]["repo B (other repository, same workspace)"]).toBe("ImplicitlyDenied");
  });

  test("GIVEN the ECR role's policy THEN it pushes to web-app's repository and nowhere else", async () => {
    const role = rolesFromTerraform(json(), { accountId: ACCOUNT_ID }).find((r) => r.name === "bitbucket-ecr-push");
    if (!role) throw new Error("bitbucket-ecr-push not synthesized");
    const ask = (action: string, resource: string) => evaluateAction(role.inlinePolicies, { principalArn: role.arn, accountId: ACCOUNT_ID, action, resource });
    expect(await ask("ecr:PutImage", `arn:aws:ecr:us-east-1:${ACCOUNT_ID}:repository/web-app`)).toEqual({ result: "Allowed", ignoredContextKeys: [] });
    expect((await ask("ecr:PutImage", `arn:aws:ecr:us-east-1:${ACCOUNT_ID}:repository/other`)).result).toBe("ImplicitlyDenied");
    expect((await ask("ecr:DeleteRepository", `arn:aws:ecr:us-east-1:${ACCOUNT_ID}:repository/web-app`)).result).toBe("ImplicitlyDenied");
    expect((await ask("ecr:GetAuthorizationToken", "*")).result).toBe("Allowed");
  });
});
