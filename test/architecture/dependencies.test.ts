/**
 * The dependency rule (docs/architecture.md, .dependency-cruiser.js): `npm run check:deps` passes on
 * the sources, and the same command with the same configuration fails on a copy of the sources with
 * a deliberately added upward import, a folder cycle and a folder in no layer.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const DEPCRUISE = join(ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const config = require("../../.dependency-cruiser.js") as { LAYERS: { name: string; paths: string[] }[]; SOURCES: string[] };

/** The arguments of `npm run check:deps`, after the `depcruise` command itself. */
function checkDepsArgs(): string[] {
  const script = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts["check:deps"];
  const [command, ...args] = script.split(/\s+/);
  expect(command).toBe("depcruise");
  return args;
}

/** Runs `npm run check:deps` (its command line, without npm) in `cwd`. */
function checkDeps(cwd: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [DEPCRUISE, ...checkDepsArgs()], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("the dependency rule", () => {
  test("GIVEN npm run check:deps THEN it checks the source folders, with lib/ below stacks/ and the package entry above both", () => {
    const args = checkDepsArgs();
    expect(args.slice(0, config.SOURCES.length)).toEqual(config.SOURCES);
    expect(args.slice(config.SOURCES.length)).toEqual(["--config", ".dependency-cruiser.js"]);
    // lib/ never imports stacks/ or cli/: every layer of lib/ is below the stacks, which are below the
    // package entry, the one file that imports both.
    const at = (pattern: string): number => config.LAYERS.findIndex((l) => l.paths.includes(pattern));
    const libLayers = config.LAYERS.map((l, i) => ({ l, i })).filter(({ l }) => l.paths.every((p) => p.startsWith("^lib/")));
    expect(libLayers.length).toBeGreaterThan(5);
    for (const { i } of libLayers) expect(i).toBeGreaterThan(at("^stacks/"));
    expect(at("^cli/")).toBeLessThan(at("^index\\.ts$"));
    expect(at("^index\\.ts$")).toBe(at("^stacks/") - 1);
    expect(at("^lib/index\\.ts$")).toBe(at("^stacks/") + 1);
  });

  test("GIVEN the sources WHEN npm run check:deps runs THEN there is no upward import, no folder cycle and no folder outside the layers", () => {
    const { status, output } = checkDeps(ROOT);
    expect(output).toMatch(/no dependency violations found \((\d{3,}) modules/);
    expect(status).toBe(0);
  }, 120_000);

  test("GIVEN a copy of the sources with an upward import, a folder cycle and a folder in no layer WHEN npm run check:deps runs THEN it fails naming each", () => {
    const copy = mkdtempSync(join(tmpdir(), "bbo-deps-"));
    try {
      for (const entry of [...config.SOURCES, ".dependency-cruiser.js", "package.json"]) cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
      // Upward: the lowest layer names a stack.
      appendFileSync(join(copy, "lib", "core", "problems.ts"), '\nimport type { BitbucketOidcStack } from "../../stacks/bitbucket-oidc-stack";\nexport type Upward = BitbucketOidcStack;\n');
      // A folder cycle inside one layer: the grants already read the state rules; now the state reads the grants.
      appendFileSync(join(copy, "lib", "state", "state-rules.ts"), '\nimport type { Grants } from "../grants/grant-types";\nexport type Sideways = Grants;\n');
      // A new folder that no layer names.
      mkdirSync(join(copy, "lib", "extra"));
      writeFileSync(join(copy, "lib", "extra", "helper.ts"), "export const helper = 1;\n");
      appendFileSync(join(copy, "lib", "config", "summary.ts"), '\nexport { helper } from "../extra/helper";\n');

      const { status, output } = checkDeps(copy);
      expect(status).not.toBe(0);
      expect(output).toMatch(/error no-upward-import-from-core: lib\/core\/problems\.ts → stacks\/bitbucket-oidc-stack\.ts/);
      expect(output).toMatch(/error no-folder-cycle: lib\/(state|grants) →\s+lib\/(grants|state)/);
      expect(output).toMatch(/error no-import-of-unlayered-source: lib\/config\/summary\.ts → lib\/extra\/helper\.ts/);
      expect(output).not.toMatch(/no dependency violations found/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 120_000);
});
