/**
 * Issue 17 item 5: the package is `cdktf-bitbucket-oidc`; nobody owns `bitbucket-oidc` on the
 * registry, and npx installs a missing package without asking in CI. So no step, doc, help text or
 * generated script may run the binary through an npx (or `npm exec`) that could download it: every
 * call says `npx --no bitbucket-oidc` (or runs node_modules/.bin/bitbucket-oidc).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { explainPreflight } from "../../lib/pipelines/explain-preflight";

const ROOT = join(__dirname, "..", "..");

/** npx or npm exec, any options but `--no`, then the bare binary name. */
const UNPINNED = /\b(?:npx|npm\s+exec)((?:\s+-[\w-]+(?:=\S+)?)*)\s+(?:--\s+)?bitbucket-oidc\b/g;

function unpinned(text: string): string[] {
  return [...text.matchAll(UNPINNED)].filter((m) => !/(^|\s)--no(\s|$)/.test(m[1] ?? "")).map((m) => m[0]);
}

/** The project's files: git's list on a clone, else every file outside generated folders. */
function projectFiles(): string[] {
  try {
    return execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
  } catch {
    const skip = new Set(["node_modules", ".git", "cdktf.out", "dist", ".terraform"]);
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (skip.has(e.name) ? [] : e.isDirectory() ? walk(join(dir, e.name)) : [relative(ROOT, join(dir, e.name))]));
    return walk(ROOT);
  }
}

test("the pattern catches the unpinned forms and lets the pinned ones pass", () => {
  const name = ["bitbucket", "oidc"].join("-");
  for (const bad of [`npx ${name} review`, `npx -y ${name}`, `npx --yes ${name}`, `npm exec ${name} -- synth`, `(umask 077; npx  ${name} explain)`]) {
    expect(unpinned(bad)).toHaveLength(1);
  }
  for (const good of [`npx --no ${name} review`, `npx cdktf-${name}`, `node_modules/.bin/${name} synth`, `npm run synth`]) expect(unpinned(good)).toEqual([]);
});

test("no tracked file runs bitbucket-oidc through an npx that may install it", () => {
  const files = projectFiles();
  expect(files).toEqual(expect.arrayContaining(["README.md", "help", "bitbucket-pipelines.yml"]));
  const found = files.flatMap((file) => {
    const path = join(ROOT, file);
    if (!statSync(path, { throwIfNoEntry: false })?.isFile() || /\.(png|jpg|gz|zip)$/.test(file)) return [];
    return unpinned(readFileSync(path, "utf8")).map((hit) => `${file}: ${hit}`);
  });
  expect(found).toEqual([]);
});

test("the generated --debug pre-flight runs the installed binary", () => {
  const model = { stack: "bitbucket-oidc" } as Parameters<typeof explainPreflight>[0];
  const script = explainPreflight(model, { name: "bitbucket-deploy" } as Parameters<typeof explainPreflight>[1]);
  expect(script).toContain("npx --no bitbucket-oidc explain");
  expect(unpinned(script)).toEqual([]);
});
