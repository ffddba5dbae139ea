/**
 * Test support for the consumer tests: pack the package from a staged copy of the sources (the
 * worktree's dist/ is left alone), lay out a fresh consumer project as `cdktf init --template=typescript`
 * does (its own package.json, cdktf.json, tsconfig.json, main.ts), and install offline from the
 * consumer tests' own npm cache (scripts/consumer-cache.js fills it once). The packed package and each
 * consumer project are built once per jest run (test/support/shared-fixture.ts). Heavy packages the repository already has are copied in as hard links, so npm finds them
 * installed (no second copy, no extraction) and the consumer tree still has exactly one of each.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { sharedFixture } from "../support/shared-fixture";

/** markdown-it's parser, as much of it as is used here (it ships no type declarations). */
type MarkdownParser = new () => { parse(src: string, env: object): { type: string; content: string; info: string }[] };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require("markdown-it") as MarkdownParser;

export const REPO = resolve(__dirname, "..", "..");
export const NODE_MODULES = realpathSync(join(REPO, "node_modules"));
const TEMPLATE = join(NODE_MODULES, "cdktf-cli", "bundle", "templates", "typescript");
export const CDKTF_CLI = join(NODE_MODULES, "cdktf-cli", "bundle", "bin", "cdktf");

// eslint-disable-next-line @typescript-eslint/no-require-imports
const consumerCache = require("../../scripts/consumer-cache") as { CONSUMER_NPM_CACHE: string; ensureFilled(): void };

/** Environment of every command: offline npm from the consumer tests' own cache, quiet terraform. */
export const ENV: NodeJS.ProcessEnv = {
  ...process.env,
  npm_config_cache: consumerCache.CONSUMER_NPM_CACHE,
  CHECKPOINT_DISABLE: "1",
  TF_IN_AUTOMATION: "1",
  TF_CLI_CONFIG_FILE: "/dev/null",
  npm_config_offline: "true",
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_update_notifier: "false",
};

/** Runs a command; on failure throws with its output, so the test says what went wrong. */
export function run(cmd: string, args: readonly string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, env: ENV, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    const hint = /ENOTCACHED/.test(err.stderr ?? "") ? "\n(a package is missing from the consumer npm cache: run `node scripts/consumer-cache.js --force`)" : "";
    throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) failed: ${err.message}\n${err.stdout ?? ""}\n${err.stderr ?? ""}${hint}`);
  }
}

const STAGED = ["package.json", "README.md", "LICENSE", "bitbucket-oidc.schema.json", "bin", "cli", "lib", "stacks", "index.ts", "main.ts", "scripts", "tsconfig.json", "tsconfig.build.json"];

/** Copies the package's sources to `<work>/package` (tests excluded), with the repository's node_modules. */
export function stagePackage(work: string): string {
  const dir = join(work, "package");
  for (const entry of STAGED) cpSync(join(REPO, entry), join(dir, entry), { recursive: true });
  symlinkSync(NODE_MODULES, join(dir, "node_modules"));
  return dir;
}

/** A packed tarball and the files in it. */
export interface Packed {
  readonly tarball: string;
  readonly files: readonly string[];
}

/** `npm pack` of a package folder (its prepack script runs) into `dest`. */
export function pack(dir: string, dest: string): Packed {
  const out = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", dest], dir)) as { filename: string; files: { path: string }[] }[];
  return { tarball: join(dest, out[0].filename), files: out[0].files.map((f) => f.path) };
}

/** The package staged and packed (its prepack build included) once per jest run. */
export interface SharedPackage extends Packed {
  /** The staged copy of the sources, built by prepack. */
  readonly staged: string;
}

/** The shared packed package: built by the first test file that asks, in the run's fixture folder. */
export function sharedPackage(): Promise<SharedPackage> {
  return sharedFixture("package", (dir) => {
    const staged = stagePackage(dir);
    return { ...pack(staged, dir), staged };
  });
}

/**
 * A consumer project built once per jest run (fills the consumer npm cache first if it lacks the
 * current specs): its folder, and the seconds its steps took.
 */
export function sharedConsumer(name: string, spec: (pkg: SharedPackage, dir: string) => ConsumerSpec): Promise<{ host: string; seconds: Record<string, number> }> {
  return sharedFixture(`consumer-${name}`, async (dir) => {
    const stopwatch = new Stopwatch();
    const pkg = await stopwatch.timeAsync("pack (shared)", sharedPackage);
    stopwatch.time("npm cache", () => consumerCache.ensureFilled());
    const host = join(dir, "host");
    const consumer = stopwatch.time("prepare", () => spec(pkg, dir));
    stopwatch.time("install", () => createConsumer(host, consumer));
    return { host, seconds: stopwatch.seconds };
  });
}

/** The page the consumer examples are on (it used to be the README). */
const EXAMPLES_PAGE = "docs/host-projects.md";

/** The first TypeScript code block under a heading of docs/host-projects.md, exactly as written there. */
export function readmeExample(heading: string): string {
  const tokens = new MarkdownIt().parse(readFileSync(join(REPO, EXAMPLES_PAGE), "utf8"), {});
  const at = tokens.findIndex((t, i) => t.type === "heading_open" && tokens[i + 1].content === heading);
  if (at < 0) throw new Error(`${EXAMPLES_PAGE} has no heading "${heading}"`);
  for (let i = at + 3; i < tokens.length && tokens[i].type !== "heading_open"; i++) {
    if (tokens[i].type === "fence" && /^(ts|typescript)\b/.test(tokens[i].info)) return tokens[i].content;
  }
  throw new Error(`${EXAMPLES_PAGE} has no \`\`\`ts block under "${heading}"`);
}

