/**
 * The synth output folder (`cdktf.out`): replaced only when it is absent, empty or our own output,
 * crash-safe, and without deleting what synth did not write (Terraform's `.terraform/`,
 * `.terraform.lock.hcl`, local state, plan files of each stack folder).
 *
 * A replace, beside the target `<dir>/<name>`:
 *  1. the new output is complete in `.<name>.tmp-<pid>`, with the marker file listing what synth wrote;
 *  2. the target is renamed to `.<name>.old-<pid>` (an empty target is removed);
 *  3. `.<name>.tmp-<pid>` is renamed to the target;
 *  4. every entry of the old output that synth did not write is moved to the same place in the target;
 *  5. `.<name>.old-<pid>` is removed.
 * A crash before 3 leaves the previous output (or `.old` with no target, which the next run renames
 * back); a crash after 3 leaves the new output, and the next run finishes 4 and 5. Leftover `.tmp`
 * folders are removed by the next run.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, posix, resolve } from "node:path";
import { ValidationError } from "../../lib/core/problems";

/** The marker file synth writes at the top of its output: it names the files synth wrote. */
export const OUTPUT_MARKER = ".bitbucket-oidc-output";

/**
 * TEST ONLY: the name of a step at which the process kills itself (SIGKILL), to prove that a crash at
 * that point leaves the previous or the new output. Consulted by this module alone; never set it.
 */
export const CRASH_AT_ENV = "BITBUCKET_OIDC_TEST_CRASH_AT";

/** The steps {@link CRASH_AT_ENV} can name, in order. */
export const CRASH_POINTS = ["staged", "moved-aside", "swapped", "carrying", "carried"] as const;

/**
 * What a legacy output (a cdktf manifest, no marker) may hold that synth did not write: Terraform's
 * working files. Everything else in such a folder is taken as written by an earlier synth.
 */
const TERRAFORM_FILE = /^(?:\.terraform|\.terraform\.lock\.hcl|\.terraform\.tfstate\.lock\.info|terraform\.tfstate\.d|.*\.tfstate|.*\.tfstate\.backup|.*\.tfplan)$/;

interface Marker {
  readonly writtenBy: string;
  readonly note: string;
  /** Every file synth wrote, relative to the output folder, "/"-separated (the marker excluded). */
  readonly files: readonly string[];
}

/** The output folder cannot be replaced: it is not ours. Exit code 2. */
export class OutputFolderError extends ValidationError {
  constructor(source: string, folder: string, message: string) {
    super(`output folder ${folder}`, [{ path: source, value: folder, message }]);
    this.name = "OutputFolderError";
  }
}

/** The staging folder of this process for `target`. */
export function stagingFolder(target: string): string {
  return join(dirname(resolve(target)), `.${basename(resolve(target))}.tmp-${process.pid}`);
}

/**
 * Throws {@link OutputFolderError} unless `target` is absent, an empty folder, or a synth output (our
 * marker, or a cdktf `manifest.json` with nothing but `stacks/` beside it). `source` names where the
 * folder came from, e.g. `--output` or `CDKTF_OUTDIR`; `shownAs` names the folder as the user gave it
 * (default `target`).
 */
export function checkOutputFolder(target: string, source: string, shownAs: string = target): void {
  const folder = resolve(target);
  const stat = lstatOrUndefined(folder);
  if (stat === undefined) return;
  const fail = (why: string): never => {
    throw new OutputFolderError(
      source,
      shownAs,
      `${why}; synth replaces only an absent or empty folder or its own output (holding ${OUTPUT_MARKER}): name another folder, e.g. cdktf.out`,
    );
  };
  if (stat.isSymbolicLink()) fail("is a symbolic link");
  if (!stat.isDirectory()) fail("is not a folder");
  const entries = readdirSync(folder);
  if (entries.length === 0 || entries.includes(OUTPUT_MARKER)) return;
  const foreign = entries.filter((e) => e !== "manifest.json" && e !== "stacks");
  if (foreign.length === 0 && isCdktfManifest(join(folder, "manifest.json"))) return;
  const shown = (foreign.length > 0 ? foreign : entries).slice(0, 3).map((e) => JSON.stringify(e));
  fail(`holds files synth did not write (${shown.join(", ")}${entries.length > 3 ? ", ..." : ""})`);
}

/**
 * Finishes what earlier runs left beside `target`: an `.old` folder whose swap was cut short is
 * renamed back (no target) or emptied into the target (its kept files moved, then removed); `.tmp`
 * folders are removed. Folders of a synth still running (a live process id) are left alone.
 */
