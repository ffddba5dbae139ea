/**
 * Escaping of config text for the review report, which is Markdown that Bitbucket and GitHub render
 * with raw HTML allowed. Every text that comes from a config, a synth output or a plan goes through
 * {@link mdText} (prose) or {@link mdCode} (a code span); table cells through {@link mdTable}.
 */

/**
 * Markdown punctuation that can open an inline construct (emphasis, links and images, code,
 * strikethrough). An underscore inside a word cannot, so `web_app` stays as written.
 */
const INLINE = /[\\`*[\]~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g;
/** Characters written as HTML entities: raw HTML, entities, and the table cell separator. */
const ENTITIES: Record<string, string> = { "<": "&lt;", ">": "&gt;", "&": "&amp;", "|": "&#124;" };

/** One line: line breaks and tabs become spaces, so a text cannot start a block of its own. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\t\f\v\u2028\u2029]+/g, " ");
}

/**
 * Prose from a config, as Markdown that renders as exactly that text (on one line, trimmed): no heading, list, emphasis,
 * link, image, HTML tag or comment can be made from it, and it cannot end a table row or cell.
 */
export function mdText(text: string): string {
  const out = oneLine(text)
    .trim()
    .replace(INLINE, (c) => `\\${c}`)
    .replace(/[<>&|]/g, (c) => ENTITIES[c]);
  // At the start of a line these open a block (heading, list, quote, setext, code): escape them.
  // Trimmed, so it cannot indent a code block either.
  return out.replace(/^[#+\-=]/, "\\$&").replace(/^(\d+)([.)])/, "$1\\$2");
}

/**
 * A code span that the text cannot break: the fence is one backtick longer than the longest run of
 * backticks inside, and padded with a space where CommonMark would otherwise strip or join one.
 */
export function mdCode(text: string): string {
  const inner = oneLine(text);
  if (inner === "") return "` `";
  const longest = Math.max(0, ...Array.from(inner.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = inner.startsWith("`") || inner.endsWith("`") || (inner.startsWith(" ") && inner.endsWith(" ") && inner.trim() !== "") ? " " : "";
  return `${fence}${pad}${inner}${pad}${fence}`;
}

/**
 * A table cell: one line, and every `|` escaped (GFM unescapes `\|` before inline parsing, so this
 * also holds inside code spans). Prose reaches here already escaped by {@link mdText}.
 */
export function mdCell(text: string): string {
  return oneLine(text).replace(/\|/g, "\\|");
}

/** A GFM table of already rendered cells. */
export function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(mdCell).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
