#!/usr/bin/env node
"use strict";
/**
 * Writes docs/config-reference.md from the published schema, bitbucket-oidc.schema.json: every key,
 * with its type, whether it is required, its default and its description. The schema is the one
 * source: edit a description there, then run this.
 *
 *   node scripts/config-docs.js                  write docs/config-reference.md
 *   node scripts/config-docs.js --check          exit 1 when docs/config-reference.md is not what it would write
 *   node scripts/config-docs.js --out <file>     write (or, with --check, compare) another file
 *
 * Defaults: the schema's `default` where it has one, else the "Default: x." (or "Default x,")
 * sentence of the description.
 */
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const SCHEMA_FILE = path.join(ROOT, "bitbucket-oidc.schema.json");
const DEFAULT_OUT = path.join(ROOT, "docs", "config-reference.md");

/** The node a local `$ref` (`#/definitions/x`, `#/properties/x`) points at. */
function resolveRef(schema, ref) {
  if (!ref.startsWith("#/")) throw new Error(`${SCHEMA_FILE}: only local $ref is supported, got ${ref}`);
  return ref
    .slice(2)
    .split("/")
    .reduce((node, part) => {
      if (!node || !(part in node)) throw new Error(`${SCHEMA_FILE}: $ref ${ref} points nowhere`);
      return node[part];
    }, schema);
}

/** The local reference a node stands for: its `$ref`, or a lone `allOf: [{ $ref }]` (a reference with a description of its own). */
function refOf(node) {
  if (!node) return undefined;
  if (node.$ref) return node.$ref;
  return Array.isArray(node.allOf) && node.allOf.length === 1 ? node.allOf[0].$ref : undefined;
}

/** A node with its reference followed; its own description wins over the target's. */
function deref(schema, node) {
  const ref = refOf(node);
  if (!ref) return node;
  const target = deref(schema, resolveRef(schema, ref));
  const { allOf: _allOf, ...own } = node;
  return { ...target, ...own, description: node.description ?? target.description };
}

/** A short type name: string, integer, boolean, `"plan" \| "apply"`, array of string, map of string, ... */
function typeOf(schema, raw) {
  const node = deref(schema, raw);
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (node.oneOf) return node.oneOf.map((n) => typeOf(schema, n)).join(" or ");
  if (node.type === "array") return node.items ? `array of ${typeOf(schema, node.items)}` : "array";
  if (node.type === "object" && !node.properties && node.additionalProperties && typeof node.additionalProperties === "object") {
    return `map of ${typeOf(schema, node.additionalProperties)}`;
  }
  return node.type ?? "any";
}

/** The default: the schema's, else the description's "Default: x." sentence. */
function defaultOf(node) {
  if (node.default !== undefined) return JSON.stringify(node.default);
  const m = /\bDefault:?\s+(.+?)(?:\.(?=\s|$)|,\s)/.exec(node.description ?? "");
  return m ? m[1] : "";
}

/** Text for a Markdown table cell: no HTML, no table breaks. */
function cell(text) {
  return String(text)
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\*/g, "\\*")
    .replace(/\n/g, " ");
}

/**
 * The rows of one key and everything under it. A `$ref` documented once already is not expanded
 * again: its row points at the first place.
 */
function rows(schema, name, raw, required, seen, out) {
  const node = deref(schema, raw);
  const row = { key: name, type: typeOf(schema, raw), required, default: defaultOf(node), description: node.description ?? "" };
  out.push(row);
  // What is under it: an object's keys, an array's items' keys, a map's values' keys.
  let children;
  let childPrefix;
  let childRef;
  if (node.type === "object" && node.properties) {
    children = node;
    childPrefix = `${name}.`;
    childRef = refOf(raw);
  } else if (node.type === "array" && node.items) {
    const items = deref(schema, node.items);
    if (items.type === "object" && items.properties) {
      children = items;
      childPrefix = `${name}[].`;
      childRef = refOf(node.items);
    }
  } else if (node.type === "object" && node.additionalProperties && typeof node.additionalProperties === "object") {
    const values = deref(schema, node.additionalProperties);
    const inner = values.type === "array" && values.items ? deref(schema, values.items) : values;
    if (inner.type === "object" && inner.properties) {
      children = inner;
      childPrefix = `${name}.<name>${values.type === "array" ? "[]" : ""}.`;
      childRef = values.type === "array" ? refOf(values.items) : refOf(node.additionalProperties);
    }
  }
  if (!children) return;
  if (childRef && seen.has(childRef)) {
    row.description = `${row.description}${row.description ? " " : ""}Its keys are those of ${seen.get(childRef)} (above).`;
    row.sameAs = seen.get(childRef);
    return;
  }
  if (childRef) seen.set(childRef, `\`${childPrefix.slice(0, -1)}\``);
  const req = new Set(children.required ?? []);
  for (const [key, child] of Object.entries(children.properties)) rows(schema, `${childPrefix}${key}`, child, req.has(key), seen, out);
}

/** The whole page. */
function render(schema) {
  const seen = new Map();
  const required = new Set(schema.required ?? []);
  const lines = [
    "<!-- Generated by scripts/config-docs.js from bitbucket-oidc.schema.json: do not edit; run `node scripts/config-docs.js`. -->",
    "",
    "# Config reference",
    "",
    `${schema.description ?? ""} Every key of \`bitbucket-oidc.yaml\`, generated from`,
    "[`bitbucket-oidc.schema.json`](../bitbucket-oidc.schema.json), the schema editors check the file",
    "against. Keys are camelCase; `a[].b` is the key `b` of each item of the list `a`; `a.<name>` is a",
    "key you choose. A test fails when this page and the schema differ. How the file is read and checked:",
    "[The config file](config.md).",
  ];
  // accounts: last, as it reuses provider: and roles:, which are documented at the top level first.
  const keys = Object.keys(schema.properties).sort((a, b) => Number(a === "accounts") - Number(b === "accounts"));
  for (const key of keys) {
    const node = schema.properties[key];
    seen.set(`#/properties/${key}`, `\`${key}\``);
    const out = [];
    rows(schema, key, node, required.has(key), seen, out);
    lines.push("", `## ${key}`, "", "| key | type | required | default | description |", "|---|---|---|---|---|");
    for (const r of out) {
      lines.push(`| \`${r.key}\` | ${cell(r.type)} | ${r.required ? "yes" : "no"} | ${r.default ? cell(r.default) : ""} | ${cell(r.description)} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function main(argv) {
  const outAt = argv.indexOf("--out");
  const out = outAt >= 0 ? path.resolve(argv[outAt + 1] ?? "") : DEFAULT_OUT;
  const text = render(JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")));
  const shown = path.relative(process.cwd(), out) || out;
  if (argv.includes("--check")) {
    let current;
    try {
      current = fs.readFileSync(out, "utf8");
    } catch {
      current = undefined;
    }
    if (current !== text) {
      process.stderr.write(`config-docs: ${shown} is out of date with bitbucket-oidc.schema.json: run \`node scripts/config-docs.js\`\n`);
      return 1;
    }
    return 0;
  }
  fs.writeFileSync(out, text);
  process.stdout.write(`config-docs: wrote ${shown}\n`);
  return 0;
}

module.exports = { render };
if (require.main === module) process.exitCode = main(process.argv.slice(2));
