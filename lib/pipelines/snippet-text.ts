import { PipelineStep, ScriptEntry, SnippetStep } from "./steps";

/**
 * A snippet written from a template, byte for byte what the YAML library writes for it
 * (`snippetDocument` in render.ts), without building a YAML document: synth writes one snippet per
 * role, and the document costs more than the rest of the role's output writing.
 *
 * Only for texts whose YAML form is certain: plain or double-quoted scalars of printable ASCII,
 * literal blocks of such lines, comments of one line. Anything else returns `undefined`, and the caller uses the YAML
 * library. test/pipelines/snippet-text.test.ts proves both agree, on generated texts too.
 */
export function snippetText(header: readonly string[], steps: readonly SnippetStep[]): string | undefined {
  if (steps.length === 0 || !header.every(isCommentText)) return undefined;
  const out: string[] = header.map((line) => `# ${line}`);
  out.push("");
  for (const { step, note, deploymentPlaceholder } of steps) {
    if (!isCommentText(note)) return undefined;
    out.push(`# ${note}`, "- step:");
    if (!stepLines(step, deploymentPlaceholder === true, out)) return undefined;
  }
  return `${out.join("\n")}\n`;
}

/** The comment on a placeholder deployment name. */
export const DEPLOYMENT_PLACEHOLDER_COMMENT = "replace with the name of the environment with this UUID";

function stepLines(step: PipelineStep, placeholder: boolean, out: string[]): boolean {
  const name = plain(step.name);
  if (name === undefined) return false;
  out.push(`    name: ${name}`);
  if (step.deployment !== undefined) {
    const deployment = plain(step.deployment);
    if (deployment === undefined) return false;
    out.push(`    deployment: ${deployment}${placeholder ? ` # ${DEPLOYMENT_PLACEHOLDER_COMMENT}` : ""}`);
  }
  out.push("    oidc: true");
  if (step.services !== undefined) {
    if (step.services.length === 0) return false;
    out.push("    services:");
    for (const service of step.services) {
      const text = plain(service);
      if (text === undefined) return false;
      out.push(`      - ${text}`);
    }
  }
  if (step.script.length === 0) return false;
  out.push("    script:");
  return step.script.every((entry) => scriptEntryLines(entry, out));
}

function scriptEntryLines(entry: ScriptEntry, out: string[]): boolean {
  if (typeof entry === "string") {
    const text = entry.includes("\n") ? literal(entry, "        ") : plain(entry);
    if (text === undefined) return false;
    out.push(`      - ${text}`);
    return true;
  }
  const pipe = plain(entry.pipe);
  const variables = Object.entries(entry.variables);
  if (pipe === undefined || variables.length === 0) return false;
  out.push(`      - pipe: ${pipe}`, "        variables:");
  for (const [key, value] of variables) {
    const k = plain(key);
    const v = plain(value);
    if (k === undefined || v === undefined) return false;
    out.push(`          ${k}: ${v}`);
  }
  return true;
}

/**
 * A scalar the YAML library writes plain (unquoted): printable ASCII starting with a letter, `$` or
 * `/`, no `: ` or ` #`, nothing that reads as another type or ends in a space or `:`.
 */
const PLAIN = /^[A-Za-z$/][\x20-\x7e]*$/;
const NOT_PLAIN = /: | #|[\s:]$|^(true|false|null|yes|no|on|off|y|n)$/i;

/** A scalar YAML must quote whatever else it holds: it starts with a flow or other indicator. */
const MUST_QUOTE = /^[,[\]{}#&*!|>%@`]/;
/** Printable ASCII without quotes or backslashes: its double-quoted form escapes nothing. */
const QUOTABLE = /^[\x20-\x21\x23-\x26\x28-\x5b\x5d-\x7e]+$/;

/** The scalar as the YAML library writes it, when that is certain: plain, or double-quoted. */
function plain(value: string): string | undefined {
  if (PLAIN.test(value) && !NOT_PLAIN.test(value)) return value;
  return MUST_QUOTE.test(value) && QUOTABLE.test(value) ? `"${value}"` : undefined;
}

/**
 * A literal block (`|`, or `|-` without a final newline) of printable ASCII lines: none empty, none
 * ending in a space, the first not starting with one.
 */
function literal(value: string, indent: string): string | undefined {
  const body = value.endsWith("\n") ? value.slice(0, -1) : value;
  const lines = body.split("\n");
  if (/^\s/.test(body) || !lines.every((line) => /^[\x20-\x7e]*[\x21-\x7e]$/.test(line))) return undefined;
  return `|${value.endsWith("\n") ? "" : "-"}\n${lines.map((line) => `${indent}${line}`).join("\n")}`;
}

/** One comment line: printable ASCII, not ending with a space. */
function isCommentText(text: string): boolean {
  return /^[\x20-\x7e]*[\x21-\x7e]$/.test(text);
}
