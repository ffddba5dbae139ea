/**
 * Limits on config input, so that hostile or mistaken input fails fast (exit 2, in well under a
 * second and a few MB) instead of exhausting memory: a size cap on the file, a cap on the size the
 * document expands to through YAML aliases, regular files only for `--config`, and a document that
 * is not a mapping reported by its type and size, never by its content.
 */
import { closeSync, constants, fstatSync, openSync, readSync, Stats } from "node:fs";
import { Document, isAlias, isMap, isPair, isScalar, isSeq, Node } from "yaml";
import { Problem } from "../core/problems";

/** The largest config file read: 10 MiB, far above any real config (a 1,000-role config is ~0.5 MB). */
export const MAX_CONFIG_BYTES = 10 * 1024 * 1024;

/** The largest size a document may expand to through aliases (each alias counts its anchor's size). */
export const MAX_EXPANDED_BYTES = 2 * MAX_CONFIG_BYTES;

/** Nesting deeper than this is refused before it can exhaust the stack. */
export const MAX_DEPTH = 200;

const MIB = (bytes: number): string => `${Math.round(bytes / (1024 * 1024))} MiB`;

/** A problem with the input as a whole (field path empty). */
function problem(value: unknown, message: string): Problem {
  return { path: "", value, message };
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return "a named pipe (FIFO)";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  if (stats.isDirectory()) return "a directory";
  return "not a regular file";
}

/**
 * Reads a config file: regular files only (a FIFO or device such as /dev/zero could block or never
 * end), at most {@link MAX_CONFIG_BYTES}. Opened non-blocking, so that even a FIFO without a writer
 * is refused at once rather than waited on. Returns the text, or the problem, which names the file
 * as `shownAs` (the path as the user gave it; default `file`).
 */
export function readConfigFile(file: string, shownAs: string = file): { text: string } | { problem: Problem } {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "it is a directory" : (code ?? (e as Error).message);
    return { problem: problem(shownAs, `cannot read the config file (${reason}); pass a path or set BITBUCKET_OIDC_CONFIG`) };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      return { problem: problem(shownAs, `the config must be a regular file, but this is ${kindOf(stats)}; write the config to a file and pass its path`) };
    }
    if (stats.size > MAX_CONFIG_BYTES) return { problem: tooLarge(shownAs, stats.size) };
    // Read at most one byte over the cap, whatever the size said (the file may grow while read).
    const buffer = Buffer.alloc(Math.min(stats.size, MAX_CONFIG_BYTES) + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > MAX_CONFIG_BYTES) return { problem: tooLarge(shownAs, length) };
      if (length === buffer.length) break;
    }
    return { text: buffer.subarray(0, length).toString("utf8") };
  } finally {
    closeSync(fd);
  }
}

function tooLarge(value: unknown, bytes: number): Problem {
  return problem(value, `the config is ${bytes.toLocaleString("en-US")} bytes or more; a config may be at most ${MAX_CONFIG_BYTES.toLocaleString("en-US")} bytes (${MIB(MAX_CONFIG_BYTES)})`);
}

/** The problem of text over the size cap, for configs given as text (parseConfig). */
export function checkTextSize(text: string): Problem | undefined {
  // Cheap first: a string's UTF-8 size is at most 3 bytes per UTF-16 unit.
  if (text.length * 3 <= MAX_CONFIG_BYTES) return undefined;
  const bytes = Buffer.byteLength(text, "utf8");
  return bytes > MAX_CONFIG_BYTES ? tooLarge(undefined, bytes) : undefined;
}

/**
 * Flow collections (`[`, `{`) nested deeper than {@link MAX_DEPTH}, found by a scan of the text before
 * parsing (the YAML parser recurses per level, so 100,000 `[` would exhaust its stack slowly). Quoted
 * strings and comments are skipped; the scan is linear and allocates nothing.
 */
export function checkFlowDepth(text: string): Problem | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DEPTH) return problem(`deeper than ${MAX_DEPTH} levels`, "the document nests too deep; a config is a few levels deep");
    } else if (c === 0x5d || c === 0x7d) {
      if (depth > 0) depth--;
    } else if (c === 0x22 || c === 0x27) {
      // Skip a quoted string ("..." with backslash escapes, '...' with '' escapes) on the same logical text.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (c === 0x22 && d === 0x5c) i++;
        else if (d === c) {
          if (c === 0x27 && text.charCodeAt(i + 1) === 0x27) i++;
          else break;
        }
      }
    } else if (c === 0x23 && (i === 0 || text.charCodeAt(i - 1) === 0x20 || text.charCodeAt(i - 1) === 0x09 || text.charCodeAt(i - 1) === 0x0a)) {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
    }
  }
  return undefined;
}

/**
 * Checks a parsed document before it is turned into data: the size it expands to through aliases
 * (each alias counts the size of its anchor's node, computed once per node, so the check itself is
 * linear), aliases that point into their own anchor (a cycle), and the nesting depth.
 */
export function checkDocumentShape(doc: Document.Parsed): Problem | undefined {
  const anchors = new Map<string, Node>();
  const sizes = new Map<Node, number>();
  const open = new Set<Node>();
  let failure: Problem | undefined;

  const size = (node: unknown, depth: number): number => {
    if (failure || node === null || node === undefined) return 0;
    if (depth > MAX_DEPTH) {
      failure = problem(`deeper than ${MAX_DEPTH} levels`, "the document nests too deep; a config is a few levels deep");
      return 0;
    }
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (!target) return 0; // the parser reports an unknown alias itself
      if (open.has(target)) {
        failure = problem(`*${node.source}`, `the alias *${node.source} refers to a node that contains it (a cycle); a config cannot be recursive`);
        return 0;
      }
      return sizes.get(target) ?? 0;
    }
    if (isPair(node)) return size(node.key, depth) + size(node.value, depth) + 2;
    const n = node as Node;
    if (n.anchor) anchors.set(n.anchor, n);
    open.add(n);
    let total = 0;
    if (isScalar(n)) {
      total = n.range ? Math.max(1, n.range[1] - n.range[0]) : String(n.value).length;
    } else if (isMap(n) || isSeq(n)) {
      total = 2;
      for (const item of n.items as unknown[]) {
        total += size(item, depth + 1) + 1;
        if (total > MAX_EXPANDED_BYTES) break;
      }
    }
    open.delete(n);
    sizes.set(n, total);
    if (total > MAX_EXPANDED_BYTES && !failure) {
      failure = problem("YAML aliases", `the document expands through its aliases to more than ${MAX_EXPANDED_BYTES.toLocaleString("en-US")} bytes (${MIB(MAX_EXPANDED_BYTES)}); use fewer or smaller aliases`);
    }
    return total;
  };
  size(doc.contents, 0);
  return failure;
}

/** A document that is not a mapping: named by its type and byte size, never by its content. */
export function notAMapping(input: unknown, bytes?: number): Problem | undefined {
  if (input !== null && typeof input === "object" && !Array.isArray(input)) return undefined;
  const type = input === null || input === undefined ? "empty (null)" : Array.isArray(input) ? "a list" : `a ${typeof input}`;
  return problem(
    bytes === undefined ? type : `${type}, ${bytes.toLocaleString("en-US")} bytes`,
    `the document is ${type}, not a mapping: expected the config's keys (stack:, workspace:, state:, roles: ...) at the top level`,
  );
}
