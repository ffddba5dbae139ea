/**
 * A small checker of the relative links of Markdown pages: every `[text](path#anchor)` must name a
 * tracked file, and for a Markdown target with an anchor (or `#anchor` alone), one of its headings'
 * anchors as GitHub makes them. Links inside code (fenced blocks, `code spans`) are not links.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** markdown-it's parser, as much of it as is used here (it ships no type declarations). */
interface MdToken {
  type: string;
  tag: string;
  content: string;
  attrs: [string, string][] | null;
  children: MdToken[] | null;
}
type MarkdownParser = new () => { parse(src: string, env: object): MdToken[] };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require("markdown-it") as MarkdownParser;

/** GitHub's anchor of a heading: lower case, punctuation but `-` and `_` dropped, spaces to `-`, repeats numbered. */
export function headingAnchors(markdown: string): Set<string> {
  const tokens = new MarkdownIt().parse(markdown, {});
  const counts = new Map<string, number>();
  const anchors = new Set<string>();
  tokens.forEach((t, i) => {
    if (t.type !== "heading_open") return;
    const text = (tokens[i + 1].children ?? []).map((c) => (c.type === "text" || c.type === "code_inline" ? c.content : "")).join("");
    const base = text
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = counts.get(base) ?? 0;
    counts.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  });
  return anchors;
}

/** Every link target of a page (inline links and images), outside code. */
export function linkTargets(markdown: string): string[] {
  const found: string[] = [];
  const walk = (tokens: MdToken[]): void => {
    for (const t of tokens) {
      if (t.type === "link_open" || t.type === "image") {
        const attr = (t.attrs ?? []).find(([k]) => k === (t.type === "image" ? "src" : "href"));
        if (attr) found.push(attr[1]);
      }
      if (t.children) walk(t.children);
    }
  };
  walk(new MarkdownIt().parse(markdown, {}));
  return found;
}

/** The dead links of `file` (absolute path), each as `file: target (why)`, given the tracked files of `root`. */
export function deadLinks(root: string, file: string, tracked: ReadonlySet<string>): string[] {
  const text = readFileSync(file, "utf8");
  const shown = relative(root, file);
  const dead: string[] = [];
  for (const target of linkTargets(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: ...: not ours to check
    const [rawPath, anchor] = target.split("#", 2) as [string, string | undefined];
    const path = decodeURIComponent(rawPath);
    const targetFile = path === "" ? file : resolve(dirname(file), path);
    const rel = relative(root, targetFile);
    if (path !== "" && !tracked.has(rel) && !(existsSync(targetFile) && [...tracked].some((t) => t.startsWith(`${rel}/`)))) {
      dead.push(`${shown}: ${target} (no tracked file ${rel})`);
      continue;
    }
    if (anchor !== undefined && targetFile.endsWith(".md") && !headingAnchors(readFileSync(targetFile, "utf8")).has(anchor)) {
      dead.push(`${shown}: ${target} (no heading #${anchor} in ${rel})`);
    }
  }
  return dead;
}

/** Joins a repository-relative path. */
export const inRepo = (root: string, rel: string): string => join(root, rel);
