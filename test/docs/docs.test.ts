/**
 * Issue 19 item 4: docs a newcomer reads in one sitting. The README stays short, every relative link
 * and anchor of README.md and docs/*.md resolves, the config reference is what the schema generates,
 * and the guardrails page has an entry for every rule.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS } from "../../cli/registry";
import { RULES } from "../../lib/guardrails/rules";
import { deadLinks, headingAnchors, linkTargets } from "./markdown-links";

const ROOT = join(__dirname, "..", "..");
const README = join(ROOT, "README.md");
const DOCS = join(ROOT, "docs");
const pages = (): string[] => [README, ...readdirSync(DOCS).filter((f) => f.endsWith(".md")).map((f) => join(DOCS, f))];

/** git's list of tracked files; outside a clone, every file the docs could name (no generated folders). */
function trackedFiles(): Set<string> {
  try {
    return new Set(execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean));
  } catch {
    const skip = new Set(["node_modules", ".git", "cdktf.out", "dist"]);
    const walk = (dir: string, rel = ""): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        skip.has(e.name) ? [] : e.isDirectory() ? walk(join(dir, e.name), `${rel}${e.name}/`) : [`${rel}${e.name}`],
      );
    return new Set(walk(ROOT));
  }
}

test("the README is at most 300 lines", () => {
  const lines = readFileSync(README, "utf8").split("\n").length - 1;
  expect(lines).toBeLessThanOrEqual(300);
  expect(lines).toBeGreaterThan(50); // it still says what it is and how to start
});

test("the README's first fenced block is the two set-up commands", () => {
  const first = /```sh\n([\s\S]*?)```/.exec(readFileSync(README, "utf8"))?.[1];
  expect(first?.split("\n").filter(Boolean).map((l) => l.split("#")[0].trim())).toEqual(["npm ci && npm run synth", "bash scripts/setup.sh && npm test"]);
});

test("the README's commands table has a row for every command", () => {
  const rows = readFileSync(README, "utf8")
    .split("\n")
    .filter((l) => /^\| `[a-z-]+/.test(l))
    .map((l) => /^\| `([a-z-]+)/.exec(l)![1]);
  expect(COMMANDS.map((c) => c.name).filter((name) => !rows.includes(name))).toEqual([]);
  expect(rows).toEqual(expect.arrayContaining(["init", "check-uuids"]));
});

test("the README links every page of docs/", () => {
  const linked = new Set(linkTargets(readFileSync(README, "utf8")).map((t) => t.split("#")[0]));
  const missing = readdirSync(DOCS)
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`)
    .filter((f) => !linked.has(f));
  expect(missing).toEqual([]);
});

describe("links", () => {
  test("the anchors are GitHub's", () => {
    const anchors = headingAnchors("# CDK Terrain (cdktn)\n## Your own workspace in five steps\n## `synth`: the output\n## Notes\n## Notes\n");
    expect([...anchors]).toEqual(["cdk-terrain-cdktn", "your-own-workspace-in-five-steps", "synth-the-output", "notes", "notes-1"]);
  });

  test("the checker finds a missing file, a missing anchor, and passes good links; code is not a link", () => {
    const dir = mkdtempSync(join(tmpdir(), "bbo-links-"));
    try {
      writeFileSync(join(dir, "a.md"), "# Title\n\n## Part one\n\n[ok](b.md#b-head) [self](#part-one) [web](https://example.com/x#y)\n[gone](c.md) [bad](b.md#nope) [badself](#nowhere)\n\n```md\n[in code](missing.md)\n```\n");
      writeFileSync(join(dir, "b.md"), "# B head\n");
      const dead = deadLinks(dir, join(dir, "a.md"), new Set(["a.md", "b.md"]));
      expect(dead).toEqual(["a.md: c.md (no tracked file c.md)", "a.md: b.md#nope (no heading #nope in b.md)", "a.md: #nowhere (no heading #nowhere in a.md)"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("GIVEN README.md and docs/*.md THEN no relative link or anchor is dead", () => {
    const tracked = trackedFiles();
    for (const page of pages()) tracked.add(page.slice(ROOT.length + 1)); // a page being written counts
    expect(pages().flatMap((page) => deadLinks(ROOT, page, tracked))).toEqual([]);
  });
});

describe("the config reference (docs/config-reference.md)", () => {
  const script = join(ROOT, "scripts", "config-docs.js");

  test("GIVEN the schema THEN the page is what scripts/config-docs.js generates from it", () => {
    const run = spawnSync(process.execPath, [script, "--check"], { cwd: ROOT, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  test("GIVEN a stale page THEN --check fails and says how to regenerate it", () => {
    const dir = mkdtempSync(join(tmpdir(), "bbo-config-docs-"));
    try {
      const stale = join(dir, "config-reference.md");
      writeFileSync(stale, readFileSync(join(DOCS, "config-reference.md"), "utf8").replace("Stack name", "Stack title"));
      const run = spawnSync(process.execPath, [script, "--check", "--out", stale], { cwd: ROOT, encoding: "utf8" });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("is out of date with bitbucket-oidc.schema.json: run `node scripts/config-docs.js`");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("every key of the schema has a row with a type and a description", () => {
    const schema = JSON.parse(readFileSync(join(ROOT, "bitbucket-oidc.schema.json"), "utf8")) as {
      properties: Record<string, unknown>;
      definitions: Record<string, { properties?: Record<string, unknown> }>;
    };
    const page = readFileSync(join(DOCS, "config-reference.md"), "utf8");
    const rows = page.split("\n").filter((l) => l.startsWith("| `"));
    const keys = rows.map((r) => /^\| `([^`]+)`/.exec(r)![1]);
    const names = [...Object.keys(schema.properties), ...Object.values(schema.definitions).flatMap((d) => Object.keys(d.properties ?? {}))];
    const lastPart = (k: string): string => k.split(".").pop()!.replace(/\[\]$/, "");
    expect(names.filter((n) => !keys.some((k) => lastPart(k) === n))).toEqual([]);
    for (const row of rows) {
      const cells = row.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
      expect({ key: cells[0], type: cells[1] !== "", description: cells[4] !== "" }).toEqual({ key: cells[0], type: true, description: true });
    }
    expect(keys).toEqual(expect.arrayContaining(["stack", "roles[].grants.terraformState.listPrefixOnly", "accounts[].overrides", "state.endpoints.s3"]));
  });
});

test("the guardrails page has an entry for every rule: what trips it, the fix, how to acknowledge", () => {
  const page = readFileSync(join(DOCS, "guardrails.md"), "utf8");
  const entries = page.split(/^### /m).slice(1);
  expect(entries.map((e) => e.split(" ")[0]).sort()).toEqual(RULES.map((r) => r.id).sort());
  for (const entry of entries) {
    expect({ entry: entry.split("\n")[0], parts: ["**Trips it:**", "**Fix:**", "**Acknowledge:**"].filter((p) => !entry.includes(p)) }).toEqual({ entry: entry.split("\n")[0], parts: [] });
  }
});
