import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ACCESS_MODEL_FILE, AccessModel } from "../access-model/access-model";

/** The access models of every stack in a synth output folder (`<folder>/stacks/<stack>/access-model.json`). */
export function readAccessModels(synthDir: string): AccessModel[] {
  const stacksDir = join(synthDir, "stacks");
  if (!existsSync(stacksDir)) return [];
  return readdirSync(stacksDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(stacksDir, d.name, ACCESS_MODEL_FILE)))
    .map((d) => JSON.parse(readFileSync(join(stacksDir, d.name, ACCESS_MODEL_FILE), "utf8")) as AccessModel);
}
