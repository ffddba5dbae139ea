/**
 * The one place where a validated config is checked the way synth checks it: the stacks are built,
 * every Aspect (guardrails, quotas) runs, every construct validation runs, and the output writers run,
 * into a private staging folder. `synth` keeps that folder when nothing was found; `validate` always
 * throws it away. Both print exactly what this returns, so they cannot disagree.
 */
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import { buildStacks } from "../../stacks";
import { BitbucketOidcConfig } from "../../lib/config/model";
import { reportOf } from "../../lib/guardrails/report";
import { OUTPUT_WRITERS } from "./output-writers";
import { StagedFiles } from "./staged-files";

/**
 * How to treat the check that needs `terraform` on PATH: cdktf's version check of import blocks
 * (adopted resources). "run": a missing terraform is an error (synth). "skip-if-missing": a missing
 * terraform is reported in {@link SynthCheckOutcome.skipped} instead (validate).
 */
export type TerraformCheckMode = "run" | "skip-if-missing";

/** What checking a config found. */
export interface SynthCheckOutcome {
  /** The stacks, in the order they were built. */
  readonly stacks: readonly TerraformStack[];
  /** Findings that stop synth: guardrail errors and failed construct validations, rendered for people. */
  readonly errors: readonly string[];
  /** Warning annotations (acknowledged findings, BBO-P003, open roles, ...), rendered for people. */
  readonly warnings: readonly string[];
  /** Checks that could not run, one line each, e.g. the terraform version check without terraform. */
  readonly skipped: readonly string[];
}

/** cdktf's message when `terraform version` could not be run (import blocks need terraform >= 1.5). */
const TERRAFORM_MISSING = /^Could not determine version of terraform\b/;

/** The note a skipped terraform check prints. */
export const TERRAFORM_CHECK_SKIPPED =
  "terraform version check skipped: adopted resources (import blocks) need terraform >= 1.5 on PATH at synth, and terraform was not found; synth will fail until it is installed";

/**
 * Builds every stack of `config`, synthesizes them into `staging` (a folder nobody else reads) and
 * runs the output writers there, collecting every error and warning of every stack instead of
 * stopping at the first stack with one. Throws only on internal errors. `previousOutput`, the output
 * folder that `staging` will replace, lets the writers reuse its equal files (see StagedFiles).
 */
export function runSynthChecks(config: BitbucketOidcConfig, staging: string, terraform: TerraformCheckMode, previousOutput?: string): SynthCheckOutcome {
  // Error annotations are collected here, for every stack: cdktf must not stop at the first one.
  // The variable is read when a stack is constructed, so it is set only while the app is built.
  const previous = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = "1";
  let app: App;
  let stacks: TerraformStack[];
  try {
    // Validations run below, for every construct, so that one stack's failure does not hide another's findings.
    app = new App({ outdir: staging, skipValidation: true, context: { "@cdktf/disable_stack_trace_in_metadata": true } });
    stacks = buildStacks(app, config);
  } finally {
    if (previous === undefined) delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    else process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = previous;
  }
  app.synth();

  const errors: string[] = [];
  const skipped = new Set<string>();
  for (const node of app.node.findAll()) {
    for (const message of node.node.validate()) {
      if (terraform === "skip-if-missing" && TERRAFORM_MISSING.test(message)) skipped.add(TERRAFORM_CHECK_SKIPPED);
      else errors.push(`${node.node.path}: ${message}`);
    }
  }
  // Guardrail findings are read as the structured records on their roles, other annotations as they are.
  const report = reportOf(app);
  errors.push(...report.errors);
  const warnings = [...report.warnings];
  if (errors.length === 0) {
    const files = new StagedFiles(staging, previousOutput);
    for (const stack of stacks) {
      for (const write of OUTPUT_WRITERS) write({ config, stack, stackDir: join(staging, "stacks", stack.node.id), files });
    }
  }
  return { stacks, errors, warnings, skipped: [...skipped] };
}
