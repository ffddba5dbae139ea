/**
 * Input that would exhaust time or memory is refused fast: each case is `validate --config <file>`
 * and must exit 2 within seconds, under 200 MB, without echoing the input. Before: a 50 MB config ran
 * out of memory after minutes (exit 134); 5,000 aliases to a 200 KB scalar exited 3 after 8 s at
 * 1.1 GB; /dev/zero was read forever; a document that was not a mapping was echoed in the error.
 * The cases run one after another in one child process of their own (the compiled CLI's `runCli`,
 * as the bin runs it), which reports each case's exit code, stderr, time, and the process's peak
 * memory so far: a case over the limit shows in its own result and in every later one. The 10 MB
 * config that is let through runs last, as it may use more memory than the limit.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAX_CONFIG_BYTES } from "../../lib/config/input-limits";

const ROOT = join(__dirname, "..", "..");
/** Generous for a busy 2-core machine; a regression (reading 50 MB, expanding 1 GB) takes far longer. */
const TIME_LIMIT_MS = 20_000;
const MEMORY_LIMIT_KB = 200 * 1024;

const HAVE_DEV_ZERO = process.platform !== "win32";
const HAVE_MKFIFO = spawnSync("mkfifo", ["--help"]).status === 0;
if (!HAVE_MKFIFO) process.stderr.write("SKIPPED: the FIFO case needs mkfifo (coreutils)\n");

const NOT_A_MAPPING: [string, string, string][] = [
  ["a string", "just a line of secret-looking text, hunter2, that must not be echoed back\n", "a string"],
  ["a list", "- hunter2\n- hunter3\n", "a list"],
  ["a number", "4242424242\n", "a number"],
  ["empty", "# only a comment hunter2\n", "empty (null)"],
];

interface CaseRun {
  readonly code: number;
  readonly stderr: string;
  readonly ms: number;
  readonly maxRssKb: number;
}

/** Writes each case's input; returns [case, path] in the order they run. */
function writeCases(dir: string): [string, string][] {
  const at = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const cases: [string, string][] = [
    ["big", at("big.yaml", `stack: x\nroles:\n${"  - name: r\n".repeat(5_000_000)}`)],
    ["alias-bomb", at("alias-bomb.yaml", `stack: &s "${"a".repeat(200_000)}"\nroles:\n${"  - *s\n".repeat(5000)}`)],
  ];
  const levels = "abcdefghi".split("");
  const laughs = levels.map((l, i) => (i === 0 ? `${l}: &${l} [x,x,x,x,x,x,x,x,x]` : `${l}: &${l} [${Array(9).fill(`*${levels[i - 1]}`).join(",")}]`));
  cases.push(["laughs", at("laughs.yaml", `${laughs.join("\n")}\n`)]);
  cases.push(["cycle", at("cycle.yaml", "stack: x\nroles: &r [1, *r]\n")]);
  cases.push(["deep", at("deep.yaml", `stack: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`)]);
  if (HAVE_DEV_ZERO) cases.push(["dev-zero", "/dev/zero"]);
  if (HAVE_MKFIFO) {
    expect(spawnSync("mkfifo", [join(dir, "pipe.yaml")]).status).toBe(0);
    cases.push(["fifo", join(dir, "pipe.yaml")]);
  }
  cases.push(["directory", dir]);
  NOT_A_MAPPING.forEach(([name, text], i) => cases.push([name, at(`not-a-mapping-${i}.yaml`, text)]));

  const example = readFileSync(join(ROOT, "bitbucket-oidc.yaml"), "utf8");
  const padding = `# ${"x".repeat(98)}\n`.repeat(Math.floor((10_000_000 - example.length) / 101));
  const text = example + padding + "#".repeat(10_000_000 - example.length - padding.length - 1) + "\n";
  expect(Buffer.byteLength(text)).toBe(10_000_000);
  cases.push(["ten-mb", at("ten-mb.yaml", text)]);
  return cases;
}

