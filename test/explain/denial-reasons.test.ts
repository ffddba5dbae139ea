/**
 * Every denial reason, named with the token's value next to what the role expects, for the roles of
 * the example config (bitbucket-oidc.yaml) and of generated configs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { baseConfig, synthConfig, Synthesized, UUIDS } from "../support/synth";
import { startTestIssuer, StepClaims, TestIssuer } from "../support/tokens";
import { explainJson, ExplainJson, runExplain } from "./run-explain";

const ACME = { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace };
const ISSUER = "https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc";
const AUD = "ari:cloud:bitbucket::workspace/8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60";

function role(json: ExplainJson, name: string): ExplainJson["roles"][number] {
  const found = json.roles.find((r) => r.role === name);
  if (!found) throw new Error(`no role ${name} in ${json.roles.map((r) => r.role).join(", ")}`);
  return found;
}
function failed(json: ExplainJson, name: string): string[] {
  return role(json, name).checks.filter((c) => c.status === "fail").map((c) => c.name);
}

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(() => issuer.close());

describe("GIVEN the example config bitbucket-oidc.yaml", () => {
  let out: Synthesized;
  beforeAll(() => {
    out = synthConfig(readFileSync(join(__dirname, "../../bitbucket-oidc.yaml"), "utf8"), "bitbucket-oidc.yaml");
  });
  afterAll(() => out.dispose());
  const synthDir = (): string => join(out.outdir, "cdktf.out");
  const webApp = "{3f2a9c4e-7b1d-4a8e-b6c5-0d9e8f7a6b51}";
  const infraLive = "{5b7d1e3f-2c4a-4b6d-8e0f-a1b2c3d4e5f6}";
  const production = "{9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b}";

  test("WHEN a web-app step asks THEN ecr-push is ALLOWED and deploy-production DENIED for its repository, names shown", async () => {
    const token = await issuer.mint({ ...ACME, repositoryUuid: webApp });
    const run = await runExplain(token, synthDir());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ALLOWED +bitbucket-ecr-push /m);
    expect(run.stdout).toMatch(/^DENIED +bitbucket-deploy-production /m);
    expect(run.stdout).toContain(`repository   FAILED  token: ${webApp} (web-app)`);
    expect(run.stdout).toContain(`role expects: ${infraLive} (infra-live)`);
    expect(run.stdout).toContain("Result: this token can assume 1 of 3 roles: bitbucket-ecr-push.");
    expect(run.stdout).toContain("NOT verified");
    expect(run.stdout).not.toContain(token);
  });

  test("WHEN an infra-live step deploys to another environment THEN the environment failed, and production is named as the way in", async () => {
    const token = await issuer.mint({ ...ACME, repositoryUuid: infraLive, environmentUuid: UUIDS.envStaging });
    const run = await runExplain(token, synthDir(), ["--role", "bitbucket-deploy-production"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`environment  FAILED  token: ${UUIDS.envStaging}`);
    expect(run.stdout).toContain(`role expects: ${production} (production)`);
    expect(run.stdout).toContain(`In another deployment environment, a step of ${infraLive} (infra-live) would get:\n  ${production} (production): bitbucket-deploy-production`);
    expect(run.stdout).toContain("Result: this token cannot assume bitbucket-deploy-production.");
  });

  test("WHEN an infra-live step runs without an environment THEN the environment failed with 'none'", async () => {
    const { code, json } = await explainJson(await issuer.mint({ ...ACME, repositoryUuid: infraLive }), synthDir(), ["--role", "bitbucket-deploy-production"]);
    expect(code).toBe(1);
    expect(role(json, "bitbucket-deploy-production").checks.find((c) => c.name === "environment")).toEqual({
      name: "environment",
      status: "fail",
      token: "none (the step deploys to no environment)",
      expected: [`${production} (production)`],
    });
  });

  test("WHEN the production step asks THEN both checks pass and it is ALLOWED with exit 0", async () => {
    const run = await runExplain(await issuer.mint({ ...ACME, repositoryUuid: infraLive, environmentUuid: production }), synthDir(), ["--role", "bitbucket-deploy-production"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ALLOWED +bitbucket-deploy-production /m);
    expect(run.stdout).toContain(`environment  ok      token: ${production} (production)`);
    expect(run.stdout).not.toContain("FAILED");
  });

  test("WHEN the audience is wrong THEN audience FAILED with both values", async () => {
    const { code, json } = await explainJson(await issuer.mint({ ...ACME, repositoryUuid: webApp, aud: "sts.amazonaws.com" }), synthDir());
    expect(code).toBe(1);
    expect(failed(json, "bitbucket-ecr-push")).toEqual(["audience"]);
    expect(role(json, "bitbucket-ecr-push").checks.find((c) => c.name === "audience")).toMatchObject({ token: "sts.amazonaws.com", expected: [AUD] });
    expect(json.notes.find((n) => n.kind === "audience-not-in-provider")?.message).toBe(
      `the token's aud sts.amazonaws.com is not among the provider's audiences (${AUD}): STS answers "Incorrect token audience" before it looks at any role`,
    );
  });

  test("WHEN the token comes from another workspace THEN issuer FAILED and the note names both workspaces", async () => {
    const { code, json } = await explainJson(await issuer.mint({ workspaceSlug: "other", workspaceUuid: UUIDS.otherWorkspace, repositoryUuid: webApp }), synthDir());
    expect(code).toBe(1);
    expect(failed(json, "bitbucket-ecr-push")).toEqual(["issuer", "audience"]);
    expect(role(json, "bitbucket-ecr-push").checks[0]).toMatchObject({
      token: "https://api.bitbucket.org/2.0/workspaces/other/pipelines-config/identity/oidc (workspace other)",
      expected: [`${ISSUER} (workspace acme)`],
    });
    expect(json.notes.find((n) => n.kind === "other-workspace")?.message).toMatch(/workspace "other", but these stacks trust workspace "acme" only/);
  });

  test("WHEN the token is not Bitbucket's (a GitHub token) THEN the note says so and every role fails on issuer", async () => {
    const token = await issuer.sign({ iss: "https://token.actions.githubusercontent.com", aud: "sts.amazonaws.com", sub: "repo:acme/web-app:ref:refs/heads/main", exp: Math.floor(Date.now() / 1000) + 600 });
    const { code, json } = await explainJson(token, synthDir());
    expect(code).toBe(1);
    expect(json.notes.map((n) => n.kind)).toEqual(["decoded-only", "non-bitbucket-issuer", "not-a-step-subject"]);
    expect(json.notes[1].message).toContain("is not a Bitbucket Pipelines issuer");
    for (const r of json.roles) expect(failed(json, r.role)).toEqual(["issuer", "audience", "subject"]);
    expect(json.otherEnvironments).toEqual([]);
  });
});

describe("GIVEN generated configs", () => {
  test.each([
    [
      "a role limited by source address",
      { name: "ip-limited", repositories: [{ uuid: UUIDS.repoA, name: "web-app" }], sourceIps: ["203.0.113.0/24"] },
      { ...ACME, repositoryUuid: UUIDS.repoA },
      ["--source-ip", "192.0.2.1"],
      ["sourceIp"],
      { name: "sourceIp", status: "fail", token: "192.0.2.1", expected: ["203.0.113.0/24"] },
    ],
    [
      "a role with a custom audience",
      { name: "custom-aud", repositories: [{ uuid: UUIDS.repoA }], audiences: ["deploy.acme.example"] },
      { ...ACME, repositoryUuid: UUIDS.repoA },
      [],
      ["audience"],
      { name: "audience", status: "fail", token: AUD, expected: ["deploy.acme.example"] },
    ],
    [
      "a role for several repositories",
      { name: "two-repos", repositories: [{ uuid: UUIDS.repoB, name: "infra-live" }, { uuid: UUIDS.repoC }] },
      { ...ACME, repositoryUuid: UUIDS.repoA },
      [],
      ["repository"],
      { name: "repository", status: "fail", token: UUIDS.repoA, expected: [`${UUIDS.repoB} (infra-live)`, UUIDS.repoC] },
    ],
  ])("WHEN %s denies THEN the failed condition is named with both values", async (_, roleConfig, claims, args, failures, check) => {
    const providerAudiences = "audiences" in roleConfig ? { provider: { audiences: [AUD, "deploy.acme.example"] } } : {};
    const out = synthConfig(baseConfig({ roles: [roleConfig], ...providerAudiences }));
    try {
      const { code, json } = await explainJson(await issuer.mint(claims as StepClaims), join(out.outdir, "cdktf.out"), ["--role", roleConfig.name, ...args]);
      expect(code).toBe(1);
      expect(failed(json, roleConfig.name)).toEqual(failures);
      expect(role(json, roleConfig.name).checks).toContainEqual(check);
    } finally {
      out.dispose();
    }
  });

  test("WHEN an IP-limited role is explained without --source-ip THEN it depends on the address, exit 0, and the address decides once given", async () => {
    const out = synthConfig(baseConfig({ roles: [{ name: "ip-limited", repositories: [{ uuid: UUIDS.repoA }], sourceIps: ["203.0.113.0/24"] }] }));
    try {
      const token = await issuer.mint({ ...ACME, repositoryUuid: UUIDS.repoA });
      const synthDir = join(out.outdir, "cdktf.out");
      const run = await runExplain(token, synthDir, ["--role", "ip-limited"]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("source IP    DEPENDS token: not given (a token carries no address)");
      expect(run.stdout).toContain("depends on the step's address");
      expect(run.stdout).toContain("Result: this token can assume ip-limited if the step's address is in its ranges.");
      expect((await runExplain(token, synthDir, ["--role", "ip-limited", "--source-ip", "203.0.113.200"])).code).toBe(0);
      expect((await runExplain(token, synthDir, ["--role", "ip-limited", "--source-ip", "2001:db8::1"])).code).toBe(1);
    } finally {
      out.dispose();
    }
  });

  test("WHEN a role trusts every repository of the workspace THEN any repository of acme passes, with the opt-in named", async () => {
    const out = synthConfig(baseConfig({ roles: [{ name: "anything", anyRepositoryInWorkspace: true }] }));
    try {
      const { code, json } = await explainJson(await issuer.mint({ ...ACME, repositoryUuid: UUIDS.repoC, environmentUuid: UUIDS.envStaging }), join(out.outdir, "cdktf.out"), ["--role", "anything"]);
      expect(code).toBe(0);
      expect(role(json, "anything").checks.find((c) => c.name === "repository")).toMatchObject({ status: "pass", expected: ["any repository of workspace acme (anyRepositoryInWorkspace)"] });
    } finally {
      out.dispose();
    }
  });
});

describe("the troubleshooting page's sample output (docs/troubleshooting.md)", () => {
  test("GIVEN the example config and an infra-live staging step THEN explain prints the docs' sample (expiry aside)", async () => {
    const readme = readFileSync(join(__dirname, "../../docs/troubleshooting.md"), "utf8");
    const sample = /```text\n\$ npm run explain -- --token token.jwt\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(sample).toBeDefined();
    const out = synthConfig(readFileSync(join(__dirname, "../../bitbucket-oidc.yaml"), "utf8"), "bitbucket-oidc.yaml");
    try {
      const token = await issuer.mint({ ...ACME, repositoryUuid: "{5b7d1e3f-2c4a-4b6d-8e0f-a1b2c3d4e5f6}", environmentUuid: UUIDS.envStaging });
      const run = await runExplain(token, join(out.outdir, "cdktf.out"));
      const mask = (text: string): string => text.replace(/^( {2}expires {6}).*$/m, "$1<time>");
      expect(mask(run.stdout)).toBe(mask(sample!));
      expect(run.code).toBe(0); // the read-only plan role trusts every infra-live step
    } finally {
      out.dispose();
    }
  });
});
