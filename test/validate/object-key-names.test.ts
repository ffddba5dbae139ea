/**
 * Role names that every JavaScript object already has as a key (`constructor`, `__proto__`, `toString`,
 * `hasOwnProperty`) are legal IAM names. No command may crash on them (exit 3): names index Maps or
 * prototype-free objects everywhere.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { CliRun, runCliIn } from "../support/run-cli";
import { BitbucketOidcConfigInput } from "../../lib/config/model";
import { baseConfig, TerraformJson, UUIDS } from "../support/synth";
import { startTestIssuer, TestIssuer } from "../support/tokens";

const NAMES = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];

const cli = (argv: string[], cwd: string): Promise<CliRun> => runCliIn(argv, { cwd, env: { CHECKPOINT_DISABLE: "1" } });

let issuer: TestIssuer;
let dir: string;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(() => issuer.close());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "bbo-object-keys-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const single = (): BitbucketOidcConfigInput =>
  baseConfig({ roles: NAMES.map((name, i) => ({ name, repositories: [{ uuid: i % 2 ? UUIDS.repoA : UUIDS.repoB, name: "web-app" }], statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::acme-site/*"] }], inlinePolicies: Object.fromEntries([["__proto__", [{ actions: ["s3:ListBucket"], resources: ["arn:aws:s3:::acme-site"] }]], ["constructor", [{ actions: ["s3:PutObject"], resources: ["arn:aws:s3:::acme-site/*"] }]]]) })) });

const accounts = (): BitbucketOidcConfigInput => {
  const { aws: _aws, ...base } = baseConfig({ state: { bucket: "acme-terraform-state", key: "org/terraform.tfstate", region: "us-east-1" } });
  return {
    ...base,
    roles: NAMES.map((name) => ({ name, repositories: [{ uuid: UUIDS.repoA }] })),
    accounts: [
      { id: "111111111111", name: "dev", region: "us-east-1" },
      // An override for every name; the YAML key "__proto__" must be a key, not a prototype.
      { id: "222222222222", name: "prod", region: "us-east-1", overrides: Object.fromEntries(NAMES.map((n) => [n, { maxSessionDuration: 7200 }])) },
    ],
  };
};

describe("role names that are JavaScript object keys", () => {
  test.each([
    ["one account", single],
    ["accounts: with overrides", accounts],
  ])("GIVEN %s WHEN validate, synth, review, review --base, snippet and explain run THEN none exits 3, and the roles are all there", async (_, make) => {
    // The file must hold the "__proto__" key (an own key of the object written).
    const yaml = stringify(make());
    expect(yaml).toContain("__proto__");
    writeFileSync(join(dir, "c.yaml"), yaml);
    const config = join(dir, "c.yaml");
    const out = join(dir, "cdktf.out");
    const validate = await cli(["validate", "-c", config], dir);
    expect(validate.stderr).toBe("");
    expect(validate.code).toBe(0);
    const synth = await cli(["synth", "-q", "-c", config, "-o", out], dir);
    expect(synth.stderr).not.toContain("internal error");
    expect(synth.code).toBe(0);
    if (make().accounts) {
      // Each override reached its role, "__proto__" included.
      const roles = (stack: string) => (JSON.parse(readFileSync(join(out, "stacks", stack, "cdk.tf.json"), "utf8")) as TerraformJson).resource!.aws_iam_role;
      const sessions = (stack: string) => Object.fromEntries(Object.values(roles(stack)).map((r) => [r.name as string, r.max_session_duration]));
      expect(sessions("bitbucket-oidc-prod")).toEqual(Object.fromEntries(NAMES.map((n) => [n, 7200])));
      expect(sessions("bitbucket-oidc-dev")).toEqual(Object.fromEntries(NAMES.map((n) => [n, 3600])));
    }
    if (!make().accounts) {
      // Inline policies named like object keys are kept, each as its own aws_iam_role_policy.
      const json = JSON.parse(readFileSync(join(out, "stacks", "bitbucket-oidc", "cdk.tf.json"), "utf8")) as TerraformJson;
      const names = Object.values(json.resource!.aws_iam_role_policy).map((p) => p.name as string);
      for (const policy of ["__proto__", "constructor", "permissions"]) expect(names.filter((n) => n === policy)).toHaveLength(NAMES.length);
    }
    const review = await cli(["review", "--synth", out, "--json"], dir);
    expect(review.stderr).not.toContain("internal error");
    expect(review.code).toBe(0);
    for (const name of NAMES) expect(review.stdout).toContain(JSON.stringify(name));
    const diff = await cli(["review", "--synth", out, "--base", out], dir);
    expect(diff.stderr).not.toContain("internal error");
    expect(diff.code).toBe(0);
    const stack = make().accounts ? ["--stack", "bitbucket-oidc-prod"] : [];
    for (const name of NAMES) {
      const snippet = await cli(["snippet", name, "--synth", out, ...stack], dir);
      expect(snippet.stderr).not.toContain("internal error");
      expect(snippet.code).toBe(0);
    }
    const token = await issuer.mint({ workspaceSlug: "acme", workspaceUuid: UUIDS.workspace, repositoryUuid: UUIDS.repoA });
    writeFileSync(join(dir, "token.jwt"), token, { mode: 0o600 });
    for (const name of [undefined, ...NAMES]) {
      const explain = await cli(["explain", "--token", join(dir, "token.jwt"), "--synth", out, ...(name ? ["--role", name, ...stack] : [])], dir);
      expect(explain.stderr).not.toContain("internal error");
      expect([0, 1]).toContain(explain.code);
    }
  }, 120_000);
});