export function recoverOutputFolder(target: string): void {
  const folder = resolve(target);
  const parent = dirname(folder);
  const pattern = new RegExp(`^\\.${escapeRegExp(basename(folder))}\\.(tmp|old)-(\\d+)$`);
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  const leftovers = names
    .map((name) => ({ name, match: pattern.exec(name) }))
    .filter((l): l is { name: string; match: RegExpExecArray } => l.match !== null && !isOtherLiveProcess(Number(l.match[2])));
  for (const { name } of leftovers.filter((l) => l.match[1] === "old")) {
    const old = join(parent, name);
    if (lstatOrUndefined(folder) === undefined) {
      renameSync(old, folder);
    } else {
      carryUnwritten(old, folder, () => undefined);
      rmSync(old, { recursive: true, force: true });
    }
  }
  for (const { name } of leftovers.filter((l) => l.match[1] === "tmp")) {
    if (join(parent, name) !== stagingFolder(folder)) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

/** Options of {@link replaceOutputFolder}. */
export interface ReplaceOptions {
  /**
   * Keep the folder of a stack that is no longer synthesized even when nothing in it needs keeping
   * (it stays empty). The cdktf CLI removes such folders itself after the app ran, and fails when
   * one is already gone.
   * @default false
   */
  readonly keepOrphanStackFolders?: boolean;
}

/** What a replace kept of the previous output. */
export interface ReplaceResult {
  /** Folders (relative to the output, e.g. `stacks/old-name`) of stacks no longer synthesized that hold kept files. */
  readonly orphanStackFolders: readonly string[];
}

/**
 * Writes the marker into the complete `staging` folder and replaces `target` with it (steps 1 to 5
 * above), keeping every entry of the previous output that synth did not write.
 */
export function replaceOutputFolder(staging: string, target: string, options: ReplaceOptions = {}): ReplaceResult {
  const folder = resolve(target);
  const marker: Marker = {
    writtenBy: "bitbucket-oidc synth",
    note: "synth replaces the files listed here on every run and keeps everything else (.terraform/, .terraform.lock.hcl, local state)",
    files: listFiles(staging).sort(),
  };
  writeFileSync(join(staging, OUTPUT_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
  crashPoint("staged");
  const stat = lstatOrUndefined(folder);
  const old = join(dirname(folder), `.${basename(folder)}.old-${process.pid}`);
  let hasOld = false;
  if (stat !== undefined && stat.isDirectory() && readdirSync(folder).length === 0) {
    rmdirSync(folder);
  } else if (stat !== undefined) {
    rmSync(old, { recursive: true, force: true });
    renameSync(folder, old);
    hasOld = true;
  }
  crashPoint("moved-aside");
  renameSync(staging, folder);
  crashPoint("swapped");
  if (!hasOld) return { orphanStackFolders: [] };
  const newStacks = new Set(readdirOrEmpty(join(folder, "stacks")));
  const oldStacks = readdirOrEmpty(join(old, "stacks")).filter((s) => !newStacks.has(s) && lstatSync(join(old, "stacks", s)).isDirectory());
  carryUnwritten(old, folder, () => crashPoint("carrying"));
  const orphanStackFolders: string[] = [];
  for (const stack of oldStacks) {
    if (lstatOrUndefined(join(folder, "stacks", stack)) !== undefined) orphanStackFolders.push(posix.join("stacks", stack));
    else if (options.keepOrphanStackFolders) mkdirSync(join(folder, "stacks", stack), { recursive: true });
  }
  crashPoint("carried");
  rmSync(old, { recursive: true, force: true });
  return { orphanStackFolders };
}

/**
 * Moves every entry of the output `from` that synth did not write (by `from`'s marker, else by name:
 * Terraform's working files) to the same place under `to`, unless `to` already has one there.
 */
function carryUnwritten(from: string, to: string, afterMove: () => void): void {
  const written = writtenFiles(from);
  const writtenDirs = new Set([...(written ?? [])].flatMap((f) => f.split("/").slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join("/"))));
  const walk = (rel: string): void => {
    for (const name of readdirOrEmpty(join(from, ...rel.split("/").filter(Boolean)))) {
      const entry = rel ? `${rel}/${name}` : name;
      if (entry === OUTPUT_MARKER) continue;
      const source = join(from, ...entry.split("/"));
      const terraformFile = TERRAFORM_FILE.test(name);
      if (lstatSync(source).isDirectory() && !terraformFile && (written === undefined || writtenDirs.has(entry))) {
        walk(entry);
        continue;
      }
      const ours = written ? written.has(entry) : !terraformFile;
      const dest = join(to, ...entry.split("/"));
      if (ours || lstatOrUndefined(dest) !== undefined) continue;
      mkdirSync(dirname(dest), { recursive: true });
      renameSync(source, dest);
      afterMove();
    }
  };
  walk("");
}

/** The files the marker of `output` names, or undefined for an output without a readable marker. */
export function writtenFiles(output: string): Set<string> | undefined {
  try {
    const marker = JSON.parse(readFileSync(join(output, OUTPUT_MARKER), "utf8")) as Partial<Marker>;
    return Array.isArray(marker.files) ? new Set(marker.files.filter((f): f is string => typeof f === "string")) : undefined;
  } catch {
    return undefined;
  }
}

function listFiles(root: string, rel = ""): string[] {
  return readdirOrEmpty(join(root, ...rel.split("/").filter(Boolean))).flatMap((name) => {
    const entry = rel ? `${rel}/${name}` : name;
    return lstatSync(join(root, ...entry.split("/"))).isDirectory() ? listFiles(root, entry) : [entry];
  });
}

function isCdktfManifest(path: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(path, "utf8")) as { version?: unknown; stacks?: unknown };
    return typeof manifest.version === "string" && typeof manifest.stacks === "object" && manifest.stacks !== null;
  } catch {
    return false;
  }
}

function isOtherLiveProcess(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function crashPoint(step: (typeof CRASH_POINTS)[number]): void {
  if (process.env[CRASH_AT_ENV] === step) process.kill(process.pid, "SIGKILL");
}

function lstatOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

function readdirOrEmpty(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
