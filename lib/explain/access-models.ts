import { existsSync } from "node:fs";
import { join } from "node:path";
import { ACCESS_MODEL_FILE, AccessModel } from "../access-model/access-model";
import { accessModelFiles, readAccessModelFile } from "../access-model/read-access-model";

/** An access model and the file it came from. */
export interface LoadedAccessModel {
  readonly file: string;
  readonly model: AccessModel;
}

/** The synth output cannot be read (exit code 2). */
export class SynthFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SynthFolderError";
  }
}

/** Reads `<synthDir>/stacks/<stack>/access-model.json` of every stack, sorted by stack name. */
export function readAccessModels(synthDir: string): LoadedAccessModel[] {
  const stacksDir = join(synthDir, "stacks");
  const hint = "run `bitbucket-oidc synth` first, or point --synth at the folder it wrote";
  if (!existsSync(stacksDir)) throw new SynthFolderError(`${stacksDir} does not exist: ${hint}`);
  const files = accessModelFiles(synthDir).flatMap(({ file }) => (file ? [file] : []));
  if (files.length === 0) throw new SynthFolderError(`no ${ACCESS_MODEL_FILE} under ${stacksDir}/*: ${hint}`);
  return files.map((file) => ({ file, model: readAccessModelFile(file) }));
}
