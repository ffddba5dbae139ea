/**
 * Issue 17 item 1: the review report is posted as a pull-request comment, so every text from a config
 * (workspace name, role description, repository and environment names, acknowledgement reasons) must
 * render as exactly that text. Hostile names are synthesized, reviewed by the real command against a
 * base, and the report is parsed by a CommonMark renderer with raw HTML on, as Bitbucket and GitHub
 * render comments: no heading, HTML, comment, link or image may come from the config, and each
 * hostile text must show as written (line breaks as spaces).
 */
import fc from "fast-check";
import { mdCode, mdTable, mdText } from "../../lib/review/markdown-text";
import { deployRole, MarkdownIt, pairConfig, runCommand, synthConfig, synthFolder, Token, UUIDS } from "./support";

const markdown = new MarkdownIt({ html: true });

const HOSTILE = {
  workspace: "Acme <img src=x onerror=alert(1)>\n# Owned workspace",
  description: "Deploys web-app\n# Injected heading\n<!-- the rest of the report is hidden",
  descriptionBefore: "Old `` ` description <b>bold</b> | cell | break",
  repository: "web`` `app` <script>alert(1)</script> | x | **bold** [click](javascript:alert(1))",
  environment: "<!--",
  reason: "reviewed\n\n## Fake section\n![x](http://evil.example/x.png) ~~struck~~ _em_ &copy;",
};

function flat(tokens: readonly Token[]): Token[] {
  return tokens.flatMap((t) => [t, ...flat(t.children ?? [])]);
}

/** The text a reader sees: text and code spans, in order. */
function visibleText(tokens: readonly Token[]): string {
  return flat(tokens)
    .filter((t) => t.type === "text" || t.type === "code_inline" || t.type === "softbreak")
    .map((t) => (t.type === "softbreak" ? " " : t.content))
    .join("");
}

const oneLine = (s: string): string => s.replace(/[\r\n\t]+/g, " ");

let report: string;
let tokens: Token[];
const dispose: (() => void)[] = [];

beforeAll(async () => {
  const role = (description: string, extraRepository: boolean) =>
    deployRole({
      description,
      repositories: [
        { uuid: UUIDS.repoA, name: "web-app" },
        { uuid: UUIDS.repoB, name: "infra-live", environments: [{ uuid: UUIDS.envProduction, name: HOSTILE.environment }] },
        ...(extraRepository ? [{ uuid: UUIDS.repoC, name: HOSTILE.repository }] : []),
      ],
      acknowledge: [{ rule: "BBO-P002", reason: HOSTILE.reason }],
    });
  const config = (description: string, extraRepository: boolean) => ({
    ...pairConfig([role(description, extraRepository)]),
    workspace: { slug: "acme", uuid: UUIDS.workspace, name: HOSTILE.workspace },
  });
  const base = synthConfig(config(HOSTILE.descriptionBefore, false));
  dispose.push(base.dispose);
  const head = synthConfig(config(HOSTILE.description, true));
  dispose.push(head.dispose);
  const run = await runCommand(["review", "--synth", synthFolder(head), "--base", synthFolder(base)]);
  if (run.code !== 0) throw new Error(`review exited ${run.code}: ${run.stderr}`);
  report = run.stdout;
  tokens = markdown.parse(report, {});
}, 120000);
afterAll(() => dispose.forEach((d) => d()));

test("no raw HTML, comment, link or image reaches the rendered report", () => {
  const kinds = new Set(flat(tokens).map((t) => t.type));
  for (const kind of ["html_block", "html_inline", "link_open", "image", "s_open", "em_open"]) expect(kinds).not.toContain(kind);
  const html = markdown.render(report);
  expect(html).not.toMatch(/<img|<script|<!--|<b>/);
});

test("the only headings are the report's own", () => {
  const headings = tokens
    .map((t, i) => (t.type === "heading_open" ? `${t.tag} ${tokens[i + 1].content}` : undefined))
    .filter((h): h is string => h !== undefined);
  expect(headings.length).toBeGreaterThanOrEqual(4);
  for (const heading of headings) expect(heading).toMatch(/^(h1 Access review of|h2 Changes against|h2 Stack|h3 Role) `/);
});

test("every hostile text shows as written, line breaks as spaces", () => {
  const seen = visibleText(tokens);
  for (const text of Object.values(HOSTILE)) expect(seen).toContain(oneLine(text));
});

test("every table row has as many cells as its header", () => {
  const rows = flat(tokens).reduce<{ header: number; rows: number[][] }[]>((tables, t) => {
    if (t.type === "table_open") tables.push({ header: 0, rows: [] });
    const current = tables[tables.length - 1];
    if (t.type === "th_open") current.header++;
    if (t.type === "tr_open") current.rows.push([]);
    if (t.type === "td_open") current.rows[current.rows.length - 1].push(1);
    return tables;
  }, []);
  expect(rows.length).toBeGreaterThan(2);
  for (const table of rows) for (const row of table.rows.slice(1)) expect(row.length).toBe(table.header);
});

describe("the escaping functions, on generated text", () => {
  const hostile = fc.string({ unit: fc.constantFrom(..."`\\|<>&!#*_[]()~-+=.1 \n\tx-:"), maxLength: 40 });

  test("prose renders as exactly its text, in a paragraph and in a table cell", () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const expected = oneLine(s).replace(/[\t ]+/g, " ").trim();
        const normalize = (t: string): string => t.replace(/[\t ]+/g, " ").trim();
        const paragraph = markdown.parse(`x ${mdText(s)} y`, {});
        expect(flat(paragraph).filter((t) => t.type !== "text" && t.type !== "inline" && !t.type.startsWith("paragraph"))).toEqual([]);
        expect(normalize(visibleText(paragraph))).toBe(normalize(`x ${expected} y`));
        const table = markdown.parse(mdTable(["a", "b"], [[mdText(s), "z"]]), {});
        expect(flat(table).filter((t) => t.type === "td_open")).toHaveLength(2);
        expect(normalize(visibleText(table))).toBe(normalize(`ab${expected}z`));
      }),
      { numRuns: 400 },
    );
  });

  test("a code span cannot be broken, in a paragraph or a table cell", () => {
    fc.assert(
      fc.property(hostile.filter((s) => s.trim() !== ""), (s) => {
        for (const doc of [`x ${mdCode(s)} y`, mdTable(["a"], [[mdCode(s)]])]) {
          const codes = flat(markdown.parse(doc, {})).filter((t) => t.type === "code_inline");
          expect(codes.map((t) => t.content)).toEqual([oneLine(s)]);
        }
      }),
      { numRuns: 400 },
    );
  });
});
