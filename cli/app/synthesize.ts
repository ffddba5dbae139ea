import { mkdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { App } from "cdktf";
import { buildStacks } from "../../stacks";
import { BitbucketOidcConfig } from "../../lib/config/model";
import { checkOutputFolder, recoverOutputFolder, replaceOutputFolder, ReplaceOptions, stagingFolder } from "./output-folder";
import { runSynthChecks } from "./synth-checks";
import { SynthError } from "./synth-error";

export { SynthError };

/** One synthesized stack. */
export interface SynthesizedStack {
  readonly name: string;
  /** Folder of the stack's cdk.tf.json, e.g. `cdktf.out/stacks/bitbucket-oidc`. */
  readonly dir: string;
}

/** The outcome of a successful synth. */
export interface SynthResult {
  readonly stacks: readonly SynthesizedStack[];
  /** Warning annotations, e.g. a role open to every repository of the workspace. */
  readonly warnings: readonly string[];
  /** Folders of stacks no longer synthesized, kept for the Terraform files in them, e.g. `cdktf.out/stacks/old-name`. */
  readonly orphanStackFolders: readonly string[];
}

/** Options of {@link synthesize}. */
export interface SynthOptions extends ReplaceOptions {
  /** Where the output folder was named, for error messages. @default "--output" */
  readonly outputSource?: string;
  /** The output folder as the user named it, for error messages, e.g. `.`. @default `outdir` as passed */
  readonly outputShownAs?: string;
}

/** Builds the cdktf App for a validated config; the stacks are not synthesized yet. */
export function buildApp(config: BitbucketOidcConfig, outdir: string): App {
  const app = new App({ outdir, context: { "@cdktf/disable_stack_trace_in_metadata": true } });
  buildStacks(app, config);
  return app;
}

/**
 * Synthesizes a config into `outdir` all or nothing: the app writes to a temporary folder beside it,
 * which replaces `outdir` only when everything succeeded (see output-folder.ts). On failure the
 * previous output is intact. `outdir` must be absent, empty or an earlier synth output; files synth
 * did not write there (`.terraform/`, `.terraform.lock.hcl`, local state) are kept.
 */
export function synthesize(config: BitbucketOidcConfig, outdir: string, options: SynthOptions = {}): SynthResult {
  const target = resolve(outdir);
  recoverOutputFolder(target);
  checkOutputFolder(outdir, options.outputSource ?? "--output", options.outputShownAs);
  const staging = stagingFolder(target);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(dirname(target), { recursive: true });
  try {
    // The same checks as validate (one function), then the staging folder replaces the output.
    const outcome = runSynthChecks(config, staging, "run", target);
    if (outcome.errors.length > 0) throw new SynthError(outcome.errors);
    const stacks = outcome.stacks.map((stack) => ({ name: stack.node.id, dir: join(outdir, "stacks", stack.node.id) }));
    const { orphanStackFolders } = replaceOutputFolder(staging, target, options);
    return { stacks, warnings: outcome.warnings, orphanStackFolders: orphanStackFolders.map((f) => join(outdir, f)) };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
