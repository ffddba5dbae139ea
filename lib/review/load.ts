/** Reads a synth output folder: every stack, with its access model where synth wrote one. */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ACCESS_MODEL_FILE, AccessModel } from "../access-model/access-model";
import { readAccessModelFile } from "../access-model/read-access-model";

/** Input the review cannot read: a missing folder, no stacks, malformed JSON. Exit code 2. */
export class ReviewInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReviewInputError";
  }
}

/** One stack folder of a synth output. */
export interface SynthStack {
  readonly name: string;
  /** Undefined for a stack without an access model (e.g. a state bootstrap stack). */
  readonly model?: AccessModel;
}

/**
 * Lists `<folder>/stacks/*` in name order and reads each `access-model.json`. Throws
 * {@link ReviewInputError} when the folder or its stacks are missing, or a model is malformed.
 * `onStack` is called after each stack, for progress; `flag` names the option in messages.
 */
export function loadSynth(folder: string, onStack?: (done: number, total: number, name: string) => void, flag = "--synth"): SynthStack[] {
  const stacksDir = join(folder, "stacks");
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new ReviewInputError(`${folder}: no such folder; expected a synth output folder (run "bitbucket-oidc synth" first, or pass ${flag} <folder>)`);
  }
  const names = existsSync(stacksDir)
    ? readdirSync(stacksDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()
    : [];
  if (names.length === 0) {
    throw new ReviewInputError(`${folder}: no stacks (expected ${join(folder, "stacks", "<stack>", "cdk.tf.json")}); is this a synth output folder?`);
  }
  return names.map((name, i) => {
    const stack = { name, model: readModel(join(stacksDir, name, ACCESS_MODEL_FILE)) };
    onStack?.(i + 1, names.length, name);
    return stack;
  });
}

function readModel(file: string): AccessModel | undefined {
  return existsSync(file) ? readAccessModelFile(file) : undefined;
}
