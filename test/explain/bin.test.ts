/**
 * explain through the real command (`node bin/bitbucket-oidc.js`), and the README's debug step run
 * as written in bash: exit codes, the token never in the output, no token file left behind.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { checkPipeline, findSteps } from "../../lib/pipelines/script-check";
import { baseConfig, synthConfig, Synthesized, UUIDS } from "../support/synth";
import { startTestIssuer, TestIssuer } from "../support/tokens";

const ROOT = join(__dirname, "..", "..");
const BIN = join(ROOT, "bin", "bitbucket-oidc.js");
const ACME = { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace };

let issuer: TestIssuer;
let out: Synthesized;
/**
 * A project folder as a pipeline step has it after `npm ci`: the package's command linked in
 * node_modules/.bin, where `npx --no bitbucket-oidc` finds it (run from this repository instead,
 * npx would first set the package up in its cache: a second per run, and not what a step does).
 */
let project: string;
beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), "bbo-step-project-"));
  writeFileSync(join(project, "package.json"), '{ "private": true }\n');
  mkdirSync(join(project, "node_modules", ".bin"), { recursive: true });
  symlinkSync(BIN, join(project, "node_modules", ".bin", "bitbucket-oidc"));
  issuer = await startTestIssuer();
  out = synthConfig(
    baseConfig({
      roles: [{ name: "bitbucket-deploy-production", repositories: [{ uuid: UUIDS.repoA, name: "web-app", environments: [{ uuid: UUIDS.envProduction, name: "production" }] }] }],
    }),
  );
});
afterAll(async () => {
  rmSync(project, { recursive: true, force: true });
  out.dispose();
  await issuer.close();
});

function bin(args: string[], input: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, "explain", ...args], { cwd: ROOT, input, encoding: "utf8", timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs a debug-step script in a shell as a pipeline step would (the step's token in the environment)
 * and checks the exit code and verdict, that the token never reaches the log, and that no token
 * file is left behind.
 */
async function expectStepRun(shell: "bash" | "sh", script: string, environmentUuid: string, expected: number): Promise<void> {
  const token = await issuer.mint({ ...ACME, repositoryUuid: UUIDS.repoA, environmentUuid });
  const tmp = mkdtempSync(join(tmpdir(), "bbo-step-"));
  // npx keeps its logs and _npx folder in the npm cache: a folder of this run's own, never the global one.
  const npmCache = mkdtempSync(join(tmpdir(), "bbo-step-npm-"));
  try {
    const r = spawnSync(shell, ["-e", "-c", script], {
      cwd: project,
      encoding: "utf8",
      timeout: 120000,
      env: {
        ...process.env,
        BITBUCKET_STEP_OIDC_TOKEN: token,
        CDKTF_OUTDIR: join(out.outdir, "cdktf.out"),
        TMPDIR: tmp,
        npm_config_cache: npmCache,
        npm_config_offline: "true",
        npm_config_update_notifier: "false",
      },
    });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: expected, stderr: "" });
    expect(r.stdout).toMatch(expected === 0 ? /^ALLOWED +bitbucket-deploy-production /m : /^DENIED +bitbucket-deploy-production /m);
    expect(r.stdout).not.toContain(token);
    expect(readdirSync(tmp)).toEqual([]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(npmCache, { recursive: true, force: true });
  }
}

describe("node bin/bitbucket-oidc.js explain", () => {
  test("GIVEN tokens on stdin THEN exit 0 allowed, 1 denied, 2 malformed; the token is never printed", async () => {
    const synth = ["--synth", join(out.outdir, "cdktf.out"), "--token", "-", "--role", "bitbucket-deploy-production"];
    const allowed = await issuer.mint({ ...ACME, repositoryUuid: UUIDS.repoA, environmentUuid: UUIDS.envProduction });
    const denied = await issuer.mint({ ...ACME, repositoryUuid: UUIDS.repoA, environmentUuid: UUIDS.envStaging });
    const yes = bin(synth, allowed);
    expect({ status: yes.status, stderr: yes.stderr }).toEqual({ status: 0, stderr: "" });
    expect(yes.stdout).toMatch(/^ALLOWED +bitbucket-deploy-production /m);
    const no = bin(synth, denied);
    expect(no.status).toBe(1);
    expect(no.stdout).toContain("environment  FAILED");
    const bad = bin(synth, "not.a-token");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/stdin: the input is not a JWT/);
    for (const [run, token] of [[yes, allowed], [no, denied]] as const) expect(run.stdout + run.stderr).not.toContain(token);
  });
});

