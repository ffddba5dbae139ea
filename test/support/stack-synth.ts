/**
 * Test support: synthesize a stack built by hand in code (as a host project would), with the same
 * error handling as `bitbucket-oidc synth`: error annotations become a SynthError listing readable
 * findings. For roles built with the plain AWS provider classes next to (or without) our constructs.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SynthError } from "../../cli/app/synthesize";
import { reportOf } from "../../lib/guardrails/report";
import { TerraformJson } from "./synth";

/** What a successful synth of a hand-built stack produced. */
export interface StackOutput {
  readonly json: TerraformJson;
  /** Warning annotations, `<construct path>: <message>`. */
  readonly warnings: readonly string[];
}

/**
 * Builds a stack (with an AWS provider in us-east-1) in a fresh App, synthesizes it into a temporary
 * folder that is always removed, and returns its JSON and warnings; throws SynthError on findings.
 */
export function synthStack(build: (stack: TerraformStack) => void): StackOutput {
  const outdir = mkdtempSync(join(tmpdir(), "bbo-stack-"));
  delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  try {
    const app = new App({ outdir, context: { "@cdktf/disable_stack_trace_in_metadata": true } });
    const stack = new TerraformStack(app, "host");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    build(stack);
    try {
      app.synth();
    } catch (e) {
      const findings = synthErrorsIn(app);
      if (findings.length > 0) throw new SynthError(findings);
      throw e;
    }
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
      stacks: Record<string, { annotations?: { constructPath: string; level: string; message: string }[] }>;
    };
    return {
      json: JSON.parse(readFileSync(join(outdir, "stacks", "host", "cdk.tf.json"), "utf8")) as TerraformJson,
      warnings: (manifest.stacks.host.annotations ?? []).filter((a) => a.level === "@cdktf/warn").map((a) => `${a.constructPath}: ${a.message}`),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * After a synth that threw: what stopped it, read from the construct tree as `bitbucket-oidc synth`
 * reads it (failed validations, then guardrail findings from their records and other error annotations).
 */
export function synthErrorsIn(app: App): string[] {
  const validations = app.node.findAll().flatMap((node) => node.node.validate().map((message) => `${node.node.path}: ${message}`));
  return [...validations, ...reportOf(app).errors];
}
