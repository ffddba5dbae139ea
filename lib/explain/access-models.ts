import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ACCESS_MODEL_FILE, ACCESS_MODEL_VERSION, AccessModel } from "../access-model/access-model";

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
  const files = readdirSync(stacksDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(stacksDir, d.name, ACCESS_MODEL_FILE))
    .filter((f) => existsSync(f))
    .sort();
  if (files.length === 0) throw new SynthFolderError(`no ${ACCESS_MODEL_FILE} under ${stacksDir}/*: ${hint}`);
  return files.map((file) => {
    let model: AccessModel;
    try {
      model = JSON.parse(readFileSync(file, "utf8")) as AccessModel;
    } catch (e) {
      throw new SynthFolderError(`${file} is not JSON (${(e as Error).message}): ${hint}`);
    }
    if (model.version !== ACCESS_MODEL_VERSION || !Array.isArray(model.roles)) {
      throw new SynthFolderError(`${file} has access-model version ${JSON.stringify(model.version)}, expected ${ACCESS_MODEL_VERSION}: ${hint} with this version`);
    }
    return { file, model };
  });
}
