import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { App, TerraformStack } from "cdktf";
import { buildStacks } from "../../stacks";
import { BitbucketOidcConfig } from "../config/model";
import { renderSynthError, synthErrorsOf } from "../guardrails/report";
import { checkOutputFolder, recoverOutputFolder, replaceOutputFolder, ReplaceOptions, stagingFolder } from "./output-folder";
import { OUTPUT_WRITERS } from "./output-writers";

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
}

/** Synth stopped by error annotations (guardrail findings and the like). Nothing was written. */
export class SynthError extends Error {
  constructor(readonly findings: readonly string[]) {
    super(`synth stopped: ${findings.length} error${findings.length === 1 ? "" : "s"}\n${findings.map((f) => `  - ${f}`).join("\n")}`);
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
 * which replaces `outdir` only when everything succeeded (see output-folder.ts). On failure the
 * previous output is intact. `outdir` must be absent, empty or an earlier synth output; files synth
 * did not write there (`.terraform/`, `.terraform.lock.hcl`, local state) are kept.
 */
export function synthesize(config: BitbucketOidcConfig, outdir: string, options: SynthOptions = {}): SynthResult {
  const target = resolve(outdir);
  recoverOutputFolder(target);
  checkOutputFolder(outdir, options.outputSource ?? "--output");
  const staging = stagingFolder(target);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(dirname(target), { recursive: true });
  // Error annotations must stop the synth here, even when the cdktf CLI asked to continue past them.
  delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  try {
    const app = buildApp(config, staging);
    try {
      app.synth();
    } catch (e) {
      const message = (e as Error).message;
      const findings = synthErrorsOf(message);
      if (findings.length > 0) throw new SynthError(findings);
      throw e;
    }
    const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
    const synthesized = stacks.map((stack) => ({ name: stack.node.id, dir: join("stacks", stack.node.id) }));
    for (const stack of stacks) {
      for (const write of OUTPUT_WRITERS) write({ config, stack, stackDir: join(staging, "stacks", stack.node.id) });
    }
    const warnings = readWarnings(staging);
    const { orphanStackFolders } = replaceOutputFolder(staging, target, options);
    return {
      stacks: synthesized.map((s) => ({ ...s, dir: join(outdir, s.dir) })),
      warnings,
      orphanStackFolders: orphanStackFolders.map((f) => join(outdir, f)),
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function readWarnings(outdir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { annotations?: { constructPath: string; level: string; message: string }[] }>;
  };
  return Object.values(manifest.stacks).flatMap((s) =>
    (s.annotations ?? []).filter((a) => a.level === "@cdktf/warn").map((a) => renderSynthError(a.constructPath, a.message)),
  );
}
