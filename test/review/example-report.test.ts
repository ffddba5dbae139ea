/**
 * The report for the bundled example (bitbucket-oidc.yaml) against the same config before a change
 * (fixtures/example-main.yaml), run as a user runs it: the real CLI in a working folder. It must
 * match the golden report (UPDATE_GOLDEN=1 rewrites it; the README picture is made from it) and read
 * well as rendered Markdown.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthConfig } from "../support/synth";
import { MarkdownIt, Token } from "./support";

const ROOT = join(__dirname, "..", "..");
const GOLDEN = join(__dirname, "golden", "example-review.md");
const BIN = join(ROOT, "bin", "bitbucket-oidc.js");


let stdout: string;
let cwd: string;
const dispose: (() => void)[] = [];

beforeAll(() => {
  const main = synthConfig(readFileSync(join(__dirname, "fixtures", "example-main.yaml"), "utf8"));
  const pr = synthConfig(readFileSync(join(ROOT, "bitbucket-oidc.yaml"), "utf8"));
  dispose.push(main.dispose, pr.dispose);
  cwd = mkdtempSync(join(tmpdir(), "bbo-review-cwd-"));
  dispose.push(() => rmSync(cwd, { recursive: true, force: true }));
  symlinkSync(main.outdir, join(cwd, "main"));
  symlinkSync(join(pr.outdir, "cdktf.out"), join(cwd, "cdktf.out"));
  const run = spawnSync(process.execPath, [BIN, "review", "--base", "main/cdktf.out"], { cwd, encoding: "utf8", env: { ...process.env, CI: "true" } });
  if (run.status !== 0) throw new Error(`review exited ${run.status}: ${run.stderr}`);
  stdout = run.stdout;
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(GOLDEN, stdout);
}, 60000);
afterAll(() => dispose.forEach((d) => d()));

test("GIVEN no --synth THEN review reads cdktf.out of the working folder, and matches the golden report", () => {
  expect(stdout).toBe(readFileSync(GOLDEN, "utf8"));
});

test("the review page (docs/review.md) shows the example's changes as the command prints them", () => {
  const readme = readFileSync(join(ROOT, "docs", "review.md"), "utf8");
  const changesTable = stdout.split("\n").filter((line) => line.startsWith("| ") && /widening|narrowing|neutral|Role \| Change/.test(line));
  expect(changesTable.length).toBe(5);
  for (const line of changesTable) expect(readme).toContain(line);
  expect(readme).toContain("![The review report of the example config, rendered](review-example.png)");
});

describe("the report renders as Markdown that reads well", () => {
  const tokens = (): Token[] => new MarkdownIt().parse(stdout, {});
  const headings = (tag: string): string[] =>
    tokens()
      .map((t, i, all) => (t.type === "heading_open" && t.tag === tag ? all[i + 1].content : undefined))
      .filter((x): x is string => x !== undefined);

  test("headings: one title, the changes, each stack, each role", () => {
    expect(headings("h1")).toEqual(["Access review of `cdktf.out`"]);
    expect(headings("h2")).toEqual(["Changes against `main/cdktf.out`", "Stack `bitbucket-oidc`", "Stack `bitbucket-oidc-state`"]);
    expect(headings("h3")).toEqual(["Role `bitbucket-ecr-push`", "Role `bitbucket-deploy-production`", "Role `bitbucket-terraform-plan`"]);
  });

  test("tables: every row has as many cells as the header, and the header names what follows", () => {
    const all = tokens();
    const tables: { header: string[]; rows: number[] }[] = [];
    let current: { header: string[]; rows: number[] } | undefined;
    let cells = 0;
    for (let i = 0; i < all.length; i++) {
      const t = all[i];
      if (t.type === "table_open") tables.push((current = { header: [], rows: [] }));
      if (t.type === "th_open") current?.header.push(all[i + 1].content);
      if (t.type === "tr_open") cells = 0;
      if (t.type === "td_open") cells++;
      if (t.type === "tr_close" && cells > 0) current?.rows.push(cells);
    }
    expect(tables.map((t) => t.header)).toEqual([
      ["", "Role", "Change", "Details"],
      ["Role", "Who can assume it", "Session", "What it may do"],
      ["Repository", "Steps", "`sub` pattern"],
      ["Policy", "Effect", "Actions", "Expanded", "Resources"],
      ["Grant", "Settings"],
      ["Repository", "Steps", "`sub` pattern"],
      ["Rule", "Reason"],
      ["Repository", "Steps", "`sub` pattern"],
      ["Policy", "Effect", "Actions", "Expanded", "Resources"],
      ["Grant", "Settings"],
    ]);
    for (const table of tables) {
      expect(table.rows.length).toBeGreaterThan(0);
      for (const row of table.rows) expect(row).toBe(table.header.length);
    }
  });

  test("nothing leaks as raw Markdown: no pipes or stray backticks in paragraphs, no broken emphasis", () => {
    const html = new MarkdownIt().render(stdout);
    // Bitbucket, like markdown-it's default, shows raw HTML (e.g. <br>) as text.
    expect(html).not.toContain("&lt;");
    const paragraphs = [...html.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => m[1]);
    expect(paragraphs.length).toBeGreaterThan(3);
    for (const p of paragraphs) {
      expect(p).not.toContain("|");
      expect(p.replace(/<code>[\s\S]*?<\/code>/g, "")).not.toMatch(/[`*]/);
    }
    const cellsText = [...html.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1].replace(/<code>[\s\S]*?<\/code>/g, ""));
    for (const cell of cellsText) expect(cell).not.toMatch(/[`|]|\*\*/);
  });

  test("the widening change is marked and first, with the actions it adds", () => {
    const html = new MarkdownIt().render(stdout);
    const firstRow = /<tbody>\s*<tr>([\s\S]*?)<\/tr>/.exec(html)?.[1] ?? "";
    expect(firstRow).toContain("<strong>▲ widening</strong>");
    expect(firstRow).toContain("<code>ecr:PutImage</code>");
    expect(html).toContain("<strong>1 widening</strong>, 2 narrowing, 1 neutral.");
  });
});
