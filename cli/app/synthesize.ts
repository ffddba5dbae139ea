import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { App } from "cdktf";
import { buildStacks } from "../../stacks";
import { BitbucketOidcConfig } from "../../lib/config/model";
import { runSynthChecks } from "./synth-checks";

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
}

/** Synth (or validate) stopped by findings: error annotations (guardrails) and failed construct validations. Nothing was written. */
export class SynthError extends Error {
  /** @param verb what stopped, e.g. "synth stopped" or "invalid" (validate) */
  constructor(readonly findings: readonly string[], verb = "synth stopped") {
    super(`${verb}: ${findings.length} error${findings.length === 1 ? "" : "s"}\n${findings.map((f) => `  - ${f}`).join("\n")}`);
    this.name = "SynthError";
  }
}

/** Builds the cdktf App for a validated config; the stacks are not synthesized yet. */
export function buildApp(config: BitbucketOidcConfig, outdir: string): App {
  const app = new App({ outdir, context: { "@cdktf/disable_stack_trace_in_metadata": true } });
  buildStacks(app, config);
  return app;
}

/**
 * Synthesizes a config into `outdir` all or nothing: the app writes to a temporary folder beside it,
 * which replaces `outdir` only when everything succeeded. On failure the previous output is intact.
 */
export function synthesize(config: BitbucketOidcConfig, outdir: string): SynthResult {
  const target = resolve(outdir);
  const staging = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(dirname(target), { recursive: true });
  try {
    // The same checks as validate (one function), then the staging folder replaces the output.
    const outcome = runSynthChecks(config, staging, "run");
    if (outcome.errors.length > 0) throw new SynthError(outcome.errors);
    const stacks = outcome.stacks.map((stack) => ({ name: stack.node.id, dir: join(outdir, "stacks", stack.node.id) }));
    swapInto(staging, target);
    return { stacks, warnings: outcome.warnings };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Replaces `target` with `staging` by two renames, so a reader never sees a half-written folder. */
function swapInto(staging: string, target: string): void {
  const old = `${staging}.old`;
  rmSync(old, { recursive: true, force: true });
  if (existsSync(target)) renameSync(target, old);
  renameSync(staging, target);
  rmSync(old, { recursive: true, force: true });
}
