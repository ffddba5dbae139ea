#!/usr/bin/env node
"use strict";
// The `bitbucket-oidc` command. In a source checkout it first recompiles any TypeScript that is newer
// than its JavaScript in dist/ (fast, with SWC), so it never runs stale output.
const path = require("node:path");
const fs = require("node:fs");

const root = path.join(__dirname, "..");
if (fs.existsSync(path.join(root, "scripts", "build.js")) && fs.existsSync(path.join(root, "lib", "index.ts"))) {
  require("../scripts/build.js").ensureFresh();
}
require("../dist/cli/main.js")
  .runCli(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
