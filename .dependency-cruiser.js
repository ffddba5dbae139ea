"use strict";
/**
 * The dependency rule (docs/architecture.md): the source folders in layers, top to bottom. A module
 * may import modules of its own layer or of a lower one, never of a higher one; no two folders may
 * import each other, even through others. `npm run check:deps` checks it, and `npm test` runs the
 * check (test/architecture/dependencies.test.ts).
 *
 * To add a folder: put it in the layer whose neighbours it imports and is imported by. A source
 * folder in no layer fails the check.
 */

/** Top to bottom. Each entry: a name for messages, and path patterns (relative to the repository). */
const LAYERS = [
  { name: "app", paths: ["^main\\.ts$"] },
  { name: "cli", paths: ["^cli/"] },
  { name: "package-entry", paths: ["^index\\.ts$"] },
  { name: "stacks", paths: ["^stacks/"] },
  { name: "library-entry", paths: ["^lib/index\\.ts$"] },
  { name: "commands", paths: ["^lib/(review|explain|pipelines|adoption|discovery)/"] },
  { name: "access-model", paths: ["^lib/(access-model|evaluation)/"] },
  { name: "config", paths: ["^lib/config/"] },
  { name: "config-schema", paths: ["^lib/schema/"] },
  { name: "constructs", paths: ["^lib/constructs/"] },
  { name: "building-blocks", paths: ["^lib/(grants|guardrails|state)/"] },
  { name: "iam", paths: ["^lib/(iam|bitbucket)/"] },
  { name: "core", paths: ["^lib/core/"] },
];

/** Where the sources are; every module here must be in a layer. */
const SOURCES = ["index.ts", "main.ts", "cli", "lib", "stacks"];
const SOURCE_PATH = "^(cli|lib|stacks)/|^(index|main)\\.ts$";
const ALL_LAYERS = LAYERS.flatMap((l) => l.paths);

const upwardRules = LAYERS.slice(1).map((layer, i) => ({
  name: `no-upward-import-from-${layer.name}`,
  comment: `${layer.name} may import only its own layer and the layers below it (.dependency-cruiser.js LAYERS)`,
  severity: "error",
  from: { path: layer.paths },
  to: { path: LAYERS.slice(0, i + 1).flatMap((l) => l.paths) },
}));

module.exports = {
  forbidden: [
    ...upwardRules,
    {
      name: "no-folder-cycle",
      comment: "two folders import each other (directly or through others): move the shared code down a layer",
      severity: "error",
      scope: "folder",
      from: {},
      to: { circular: true },
    },
    {
      name: "commands-never-reach-into-stacks",
      comment: "review, explain, snippet, migrate and later commands read synth output or AWS exports; only synth and validate (which runs synth's checks) build stacks",
      severity: "error",
      from: { path: "^cli/commands/", pathNot: "^cli/commands/(synth|validate)\\.ts$" },
      to: { path: "^(stacks/|cli/app/)" },
    },
    {
      name: "no-unlayered-source",
      comment: "a source module in no layer: add its folder to LAYERS in .dependency-cruiser.js",
      severity: "error",
      from: { path: SOURCE_PATH, pathNot: ALL_LAYERS },
      to: {},
    },
    {
      name: "no-import-of-unlayered-source",
      comment: "an import of a source module in no layer: add its folder to LAYERS in .dependency-cruiser.js",
      severity: "error",
      from: {},
      to: { path: SOURCE_PATH, pathNot: ALL_LAYERS },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist|test|cdktf\\.out)/" },
    // Type-only imports count: a layer must not even name a higher layer's types.
    tsPreCompilationDeps: true,
    // A re-run reads only the files whose content changed (1.2 s instead of 2.2 s here).
    cache: { folder: "node_modules/.cache/dependency-cruiser", strategy: "content" },
  },
};
// For the check's own test; not part of dependency-cruiser's configuration (hence not enumerable).
Object.defineProperty(module.exports, "LAYERS", { value: LAYERS, enumerable: false });
Object.defineProperty(module.exports, "SOURCES", { value: SOURCES, enumerable: false });
