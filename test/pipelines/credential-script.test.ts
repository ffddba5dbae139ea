import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { findSteps } from "../../lib/pipelines/script-check";
import { baseConfig, UUIDS, withSynth } from "../support/synth";
import { parseYaml, synthExample } from "./support";

/** A token shaped like Bitbucket's (three base64url parts); the script must never print it. */
const TOKEN = "eyJhbGciOiJSUzI1NiIsImtpZCI6InRlc3QifQ.eyJzdWIiOiJ7cmVwb306e3N0ZXB9In0.c2lnbmF0dXJlLW5vdC1wcmludGVk";
const STEP_UUID = "{7f3e2d1c-0b9a-4876-9543-21fedcba9876}";

/** The credential entry (first script entry) of a role's generated snippet. */
function credentialEntry(snippet: string): string {
  const [step] = findSteps(parseYaml(snippet, "snippet"));
  return step.commands[0];
}

/** The real mktemp, found once on the caller's PATH. */
const REAL_MKTEMP = spawnSync("sh", ["-c", "command -v mktemp"], { encoding: "utf8" }).stdout.trim();

/**
 * A folder with a `mktemp` that runs the real one and appends what it created to `$MKTEMP_LOG`: the
 * test sees exactly the folders this entry made (never a listing of the machine-wide /tmp).
 */
function recordingMktemp(dir: string): string {
  const bin = join(dir, "bin");
  mkdirSync(bin);
  const script = `#!/bin/sh\nout=$('${REAL_MKTEMP}' "$@") || exit $?\nprintf '%s\\n' "$out" >> "$MKTEMP_LOG"\nprintf '%s\\n' "$out"\n`;
  writeFileSync(join(bin, "mktemp"), script);
  chmodSync(join(bin, "mktemp"), 0o755);
  return bin;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  env: Record<string, string>;
}

/** What the recording mktemp created under `work` so far. */
function mktempCreated(work: string): string[] {
  const log = join(work, "mktemp.log");
  return existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
}

/** Runs the entry in `shell` from a fake clone folder, then records the exported environment. */
function runEntry(shell: string, entry: string, clone: string, env: Record<string, string | undefined>): Run {
  const work = dirname(clone);
  const envFile = join(work, "env.out");
  rmSync(envFile, { force: true });
  const run = spawnSync(shell, ["-c", `${entry}\nenv > "$ENV_OUT"`], {
    cwd: clone,
    encoding: "utf8",
    env: {
      PATH: `${join(work, "bin")}:${process.env.PATH}`,
      MKTEMP_LOG: join(work, "mktemp.log"),
      HOME: work,
      ENV_OUT: envFile,
      BITBUCKET_CLONE_DIR: clone,
      TMPDIR: join(clone, "tmp"),
      ...env,
    } as NodeJS.ProcessEnv,
  });
  let recorded: Record<string, string> = {};
  try {
    recorded = Object.fromEntries(
      readFileSync(envFile, "utf8")
        .split("\n")
        .filter((l) => l.includes("="))
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
  } catch {
    // The entry failed before env ran.
  }
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, env: recorded };
}

