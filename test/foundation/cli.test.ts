import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { COMMANDS } from "../../cli/registry";
import { CliRun, runCliIn } from "../support/run-cli";
import { baseConfig } from "../support/synth";

const ROOT = join(__dirname, "..", "..");

/** Runs the CLI in-process in `cwd` (relative paths are read against it) and captures what it prints. */
const cli = (argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> => runCliIn(argv, { cwd, env });

describe("bitbucket-oidc CLI", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "bbo-cli-"));
    writeFileSync(join(dir, "good.yaml"), stringify(baseConfig()));
    writeFileSync(join(dir, "bad.yaml"), stringify({ ...baseConfig(), roles: [{ name: "bad name", repositories: [] }] }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test.each(COMMANDS.map((c) => c.name))("GIVEN `%s --help` THEN it prints usage with exit codes and exits 0", async (name) => {
    const { code, stdout } = await cli([name, "--help"], dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Usage: bitbucket-oidc ${name}`));
    expect(stdout).toMatch(/Exit codes:/);
  });

  test("GIVEN no command THEN usage goes to stderr with exit 2; --help lists every command with exit 0", async () => {
    expect(await cli([], dir)).toMatchObject({ code: 2, stderr: expect.stringMatching(/Usage: bitbucket-oidc <command>/) });
    const help = await cli(["--help"], dir);
    expect(help.code).toBe(0);
    for (const c of COMMANDS) expect(help.stdout).toContain(`  ${c.name}`);
  });

  test("GIVEN an unknown command or option THEN exit 2 with a pointer to --help", async () => {
    expect(await cli(["deploy"], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining(`unknown command "deploy"; expected one of: ${COMMANDS.map((c) => c.name).join(", ")}`) });
    expect(await cli(["synth", "--fast"], dir)).toMatchObject({ code: 2, stderr: expect.stringMatching(/Unknown option '--fast'[\s\S]*synth --help/) });
  });

  test("GIVEN a valid config THEN validate exits 0; GIVEN a bad one THEN exit 2 with every problem and no stack trace", async () => {
    expect(await cli(["validate", "--config", "good.yaml"], dir)).toMatchObject({ code: 0, stdout: expect.stringMatching(/good\.yaml: valid/) });
    const bad = await cli(["validate", "-c", "bad.yaml"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yaml:\d+ roles\[0\]\.name: "bad name"/);
    expect(bad.stderr).toMatch(/bad\.yaml:\d+ roles\[0\]\.repositories: \[\]/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  test("GIVEN BITBUCKET_OIDC_CONFIG THEN it selects the config file", async () => {
    expect(await cli(["validate"], dir, { BITBUCKET_OIDC_CONFIG: "bad.yaml" })).toMatchObject({ code: 2 });
    expect(await cli(["validate"], dir, { BITBUCKET_OIDC_CONFIG: "good.yaml" })).toMatchObject({ code: 0 });
    expect(await cli(["validate"], dir, {})).toMatchObject({ code: 2, stderr: expect.stringMatching(/bitbucket-oidc\.yaml.*cannot read the config file/) });
  });

  test("GIVEN an earlier output WHEN a synth fails THEN nothing in cdktf.out changes", async () => {
    const ok = await cli(["synth", "--config", "good.yaml"], dir);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/wrote cdktf\.out\/stacks\/bitbucket-oidc\/cdk\.tf\.json/);
    expect(ok.stdout).toMatch(/Next: terraform -chdir=cdktf\.out\/stacks\/bitbucket-oidc init/);
    const file = join(dir, "cdktf.out", "stacks", "bitbucket-oidc", "cdk.tf.json");
    const before = { text: readFileSync(file, "utf8"), mtime: statSync(file).mtimeMs };
    const failed = await cli(["synth", "--config", "bad.yaml"], dir);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/Nothing was written/);
    expect(readFileSync(file, "utf8")).toBe(before.text);
    expect(statSync(file).mtimeMs).toBe(before.mtime);
    expect(spawnSync("ls", ["-a", dir]).stdout.toString()).not.toMatch(/tmp/);
  });

  test("GIVEN the real bin THEN exit codes reach the shell and --output is honoured", () => {
    const run = (args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "bitbucket-oidc.js"), ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: "" } });
    expect(run(["validate", "--config", "good.yaml"]).status).toBe(0);
    expect(run(["validate", "--config", "bad.yaml"]).status).toBe(2);
    const synth = run(["synth", "-q", "--config", "good.yaml", "--output", "out"]);
    expect(synth.status).toBe(0);
    expect(synth.stderr).toBe("");
    expect(JSON.parse(readFileSync(join(dir, "out", "stacks", "bitbucket-oidc", "cdk.tf.json"), "utf8")).resource.aws_iam_role).toBeDefined();
  });
});

describe("never stale: the bin recompiles TypeScript that is newer than dist/", () => {
  test("GIVEN a changed source WHEN the command runs THEN it runs the new code", () => {
    const copy = mkdtempSync(join(tmpdir(), "bbo-stale-"));
    try {
      for (const entry of ["cli", "lib", "stacks", "index.ts", "main.ts", "bin", "scripts", "bitbucket-oidc.schema.json", "package.json"]) cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
      symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
      const help = () => spawnSync(process.execPath, [join(copy, "bin", "bitbucket-oidc.js"), "--help"], { encoding: "utf8" }).stdout;
      expect(help()).toMatch(/validate +check a config file/);
      const file = join(copy, "cli", "registry.ts");
      writeFileSync(file, readFileSync(file, "utf8").replace("check a config file without synthesizing", "CHANGED SUMMARY"));
      expect(help()).toMatch(/validate +CHANGED SUMMARY/);
      expect(spawnSync(process.execPath, [join(copy, "scripts", "build.js"), "--check"]).status).toBe(0);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe("the help card", () => {
  test("GIVEN the help file THEN every npm script and subcommand it names exists", () => {
    const card = readFileSync(join(ROOT, "help"), "utf8");
    const scripts = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    const named = [...card.matchAll(/npm (?:run )?(\w[\w:-]*)/g)].map((m) => m[1]).filter((s) => s !== "ci");
    expect(named.length).toBeGreaterThan(5);
    for (const script of named) expect(Object.keys(scripts)).toContain(script);
    const commands = COMMANDS.map((c) => c.name);
    for (const command of ["validate", "explain", "review", "snippet", "migrate", "synth", "init", "check-uuids"]) {
      expect(commands).toContain(command);
      expect(card).toContain(`npm run ${command}`);
    }
  });
});
