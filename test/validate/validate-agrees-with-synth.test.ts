/**
 * `validate` runs every check `synth` runs (one shared function, cli/app/synth-checks.ts) and stops
 * only short of writing: for each config both exit with the same code and print the same findings.
 * The one exception, the terraform version check of adopted resources, is said to be skipped.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { stringify } from "yaml";
import { BitbucketOidcConfigInput, RoleConfig } from "../../lib/config/model";
import { describeWithTerraform } from "../adoption/terraform-cli";
import { runCliIn } from "../support/run-cli";
import { baseConfig, UUIDS } from "../support/synth";

const BIN = resolve(__dirname, "../../bin/bitbucket-oidc.js");
const STATE = { bucket: "acme-terraform-state", key: "bitbucket-oidc/terraform.tfstate", region: "us-east-1" };

/** A role of the base config with extra fields. */
const role = (extra: Partial<RoleConfig> = {}, name = "bitbucket-deploy"): RoleConfig => ({ name, repositories: [{ uuid: UUIDS.repoA, name: "web-app" }], ...extra });

/** What one command printed, reduced to what both commands must agree on. */
interface Verdict {
  readonly code: number;
  /** The findings (errors) of a failed run, or the WARNING lines of a successful one. */
  readonly findings: string;
}

async function run(command: "validate" | "synth", configFile: string, dir: string): Promise<{ verdict: Verdict; stderr: string; stdout: string }> {
  const args = command === "synth" ? ["synth", "-q", "-c", configFile, "-o", join(dir, "cdktf.out")] : ["validate", "-c", configFile];
  const { code, stdout, stderr } = await runCliIn(args, { cwd: dir, env: { CHECKPOINT_DISABLE: "1" } });
  const failed = /(?:synth stopped|invalid): \d+ errors?\n([\s\S]*?)(?:\nNothing was written[\s\S]*)?$/.exec(stderr);
  const configError = /is not a valid bitbucket-oidc config[\s\S]*$/.exec(stderr);
  const findings = failed ? failed[1].trimEnd() : configError ? configError[0].replace(/\nNothing was written[\s\S]*$/, "").trimEnd() : stderr.split("\n").filter((l) => l.startsWith("WARNING ")).join("\n");
  return { verdict: { code, findings }, stderr, stdout };
}

