/**
 * Input that would exhaust time or memory is refused fast: each case runs the real CLI in a child
 * process (`validate --config <file>`) and must exit 2 within seconds, under 200 MB, without echoing
 * the input. Before: a 50 MB config ran out of memory after minutes (exit 134); 5,000 aliases to a
 * 200 KB scalar exited 3 after 8 s at 1.1 GB; /dev/zero was read forever; a document that was not a
 * mapping was echoed in the error.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAX_CONFIG_BYTES } from "../../lib/config/input-limits";

const ROOT = join(__dirname, "..", "..");
const BIN = join(ROOT, "bin", "bitbucket-oidc.js");
/** Generous for a busy 2-core machine; a regression (reading 50 MB, expanding 1 GB) takes far longer. */
const TIME_LIMIT_MS = 20_000;
const MEMORY_LIMIT_KB = 200 * 1024;

let dir: string;
let preload: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "bbo-limits-"));
  // Reports the child's peak memory (maxRSS, KB) and run time on stderr when it exits.
  preload = join(dir, "measure.js");
  writeFileSync(
    preload,
    'const t0 = Date.now(); process.on("exit", () => process.stderr.write(`\\nMEASURE ${JSON.stringify({ ms: Date.now() - t0, maxRssKb: process.resourceUsage().maxRSS })}\\n`));\n',
  );
  // Compile stale sources once, so that no case pays for it.
  spawnSync(process.execPath, [join(ROOT, "scripts", "build.js")], { cwd: ROOT, stdio: "ignore" });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function validate(file: string): { code: number | null; stderr: string; ms: number; maxRssKb: number } {
  const run = spawnSync(process.execPath, ["-r", preload, BIN, "validate", "--config", file], { cwd: dir, encoding: "utf8", timeout: 120_000, env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  const measure = /MEASURE (\{.*\})/.exec(run.stderr ?? "");
  const { ms, maxRssKb } = measure ? (JSON.parse(measure[1]) as { ms: number; maxRssKb: number }) : { ms: Infinity, maxRssKb: Infinity };
  return { code: run.status, stderr: (run.stderr ?? "").replace(/\nMEASURE .*\n/, ""), ms, maxRssKb };
}

function expectFastRefusal(file: string, message: RegExp): string {
  const run = validate(file);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(message) });
  expect(run.ms).toBeLessThan(TIME_LIMIT_MS);
  expect(run.maxRssKb).toBeLessThan(MEMORY_LIMIT_KB);
  return run.stderr;
}

describe("input limits: exit 2 within seconds and under 200 MB", () => {
  test("GIVEN a 50 MB config THEN it is refused by its size, without being read", () => {
    const file = join(dir, "big.yaml");
    writeFileSync(file, `stack: x\nroles:\n${"  - name: r\n".repeat(5_000_000)}`);
    expectFastRefusal(file, /big\.yaml \(root\): .*the config is 60,000,0\d\d bytes or more; a config may be at most 10,485,760 bytes \(10 MiB\)/);
  });

  test("GIVEN a config of 10,000,000 bytes THEN the size cap lets it through (the cap is at least 10 MB)", () => {
    expect(MAX_CONFIG_BYTES).toBeGreaterThanOrEqual(10_000_000);
    const example = readFileSync(join(ROOT, "bitbucket-oidc.yaml"), "utf8");
    const padding = `# ${"x".repeat(98)}\n`.repeat(Math.floor((10_000_000 - example.length) / 101));
    const text = example + padding + "#".repeat(10_000_000 - example.length - padding.length - 1) + "\n";
    expect(Buffer.byteLength(text)).toBe(10_000_000);
    const file = join(dir, "ten-mb.yaml");
    writeFileSync(file, text);
    const run = validate(file);
    // validate prints the example's guardrail warnings; nothing about its size.
    expect({ code: run.code, sizeRefused: /bytes/.test(run.stderr) }).toEqual({ code: 0, sizeRefused: false });
  });

  test("GIVEN 5,000 aliases to a 200 KB scalar THEN the expanded size is capped, not only the alias count", () => {
    const file = join(dir, "alias-bomb.yaml");
    writeFileSync(file, `stack: &s "${"a".repeat(200_000)}"\nroles:\n${"  - *s\n".repeat(5000)}`);
    expectFastRefusal(file, /the document expands through its aliases to more than 20,971,520 bytes/);
  });

  test("GIVEN nested aliases (a billion laughs) THEN the expanded size is capped", () => {
    const levels = "abcdefghi".split("");
    const lines = levels.map((l, i) => (i === 0 ? `${l}: &${l} [x,x,x,x,x,x,x,x,x]` : `${l}: &${l} [${Array(9).fill(`*${levels[i - 1]}`).join(",")}]`));
    const file = join(dir, "laughs.yaml");
    writeFileSync(file, `${lines.join("\n")}\n`);
    expectFastRefusal(file, /expands through its aliases to more than/);
  });

  test("GIVEN an alias inside its own anchor THEN it is refused as a cycle", () => {
    const file = join(dir, "cycle.yaml");
    writeFileSync(file, "stack: x\nroles: &r [1, *r]\n");
    expectFastRefusal(file, /"\*r": the alias \*r refers to a node that contains it \(a cycle\)/);
  });

  test("GIVEN 100,000 nested flow brackets THEN the depth is refused before the parser recurses", () => {
    const file = join(dir, "deep.yaml");
    writeFileSync(file, `stack: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`);
    expectFastRefusal(file, /"deeper than 200 levels": the document nests too deep/);
  });

  const devZero = process.platform === "win32" ? test.skip : test;
  devZero("GIVEN /dev/zero as --config THEN it is refused as a device, not read forever", () => {
    expectFastRefusal("/dev/zero", /\/dev\/zero \(root\): "\/dev\/zero": the config must be a regular file, but this is a character device/);
  });

  const fifo = spawnSync("mkfifo", ["--help"]).status === 0 ? test : test.skip;
  if (fifo === test.skip) process.stderr.write("SKIPPED: the FIFO case needs mkfifo (coreutils)\n");
  fifo("GIVEN a FIFO without a writer as --config THEN it is refused at once, not waited on", () => {
    const file = join(dir, "pipe.yaml");
    expect(spawnSync("mkfifo", [file]).status).toBe(0);
    expectFastRefusal(file, /pipe\.yaml \(root\): .*the config must be a regular file, but this is a named pipe \(FIFO\)/);
  });

  test("GIVEN a directory as --config THEN it is refused as not a regular file", () => {
    expectFastRefusal(dir, /the config must be a regular file, but this is a directory/);
  });

  test.each([
    ["a string", "just a line of secret-looking text, hunter2, that must not be echoed back\n", "a string"],
    ["a list", "- hunter2\n- hunter3\n", "a list"],
    ["a number", "4242424242\n", "a number"],
    ["empty", "# only a comment hunter2\n", "empty (null)"],
  ])("GIVEN a document that is %s THEN it is reported by type and byte size, never by content", (_, text, type) => {
    const file = join(dir, "not-a-mapping.yaml");
    writeFileSync(file, text);
    const size = Buffer.byteLength(text);
    const quoted = `"${type}, ${size} bytes": the document is ${type}, not a mapping`;
    const stderr = expectFastRefusal(file, new RegExp(quoted.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    expect(stderr).not.toMatch(/hunter|4242/);
  });
});
