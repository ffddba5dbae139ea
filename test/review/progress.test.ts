/**
 * Progress on a terminal, quiet in CI and in pipes. The terminal is real: the CLI runs under
 * `script` (util-linux), which gives it a pseudo-terminal.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { progressWanted, terminalProgress } from "../../lib/review/progress";
import { deployRole, pairConfig, synthConfig, synthFolder } from "./support";

const BIN = join(__dirname, "..", "..", "bin", "bitbucket-oidc.js");
const hasScript = spawnSync("script", ["--version"]).status === 0;
if (!hasScript && process.env.CI === "true") throw new Error("script (util-linux) is not on PATH: the progress test needs it in CI");
if (!hasScript) console.warn("SKIPPED: test/review/progress.test.ts terminal runs: `script` (util-linux) is not on PATH");
const withScript = hasScript ? describe : describe.skip;

test("progress is wanted on a terminal outside CI only", () => {
  expect(progressWanted(true, {})).toBe(true);
  expect(progressWanted(true, { CI: "false" })).toBe(true);
  expect(progressWanted(true, { CI: "true" })).toBe(false);
  expect(progressWanted(true, { CI: "1" })).toBe(false);
  expect(progressWanted(false, {})).toBe(false);
  expect(progressWanted(undefined, {})).toBe(false);
});

test("one line, rewritten in place, at most every interval, always the last item, cleared at the end", () => {
  let clock = 0;
  let written = "";
  const progress = terminalProgress((t) => (written += t), 100, () => clock);
  for (let i = 1; i <= 500; i++) {
    clock += 1;
    progress.update("reading cdktf.out", i, 500);
  }
  progress.finish();
  const lines = written.split("\r\x1b[2K").filter(Boolean);
  expect(lines).toEqual([
    "bitbucket-oidc review: reading cdktf.out: 1/500 stacks",
    "bitbucket-oidc review: reading cdktf.out: 101/500 stacks",
    "bitbucket-oidc review: reading cdktf.out: 201/500 stacks",
    "bitbucket-oidc review: reading cdktf.out: 301/500 stacks",
    "bitbucket-oidc review: reading cdktf.out: 401/500 stacks",
    "bitbucket-oidc review: reading cdktf.out: 500/500 stacks",
  ]);
  expect(written.endsWith("\r\x1b[2K")).toBe(true);
});

withScript("the real CLI on a pseudo-terminal", () => {
  const out = synthConfig(pairConfig([deployRole()]));
  afterAll(() => out.dispose());
  const inTerminal = (env: NodeJS.ProcessEnv): string => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} review --synth ${JSON.stringify(synthFolder(out))} > /dev/null`;
    const run = spawnSync("script", ["-qec", command, "/dev/null"], { encoding: "utf8", env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
    expect(run.status).toBe(0);
    return run.stdout;
  };

  test("GIVEN a terminal outside CI THEN progress shows on stderr", () => {
    expect(inTerminal({})).toContain(`bitbucket-oidc review: reading ${synthFolder(out)}: 1/1 stacks`);
  });

  test("GIVEN a terminal in CI THEN nothing but the report", () => {
    expect(inTerminal({ CI: "true" })).not.toContain("bitbucket-oidc review:");
  });

  test("GIVEN stderr is a pipe THEN no progress", () => {
    const run = spawnSync(process.execPath, [BIN, "review", "--synth", synthFolder(out)], { encoding: "utf8", env: { PATH: process.env.PATH } });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
  });
});