/** What a consumer project declares, beyond the `cdktf init` template. */
export interface ConsumerSpec {
  readonly name: string;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
  /** Packages taken from the repository's node_modules as hard links instead of the npm cache. */
  readonly fromRepository: readonly string[];
  readonly mainTs: string;
}

/** Lays out the project as `cdktf init --template=typescript` does, then `npm install --offline`. */
export function createConsumer(dir: string, spec: ConsumerSpec): void {
  mkdirSync(dir, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(TEMPLATE, "package.json"), "utf8").replace("{{ $base }}", spec.name));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ ...pkg, dependencies: spec.dependencies, devDependencies: spec.devDependencies }, null, 2));
  const cdktfJson = readFileSync(join(TEMPLATE, "cdktf.json"), "utf8")
    .replace("{{projectId}}", `${spec.name}-project`)
    .replace("{{sendCrashReports}}", "false")
    .replace("{{futureFlags}}", "");
  writeFileSync(join(dir, "cdktf.json"), cdktfJson);
  writeFileSync(join(dir, "tsconfig.json"), readFileSync(join(TEMPLATE, "tsconfig.json")));
  writeFileSync(join(dir, "main.ts"), spec.mainTs);
  for (const name of spec.fromRepository) {
    const target = join(dir, "node_modules", name);
    mkdirSync(dirname(target), { recursive: true });
    try {
      execFileSync("cp", ["-al", join(NODE_MODULES, name), target]); // hard links: instant, no extra disk
    } catch {
      cpSync(join(NODE_MODULES, name), target, { recursive: true }); // another file system: a real copy
    }
  }
  run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error"], dir);
}

/** Every installed copy of a package in a project's node_modules, nested ones included. */
export function installedCopies(dir: string, name: string): string[] {
  const found: string[] = [];
  const walk = (modules: string): void => {
    if (!existsSync(modules)) return;
    if (existsSync(join(modules, name, "package.json"))) found.push(join(modules, name));
    for (const entry of readdirSync(modules, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      const children = entry.name.startsWith("@") ? readdirSync(join(modules, entry.name)).map((c) => join(modules, entry.name, c)) : [join(modules, entry.name)];
      for (const child of children) walk(join(child, "node_modules"));
    }
  };
  walk(join(dir, "node_modules"));
  return found;
}

/** True when terraform is on PATH (the cdktf CLI runs `terraform version`). */
export function haveTerraform(): boolean {
  try {
    execFileSync("terraform", ["version"], { env: ENV, stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Wall times of named steps, for the test's closing report. */
export class Stopwatch {
  readonly seconds: Record<string, number> = {};

  /** Runs `fn`, recording its wall time under `label`. */
  time<T>(label: string, fn: () => T): T {
    const start = Date.now();
    try {
      return fn();
    } finally {
      this.seconds[label] = (Date.now() - start) / 1000;
    }
  }

  /** Awaits `fn`, recording its wall time under `label`. */
  async timeAsync<T>(label: string, fn: () => Promise<T>): Promise<T> {
    const start = Date.now();
    try {
      return await fn();
    } finally {
      this.seconds[label] = (Date.now() - start) / 1000;
    }
  }
}
