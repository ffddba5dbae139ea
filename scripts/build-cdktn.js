#!/usr/bin/env node
"use strict";
/**
 * The CDK Terrain build: a second package, `cdktn-bitbucket-oidc`, made from the package build in
 * dist/ (run `npm run build` first) with the module specifiers `cdktf` and `@cdktf/provider-aws`
 * renamed to `cdktn` and `@cdktn/provider-aws` in the JavaScript and the declarations, and cdktn's
 * peers. A cdktn project then has one cdktn and one AWS binding, its own. Writes build/cdktn/;
 * `npm pack build/cdktn` packs it.
 */
const fs = require("node:fs");
const path = require("node:path");
const flavor = require("./cdktn-flavor");

const ROOT = path.join(__dirname, "..");
const OUT = path.join(ROOT, "build", "cdktn");

/** Renames module specifiers in string literals that are exactly a renamed module or a deep path into one. */
function rename(code) {
  let out = code;
  for (const [from, to] of Object.entries(flavor.renames)) {
    const escaped = from.replace(/[/\\^$*+?.()|[\]{}]/g, "\\$&");
    out = out.replace(new RegExp(`(["'])${escaped}((?:/[^"'\\n]*)?)\\1`, "g"), (_, q, rest) => `${q}${to}${rest}${q}`);
  }
  return out;
}

function copyTree(from, to, transform) {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(src, dst, transform);
    else if (/\.(js|d\.ts)$/.test(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.writeFileSync(dst, transform(fs.readFileSync(src, "utf8")));
    }
  }
}

function main() {
  if (!fs.existsSync(path.join(ROOT, "dist", "index.d.ts"))) {
    process.stderr.write("build-cdktn: dist/ has no declarations; run `npm run build` first\n");
    process.exit(2);
  }
  fs.rmSync(OUT, { recursive: true, force: true });
  copyTree(path.join(ROOT, "dist"), path.join(OUT, "dist"), rename);
  copyTree(path.join(ROOT, "bin"), path.join(OUT, "bin"), (code) => code);
  for (const file of ["README.md", "LICENSE", "bitbucket-oidc.schema.json"]) fs.copyFileSync(path.join(ROOT, file), path.join(OUT, file));

  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const { scripts: _scripts, devDependencies: _dev, peerDependenciesMeta: _meta, ...rest } = pkg;
  const out = {
    ...rest,
    name: flavor.packageName,
    description: `${pkg.description} Built for CDK Terrain (cdktn).`,
    keywords: [...pkg.keywords, "cdktn", "cdk-terrain"],
    peerDependencies: flavor.peerDependencies,
  };
  fs.writeFileSync(path.join(OUT, "package.json"), `${JSON.stringify(out, null, 2)}\n`);

  // Nothing may still load the cdktf packages (the tls binding is optional and loaded only on demand).
  const leftovers = [];
  const scan = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) scan(full);
      else if (/(["'])(cdktf|@cdktf\/provider-aws(\/[^"']*)?)\1/.test(fs.readFileSync(full, "utf8"))) leftovers.push(path.relative(OUT, full));
    }
  };
  scan(path.join(OUT, "dist"));
  if (leftovers.length > 0) {
    process.stderr.write(`build-cdktn: still naming cdktf modules: ${leftovers.join(", ")}\n`);
    process.exit(1);
  }
  process.stderr.write(`build-cdktn: ${flavor.packageName} written to ${path.relative(process.cwd(), OUT) || "."}\n`);
}

module.exports = { rename };
if (require.main === module) main();