/** Runs validate, then synth, on one config; returns both verdicts and whether validate wrote anything. */
async function both(config: BitbucketOidcConfigInput): Promise<{ validate: Verdict; synth: Verdict; validateStderr: string; validateWrote: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), "bbo-agree-"));
  try {
    writeFileSync(join(dir, "c.yaml"), stringify(config));
    const validate = await run("validate", join(dir, "c.yaml"), dir);
    const validateWrote = readdirSync(dir).some((f) => f !== "c.yaml");
    const synth = await run("synth", join(dir, "c.yaml"), dir);
    return { validate: validate.verdict, synth: synth.verdict, validateStderr: validate.stderr, validateWrote };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const CASES: [string, BitbucketOidcConfigInput, { code: number; contains: string }][] = [
  ["a valid config", baseConfig(), { code: 0, contains: "" }],
  [
    "ecr:PutImages (BBO-P001)",
    baseConfig({ roles: [role({ statements: [{ actions: ["ecr:PutImages"], resources: ["arn:aws:ecr:us-east-1:123456789012:repository/web-app"] }] })] }),
    { code: 2, contains: 'BBO-P001' },
  ],
  ["* on * (BBO-P002)", baseConfig({ roles: [role({ statements: [{ actions: ["*"], resources: ["*"] }] })] }), { code: 2, contains: "BBO-P002" }],
  [
    "an account-wide plan policy (BBO-P003, a warning)",
    baseConfig({ state: STATE, roles: [role({ grants: { terraformPlan: { bucket: STATE.bucket, key: STATE.key, managedPolicy: "ReadOnlyAccess" } } })] }),
    { code: 0, contains: "BBO-P003" },
  ],
  [
    "an acknowledged BBO-P002 (a warning)",
    baseConfig({ roles: [role({ statements: [{ actions: ["*"], resources: ["*"] }], acknowledge: [{ rule: "BBO-P002", reason: "break-glass role" }] })] }),
    { code: 0, contains: "BBO-P002 acknowledged" },
  ],
  [
    "two roles with findings, each reported",
    baseConfig({ roles: [role({ statements: [{ actions: ["*"], resources: ["*"] }] }), role({ statements: [{ actions: ["s3:GetObjects"], resources: ["*"] }] }, "bitbucket-read")] }),
    { code: 2, contains: "BBO-P001" },
  ],
  ["1,001 roles in one account (roles-per-account quota)", baseConfig({ roles: Array.from({ length: 1001 }, (_, i) => role({}, `role-${i}`)) }), { code: 2, contains: "expected at most 1000 roles per account" }],
  ["a schema error", baseConfig({ roles: [role({}, "bad name")] }), { code: 2, contains: "roles[0].name" }],
];

describe("validate agrees with synth", () => {
  test.each(CASES)("GIVEN %s THEN validate and synth exit alike with the same findings, and validate writes nothing", async (_, config, expected) => {
    const { validate, synth, validateWrote } = await both(config);
    expect(validate).toEqual(synth);
    expect(validate.code).toBe(expected.code);
    expect(validate.findings).toContain(expected.contains);
    expect(validateWrote).toBe(false);
  });

  test("GIVEN findings in two account stacks THEN both commands report both accounts", async () => {
    const { aws: _aws, roles: _roles, ...base } = baseConfig({ state: { ...STATE, key: "org/terraform.tfstate" } });
    const config: BitbucketOidcConfigInput = {
      ...base,
      accounts: [
        { id: "111111111111", name: "dev", region: "us-east-1" },
        { id: "222222222222", name: "prod", region: "us-east-1" },
      ],
      roles: [role({ statements: [{ actions: ["*"], resources: ["*"] }] })],
    };
    const { validate, synth } = await both(config);
    expect(validate).toEqual(synth);
    expect(validate.code).toBe(2);
    expect(validate.findings).toContain("bitbucket-oidc-dev/bitbucket-deploy");
    expect(validate.findings).toContain("bitbucket-oidc-prod/bitbucket-deploy");
  });

  test("GIVEN generated roles (fixed seed) THEN validate and synth always agree", async () => {
    const actions = fc.constantFrom("s3:GetObject", "ecr:PutImages", "*", "s3:*", "ecr:BatchGetImage", "iam:PassRole", "s3:GetObjects");
    const resources = fc.constantFrom("*", "arn:aws:s3:::acme-site/*", "arn:aws:ecr:us-east-1:123456789012:repository/web-app");
    const statement = fc.record({ actions: fc.array(actions, { minLength: 1, maxLength: 3 }), resources: fc.array(resources, { minLength: 1, maxLength: 2 }) });
    const roleArb = fc.record({
      statements: fc.option(fc.array(statement, { minLength: 1, maxLength: 2 }), { nil: undefined }),
      acknowledge: fc.option(fc.constantFrom([{ rule: "BBO-P002", reason: "break-glass" }], [{ rule: "BBO-P001", reason: "launching" }]), { nil: undefined }),
      plan: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(roleArb, { minLength: 1, maxLength: 3 }), async (roles) => {
        const config = baseConfig({
          state: STATE,
          roles: roles.map((r, i) =>
            role(
              {
                ...(r.statements ? { statements: r.statements } : {}),
                ...(r.acknowledge ? { acknowledge: r.acknowledge } : {}),
                ...(r.plan ? { grants: { terraformPlan: { bucket: STATE.bucket, key: STATE.key, managedPolicy: "ReadOnlyAccess" } } } : {}),
              },
              `role-${i}`,
            ),
          ),
        });
        const { validate, synth } = await both(config);
        expect(validate).toEqual(synth);
      }),
      { seed: 1515, numRuns: 12 },
    );
  }, 120_000);
});

describe("validate without terraform on PATH", () => {
  test("GIVEN adopted resources THEN validate says the terraform check was skipped and exits 0, while synth needs terraform", () => {
    const dir = mkdtempSync(join(tmpdir(), "bbo-agree-no-tf-"));
    try {
      writeFileSync(join(dir, "adopt.yaml"), stringify(baseConfig({ roles: [role({ adopt: true })] })));
      const env = { PATH: join(dir, "no-such-bin"), HOME: dir, CHECKPOINT_DISABLE: "1" };
      const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: "utf8", env, timeout: 60_000 });
      const validate = cli(["validate", "--config", "adopt.yaml"]);
      expect(validate.stderr).toContain("terraform version check skipped");
      expect(validate.stdout).toContain("adopt.yaml: valid");
      expect(validate.status).toBe(0);
      const synth = cli(["synth", "--config", "adopt.yaml", "--output", "cdktf.out"]);
      expect(synth.stderr).toContain("Could not determine version of terraform");
      expect(synth.status).toBe(2);
      expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeWithTerraform("validate with terraform on PATH", () => {
  test("GIVEN adopted resources THEN validate runs the terraform check too and agrees with synth", async () => {
    const { validate, synth, validateStderr } = await both(baseConfig({ roles: [role({ adopt: true })] }));
    expect(validate).toEqual(synth);
    expect(validate.code).toBe(0);
    expect(validateStderr).not.toContain("skipped");
  });
});
