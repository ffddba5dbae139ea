/**
 * How synth's output writers put files into the staging folder. A file equal to the one synth wrote at
 * the same place in the output being replaced becomes a hard link to it instead of a new file: on
 * these machines creating a file costs about 30 times what linking one does, and a re-synth rewrites
 * a snippet per role. The previous output is never changed (a link only adds a name), so a synth that
 * fails or is killed still leaves it whole; once the new output is in place the old names are removed
 * and each linked file has one name again.
 */
import { linkSync, lstatSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { writtenFiles } from "./output-folder";

/** Writes files into one staging folder, reusing the previous output's equal files. */
export class StagedFiles {
  private readonly previous?: { readonly folder: string; readonly files: ReadonlySet<string> };

  /**
   * @param staging the staging folder the files go to
   * @param previousOutput the output folder the staging folder will replace; only the files its
   *   marker lists (synth's own) are reused. @default none: every file is written
   */
  constructor(
    private readonly staging: string,
    previousOutput?: string,
  ) {
    const folder = previousOutput === undefined ? undefined : resolve(previousOutput);
    const files = folder === undefined ? undefined : writtenFiles(folder);
    if (folder !== undefined && files !== undefined) this.previous = { folder, files };
  }

  /** Writes `text` to `file` (a path inside the staging folder, whose parent exists). */
  write(file: string, text: string): void {
    if (!this.linkEqual(file, text)) writeFileSync(file, text);
  }

  /** Links `file` to the previous output's file at the same place when that is synth's, a plain file with no other name, and holds exactly `text`. */
  private linkEqual(file: string, text: string): boolean {
    if (this.previous === undefined) return false;
    const rel = relative(this.staging, resolve(file));
    if (rel.startsWith("..") || !this.previous.files.has(rel.split(sep).join("/"))) return false;
    const old = join(this.previous.folder, rel);
    try {
      // A symbolic link, or a file with another name (someone else's hard link), is never shared.
      const stat = lstatSync(old);
      if (!stat.isFile() || stat.nlink !== 1 || stat.size !== Buffer.byteLength(text, "utf8")) return false;
      if (readFileSync(old, "utf8") !== text) return false;
      linkSync(old, file);
      return true;
    } catch {
      // Any trouble (another file system, no hard links there, a race): write the file instead.
      return false;
    }
  }
}
