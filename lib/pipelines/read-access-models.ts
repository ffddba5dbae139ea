import { AccessModel } from "../access-model/access-model";
import { accessModelFiles, readAccessModelFile } from "../access-model/read-access-model";

/** The access models of every stack in a synth output folder (`<folder>/stacks/<stack>/access-model.json`). */
export function readAccessModels(synthDir: string): AccessModel[] {
  return accessModelFiles(synthDir).flatMap(({ file }) => (file ? [readAccessModelFile(file)] : []));
}
