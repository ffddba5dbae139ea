/**
 * Grant kinds and guardrail rules are registries: each is one file plus one line in its list, and the
 * list is the only place that names them. These tests fail when a kind or rule file is not in its
 * list, or when code outside the kind's own file starts naming kinds again (an if-chain).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { GRANT_REGISTRY } from "../../lib/grants/registry";
import { RULES } from "../../lib/guardrails/rules";

const LIB = join(__dirname, "..", "..", "lib");

/** The exports of every module in a folder (not recursive), by file name. */
function exportsOf(folder: string): [string, Record<string, unknown>][] {
  return readdirSync(folder)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => [f, require(join(folder, f)) as Record<string, unknown>]);
}

const isGrantKind = (v: unknown): boolean =>
  typeof v === "object" && v !== null && typeof (v as { name?: unknown }).name === "string" && typeof (v as { check?: unknown }).check === "function" && typeof (v as { output?: unknown }).output === "function";

describe("the grant kind registry", () => {
  test("GIVEN every module in lib/grants THEN each grant kind it exports is in GRANT_REGISTRY, and each registered kind comes from its own file", () => {
    const found = exportsOf(join(LIB, "grants")).flatMap(([file, exports]) => Object.values(exports).filter(isGrantKind).map((kind) => ({ file, kind })));
    // The registry module itself re-exports nothing but the list.
    const files = found.filter((f) => f.file !== "registry.ts" && f.file !== "index.ts");
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const { file, kind } of files) expect({ file, registered: (GRANT_REGISTRY as readonly unknown[]).includes(kind) }).toEqual({ file, registered: true });
    expect(new Set(files.map((f) => f.kind)).size).toBe(GRANT_REGISTRY.length);
    expect(new Set(files.map((f) => f.file)).size).toBe(GRANT_REGISTRY.length);
  });

  test("GIVEN the code that checks and composes grants THEN it names no grant kind: every loop runs over the registry", () => {
    for (const file of ["index.ts", "compose.ts", "grant-types.ts"]) {
      const text = readFileSync(join(LIB, "grants", file), "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      for (const { name } of GRANT_REGISTRY) {
        // compose.ts names terraformPlan in its managed-policy quota message (the only kind that attaches one).
        if (file === "compose.ts" && name === "terraformPlan") continue;
        expect({ file, names: text.includes(`grants.${name}`) || text.includes(`"${name}"`) }).toEqual({ file, names: false });
      }
    }
  });

  test("GIVEN the registry THEN kind names are unique and camelCase", () => {
    const names = GRANT_REGISTRY.map((k) => k.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][A-Za-z0-9]*$/);
  });
});

const isRule = (v: unknown): boolean =>
  typeof v === "object" && v !== null && typeof (v as { id?: unknown }).id === "string" && typeof (v as { check?: unknown }).check === "function";

describe("the guardrail rule registry", () => {
  test("GIVEN every file in lib/guardrails/rules THEN it exports one rule, named for its id, and that rule is in GUARDRAIL_RULES; every listed rule has its file", () => {
    const files = exportsOf(join(LIB, "guardrails", "rules")).filter(([file]) => file !== "index.ts");
    for (const [file, exports] of files) {
      const rules = Object.values(exports).filter(isRule) as { id: string }[];
      expect({ file, rules: rules.length }).toEqual({ file, rules: 1 });
      expect({ file, registered: RULES.includes(rules[0] as (typeof RULES)[number]) }).toEqual({ file, registered: true });
      expect(file.startsWith(`${rules[0].id.toLowerCase()}-`)).toBe(true);
    }
    expect(files).toHaveLength(RULES.length);
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });

  test("GIVEN the guardrail code outside the rules folder THEN it names no rule id as a string: the ids come from GUARDRAIL_RULES", () => {
    for (const file of readdirSync(join(LIB, "guardrails")).filter((f) => f.endsWith(".ts"))) {
      const text = readFileSync(join(LIB, "guardrails", file), "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      const named = RULES.map((r) => r.id).filter((id) => text.includes(`"${id}"`));
      expect({ file, named }).toEqual({ file, named: [] });
    }
  });
});