/** Runs every case in one child process, in order; returns each case's run. */
function runCases(dir: string, cases: [string, string][]): Record<string, CaseRun> {
  // The compiled CLI: globalSetup (test/support/global-setup.ts) brought dist/ up to date.
  const runner = join(dir, "run-cases.js");
  writeFileSync(
    runner,
    `const { runCli } = require(${JSON.stringify(join(ROOT, "dist", "cli", "main.js"))});
(async () => {
  const results = {};
  for (const [name, file] of ${JSON.stringify(cases)}) {
    let stderr = "";
    const t0 = Date.now();
    const code = await runCli(["validate", "--config", file], { stdout: () => undefined, stderr: (t) => { stderr += t; }, env: process.env, cwd: process.cwd() });
    results[name] = { code, stderr, ms: Date.now() - t0, maxRssKb: process.resourceUsage().maxRSS };
  }
  process.stdout.write(JSON.stringify(results));
})();
`,
  );
  const child = spawnSync(process.execPath, [runner], { cwd: dir, encoding: "utf8", timeout: 240_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  expect({ status: child.status, signal: child.signal, stderr: child.stderr }).toEqual({ status: 0, signal: null, stderr: "" });
  return JSON.parse(child.stdout) as Record<string, CaseRun>;
}

let dir: string;
let runs: Record<string, CaseRun>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "bbo-limits-"));
  runs = runCases(dir, writeCases(dir));
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectFastRefusal(name: string, message: RegExp): string {
  const run = runs[name];
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(message) });
  expect(run.ms).toBeLessThan(TIME_LIMIT_MS);
  expect(run.maxRssKb).toBeLessThan(MEMORY_LIMIT_KB);
  return run.stderr;
}

describe("input limits: exit 2 within seconds and under 200 MB", () => {
  test("GIVEN a 50 MB config THEN it is refused by its size, without being read", () => {
    expectFastRefusal("big", /big\.yaml \(root\): .*the config is 60,000,0\d\d bytes or more; a config may be at most 10,485,760 bytes \(10 MiB\)/);
  });

  test("GIVEN a config of 10,000,000 bytes THEN the size cap lets it through (the cap is at least 10 MB)", () => {
    expect(MAX_CONFIG_BYTES).toBeGreaterThanOrEqual(10_000_000);
    const run = runs["ten-mb"];
    // validate prints the example's guardrail warnings; nothing about its size.
    expect({ code: run.code, sizeRefused: /bytes/.test(run.stderr) }).toEqual({ code: 0, sizeRefused: false });
  });

  test("GIVEN 5,000 aliases to a 200 KB scalar THEN the expanded size is capped, not only the alias count", () => {
    expectFastRefusal("alias-bomb", /the document expands through its aliases to more than 20,971,520 bytes/);
  });

  test("GIVEN nested aliases (a billion laughs) THEN the expanded size is capped", () => {
    expectFastRefusal("laughs", /expands through its aliases to more than/);
  });

  test("GIVEN an alias inside its own anchor THEN it is refused as a cycle", () => {
    expectFastRefusal("cycle", /"\*r": the alias \*r refers to a node that contains it \(a cycle\)/);
  });

  test("GIVEN 100,000 nested flow brackets THEN the depth is refused before the parser recurses", () => {
    expectFastRefusal("deep", /"deeper than 200 levels": the document nests too deep/);
  });

  (HAVE_DEV_ZERO ? test : test.skip)("GIVEN /dev/zero as --config THEN it is refused as a device, not read forever", () => {
    expectFastRefusal("dev-zero", /\/dev\/zero \(root\): "\/dev\/zero": the config must be a regular file, but this is a character device/);
  });

  (HAVE_MKFIFO ? test : test.skip)("GIVEN a FIFO without a writer as --config THEN it is refused at once, not waited on", () => {
    expectFastRefusal("fifo", /pipe\.yaml \(root\): .*the config must be a regular file, but this is a named pipe \(FIFO\)/);
  });

  test("GIVEN a directory as --config THEN it is refused as not a regular file", () => {
    expectFastRefusal("directory", /the config must be a regular file, but this is a directory/);
  });

  test.each(NOT_A_MAPPING)("GIVEN a document that is %s THEN it is reported by type and byte size, never by content", (name, text, type) => {
    const size = Buffer.byteLength(text);
    const quoted = `"${type}, ${size} bytes": the document is ${type}, not a mapping`;
    const stderr = expectFastRefusal(name, new RegExp(quoted.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    expect(stderr).not.toMatch(/hunter|4242/);
  });
});