describe("the generated credential script, run for real", () => {
  let work: string;
  let clone: string;
  beforeEach(() => {
    work = realpathSync(mkdtempSync(join(tmpdir(), "bbo-cred-")));
    clone = join(work, "build");
    mkdirSync(join(clone, "tmp"), { recursive: true });
    recordingMktemp(work);
  });
  afterEach(() => {
    // Only the folders this test's entries made (recorded by the mktemp wrapper) are removed.
    for (const dir of mktempCreated(work)) rmSync(dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  const example = synthExample();
  afterAll(() => example.dispose());
  const deployEntry = credentialEntry(example.file("pipelines/bitbucket-deploy-production.yml"));

  test.each(["bash", "sh"])(
    "GIVEN a token and BITBUCKET_* variables WHEN %s runs the entry THEN it prints nothing, exports the three variables and leaves the token in a 600 file outside the clone",
    (shell) => {
      const run = runEntry(shell, deployEntry, clone, { BITBUCKET_STEP_OIDC_TOKEN: TOKEN, BITBUCKET_BUILD_NUMBER: "1234", BITBUCKET_STEP_UUID: STEP_UUID });
      const tokenFile = run.env.AWS_WEB_IDENTITY_TOKEN_FILE;
      expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 0, stdout: "", stderr: "" });

      expect(run.env.AWS_ROLE_ARN).toBe("arn:aws:iam::123456789012:role/bitbucket-deploy-production");
      expect(run.env.AWS_ROLE_SESSION_NAME).toBe("bitbucket-1234-7f3e2d1c-0b9a-4876-9543-21fedcba9876");
      expect(run.env.AWS_DEFAULT_REGION).toBe("us-east-1");
      // No static credential is ever set: the SDKs assume the role from the token file themselves.
      expect(Object.keys(run.env).filter((k) => /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)$/.test(k))).toEqual([]);

      expect(tokenFile).toMatch(/^\/tmp\/bitbucket-oidc\.[A-Za-z0-9]{8}\/web-identity-token$/);
      expect(relative(clone, tokenFile).startsWith("..")).toBe(true);
      expect(readFileSync(tokenFile, "utf8")).toBe(TOKEN);
      expect((statSync(tokenFile).mode & 0o777).toString(8)).toBe("600");
      expect((statSync(dirname(tokenFile)).mode & 0o777).toString(8)).toBe("700");
      expect(mktempCreated(work)).toEqual([dirname(tokenFile)]); // one folder, made by mktemp
    },
  );

  test("GIVEN a hostile, long step UUID WHEN the entry runs THEN the session name keeps to IAM's 2-64 characters of [\\w+=,.@-]", () => {
    const run = runEntry("bash", deployEntry, clone, {
      BITBUCKET_STEP_OIDC_TOKEN: TOKEN,
      BITBUCKET_BUILD_NUMBER: "98765432",
      BITBUCKET_STEP_UUID: `{a b$c;d}é${"x".repeat(80)}`,
    });
    expect(run.status).toBe(0);
    expect(run.env.AWS_ROLE_SESSION_NAME).toMatch(/^[\w+=,.@-]{2,64}$/);
    expect(run.env.AWS_ROLE_SESSION_NAME.length).toBe(64);
    expect(run.env.AWS_ROLE_SESSION_NAME.startsWith("bitbucket-98765432-a-b-c-d-")).toBe(true);
  });

  test("GIVEN a step without oidc: true (no token) WHEN the entry runs THEN it stops, says why, and writes no token file", () => {
    const run = runEntry("bash", deployEntry, clone, { BITBUCKET_BUILD_NUMBER: "1" });
    expect(mktempCreated(work)).toEqual([]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("no OIDC token: add oidc: true to this step");
    expect(run.env).toEqual({});
  });

  test("GIVEN no account id at synth WHEN the entry runs THEN it needs AWS_ROLE_ARN_<ROLE>, named with the Terraform output to copy", () => {
    const config = baseConfig({ aws: { region: "eu-west-1" }, roles: [{ name: "bitbucket-deploy", repositories: [{ uuid: UUIDS.repoA }] }] });
    withSynth(config, (out) => {
      const entry = credentialEntry(out.file("pipelines/bitbucket-deploy.yml"));
      expect(Object.keys(out.json().output ?? {})).toContain("role_arn_bitbucket-deploy");

      const missing = runEntry("bash", entry, clone, { BITBUCKET_STEP_OIDC_TOKEN: TOKEN });
      expect(mktempCreated(work)).toEqual([]);
      expect(missing.status).not.toBe(0);
      expect(missing.stderr).toContain("set the variable AWS_ROLE_ARN_BITBUCKET_DEPLOY to the Terraform output role_arn_bitbucket-deploy");

      const arn = "arn:aws:iam::210987654321:role/bitbucket-deploy";
      const set = runEntry("bash", entry, clone, { BITBUCKET_STEP_OIDC_TOKEN: TOKEN, AWS_ROLE_ARN_BITBUCKET_DEPLOY: arn });
      expect(set.status).toBe(0);
      expect(mktempCreated(work)).toEqual([dirname(set.env.AWS_WEB_IDENTITY_TOKEN_FILE)]);
      expect(set.env.AWS_ROLE_ARN).toBe(arn);
      expect(set.env.AWS_DEFAULT_REGION).toBe("eu-west-1");
      expect(set.env.AWS_ROLE_SESSION_NAME).toBe("bitbucket-0-step");
    });
  });
});
