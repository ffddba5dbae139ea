import { TerraformStack } from "cdktf";
import { BitbucketOidcConfig } from "../../lib/config/model";
import { writePipelineSnippets } from "./snippet-writer";
import type { StagedFiles } from "./staged-files";

/** What a writer gets for each synthesized stack. */
export interface StackOutputContext {
  /** The validated config the app was built from. */
  readonly config: BitbucketOidcConfig;
  /** The stack, after synthesis. */
  readonly stack: TerraformStack;
  /** The stack's output folder (holding cdk.tf.json), inside the temporary output until synth succeeds. */
  readonly stackDir: string;
  /** Writes a file into the temporary output (reusing the previous output's equal file): writers write through it. */
  readonly files: StagedFiles;
}

/**
 * Writes extra files next to a stack's cdk.tf.json (pipeline snippets, ...; the access model is
 * written by the stack itself, BitbucketOidcAccessModel). Writers
 * run inside the temporary output, so a failing writer leaves the previous output untouched.
 */
export type OutputWriter = (context: StackOutputContext) => void;

/** The writers synth runs, in order. Features add theirs here. */
export const OUTPUT_WRITERS: readonly OutputWriter[] = [writePipelineSnippets];
