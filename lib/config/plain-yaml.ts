/**
 * A fast reading of plain YAML configs. The `yaml` package parses a config into a Document, with the
 * position of every node (for the line numbers of error messages) and the alias checks of
 * input-limits.ts; that costs about 0.3 s for a config of 1,000 roles, a tenth of its synth. Most
 * configs are plain: no anchors, aliases, directives, merge keys, complex keys, escapes or block
 * scalars. Those are read here with js-yaml (a fifth of the time), with scalars resolved exactly as
 * `yaml` resolves them (the YAML 1.2 core schema, copied below). Anything else, and anything js-yaml
 * refuses, is left to the `yaml` path (`undefined`), as is every config that turns out invalid, so
 * that error messages keep their lines (lib/config/load.ts).
 *
 * test/config/plain-yaml.test.ts checks that both readings agree, on generated configs written in
 * every style `yaml` writes and on a table of scalars that YAML versions and parsers read differently.
 */
import { FAILSAFE_SCHEMA, load, LoadOptions, Type } from "js-yaml";
import { setOwnProperty } from "../core/own-property";

/**
 * What makes a document not plain, found in its text before parsing (a match may be a false alarm,
 * e.g. in a comment: that config simply takes the `yaml` path). Anchors (and so aliases, which need
 * one) are found while parsing, below.
 * - a directive (`%` at the start of a line: `%YAML 1.1` changes what scalars mean), a merge key (`<<`);
 * - an explicit key (`?`), a collection as a key (`]` or `}` before `:`): js-yaml and `yaml` write
 *   such keys differently;
 * - a backslash (escapes), a tab, a carriage return, or a line or byte-order mark of Unicode;
 * - a block scalar (`|` or `>` with its indicators, at the end of a line).
 */
const NOT_PLAIN = [/^%/m, /<</, /(^|[\s[{,])\?(\s|$)/m, /[\]}]\s*:/, /[\\\t\r\u0085\u2028\u2029\ufeff]/, /(^|[\s:?-])[|>][-+0-9]*[ ]*(#.*)?$/m];

/** Thrown from js-yaml's listener when a node has an anchor: the document is not plain. */
const ANCHOR = new Error("anchor");

/** Stands for a null scalar while js-yaml reads: a null key is then recognisable (js-yaml writes it as "null", `yaml` as ""). */
const NULL = Object.freeze({});

/** One way a plain scalar resolves: the text it matches and the value it makes. */
type Resolution = readonly [test: RegExp, make: (text: string) => unknown];

/** The YAML 1.2 core schema's scalars, as the `yaml` package resolves them (yaml/dist/schema/core, common/null), in its order. */
const RESOLUTIONS: Record<"null" | "bool" | "int" | "float", readonly Resolution[]> = {
  null: [[/^(?:~|[Nn]ull|NULL)?$/, () => NULL]],
  bool: [[/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === "t" || s[0] === "T"]],
  int: [
    [/^0o[0-7]+$/, (s) => parseInt(s.substring(2), 8)],
    [/^[-+]?[0-9]+$/, (s) => parseInt(s, 10)],
    [/^0x[0-9a-fA-F]+$/, (s) => parseInt(s.substring(2), 16)],
  ],
  float: [
    [/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (s) => (s.slice(-3).toLowerCase() === "nan" ? NaN : s[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY)],
    [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, (s) => parseFloat(s)],
    [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, (s) => parseFloat(s)],
  ],
};

/** A js-yaml type for one tag (js-yaml keeps one type per tag): the first of its resolutions that matches. */
const scalarType = (tag: keyof typeof RESOLUTIONS): Type =>
  new Type(`tag:yaml.org,2002:${tag}`, {
    kind: "scalar",
    resolve: (text: unknown) => typeof text === "string" && RESOLUTIONS[tag].some(([test]) => test.test(text)),
    construct: (text: string) => RESOLUTIONS[tag].find(([test]) => test.test(text))?.[1](text),
  });

const CORE_SCALARS = FAILSAFE_SCHEMA.extend({ implicit: (["null", "bool", "int", "float"] as const).map(scalarType) });

/** Deeper than any config (a few levels); a deeper document takes the `yaml` path and its depth check. */
const MAX_PLAIN_DEPTH = 40;

/**
 * A key that js-yaml and `yaml` may have made differently: from a null (NULL, or an empty key, which
 * js-yaml writes as "null" and `yaml` as ""). Collections as keys are refused by NOT_PLAIN.
 */
const doubtfulKey = (key: string): boolean => key === "null" || key === "[object Object]";

/**
 * Replaces NULL by null in js-yaml's fresh result, in place; false if a key is doubtful or the value
 * nests too deep.
 */
function settle(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== "object") return true;
  if (depth > MAX_PLAIN_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (value[i] === NULL) value[i] = null;
      else if (!settle(value[i], depth + 1)) return false;
    }
    return true;
  }
  const map = value as Record<string, unknown>;
  for (const key of Object.keys(map)) {
    if (doubtfulKey(key)) return false;
    if (map[key] === NULL) setOwnProperty(map, key, null);
    else if (!settle(map[key], depth + 1)) return false;
  }
  return true;
}

/**
 * The data of a plain YAML mapping, read as the `yaml` package would read it; `undefined` when the
 * text is not plain (see above), js-yaml refuses it, or it is not a mapping: then use the `yaml` path.
 */
export function readPlainYaml(text: string): Record<string, unknown> | undefined {
  if (NOT_PLAIN.some((pattern) => pattern.test(text))) return undefined;
  let value: unknown;
  try {
    // maxDepth: js-yaml 4.3 (not yet in its types).
    value = load(text, {
      schema: CORE_SCALARS,
      maxDepth: MAX_PLAIN_DEPTH,
      listener: (event: string, state: { anchor?: string | null }) => {
        if (event === "close" && state.anchor !== null && state.anchor !== undefined) throw ANCHOR;
      },
    } as LoadOptions);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value) || value === NULL) return undefined;
  return settle(value, 0) ? (value as Record<string, unknown>) : undefined;
}