describe("the debug step of docs/troubleshooting.md", () => {
  const readme = readFileSync(join(ROOT, "docs", "troubleshooting.md"), "utf8");
  const script = /<!-- explain-debug-step -->\n```sh\n([\s\S]*?)```/.exec(readme)?.[1];

  test("GIVEN the troubleshooting page THEN it has the step script, which passes shellcheck", () => {
    expect(script).toContain('npx --no bitbucket-oidc explain --token "$token_file" --role bitbucket-deploy-production');
    const check = spawnSync("shellcheck", ["-s", "bash", "-"], { input: script, encoding: "utf8" });
    if (check.error) {
      if (process.env.CI === "true") throw new Error("shellcheck is required in CI (scripts/setup.sh installs it)");
      console.warn("SKIPPED: shellcheck of the docs' explain debug step (shellcheck not installed)");
      return;
    }
    expect(check.stdout).toBe("");
    expect(check.status).toBe(0);
  });

  test.each([
    ["a production step", 0, UUIDS.envProduction],
    ["a staging step", 1, UUIDS.envStaging],
  ])("WHEN it runs in bash for %s THEN exit %d, the token not in the log, no token file left", async (_, expected, environmentUuid) => {
    await expectStepRun("bash", script!, environmentUuid, expected);
  });
});

describe("the generated debug step (snippet --debug)", () => {
  /** The snippet the real bin prints, made once. */
  let snippetText: string | undefined;
  const snippet = (): string => {
    if (snippetText === undefined) {
      const r = spawnSync(process.execPath, [BIN, "snippet", "bitbucket-deploy-production", "--debug", "--synth", join(out.outdir, "cdktf.out")], { cwd: ROOT, encoding: "utf8", timeout: 60000 });
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
      snippetText = r.stdout;
    }
    return snippetText;
  };

  test("GIVEN --debug THEN every step starts with explain --role for its role and stack, and passes the leak check and shellcheck", () => {
    const steps = findSteps(parse(snippet()));
    expect(steps.length).toBeGreaterThan(0);
    for (const { step } of steps) {
      const first = String((step.script as unknown[])[0]);
      expect(first).toContain('npx --no bitbucket-oidc explain --token "$token_file" --role bitbucket-deploy-production --stack bitbucket-oidc');
      expect(first).not.toContain("echo");
    }
    expect(checkPipeline(parse(snippet()))).toEqual([]);
    const first = String((steps[0].step.script as unknown[])[0]);
    const check = spawnSync("shellcheck", ["-s", "sh", "-"], { input: `${first}\n`, encoding: "utf8" });
    if (check.error) {
      if (process.env.CI === "true") throw new Error("shellcheck is required in CI (scripts/setup.sh installs it)");
      console.warn("SKIPPED: shellcheck of the generated debug step (shellcheck not installed)");
      return;
    }
    expect(check.stdout).toBe("");
  });

  test.each([
    ["a production step", 0, UUIDS.envProduction],
    ["a staging step", 1, UUIDS.envStaging],
  ])("WHEN its first entry runs in sh for %s THEN exit %d, the verdict in the log, never the token, no token file left", async (_, expected, environmentUuid) => {
    const entry = String((findSteps(parse(snippet()))[0].step.script as unknown[])[0]);
    await expectStepRun("sh", entry, environmentUuid, expected);
  });
});
