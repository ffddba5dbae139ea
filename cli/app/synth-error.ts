/**
 * The error synth and validate stop with. Its own module, so that the command line can recognise it
 * without loading the stacks and cdktf (which every other command would then pay for at start-up).
 */

/** Synth (or validate) stopped by findings: error annotations (guardrails) and failed construct validations. Nothing was written. */
export class SynthError extends Error {
  /** @param verb what stopped, e.g. "synth stopped" or "invalid" (validate) */
  constructor(readonly findings: readonly string[], verb = "synth stopped") {
    super(`${verb}: ${findings.length} error${findings.length === 1 ? "" : "s"}\n${findings.map((f) => `  - ${f}`).join("\n")}`);
    this.name = "SynthError";
  }
}
