import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SynthError } from "../app/synthesize";
import { runSynthChecks } from "../app/synth-checks";
import { configPath, loadConfig } from "../../lib/config/load";
import { configSummary } from "../../lib/config/summary";
import { Command, EXIT } from "../command";

export const validateCommand: Command = {
  name: "validate",
  help: `Usage: bitbucket-oidc validate [--config <file>]

Checks the config against bitbucket-oidc.schema.json and IAM's rules and quotas, and prints
every problem with its file, line, field, value and what was expected. Then runs every check
synth runs (guardrails, quotas, construct validations) and prints the same errors and warnings;
it stops only short of writing. One exception: adopted resources need terraform on PATH at
synth; without it, validate says it skipped that check. Writes nothing.

Options:
  -c, --config <file>  config file (default: $BITBUCKET_OIDC_CONFIG, else bitbucket-oidc.yaml)
  -h, --help           show this help

Exit codes: 0 valid, 2 invalid (or unreadable, or a finding that stops synth), 3 internal error.

Example:
  bitbucket-oidc validate --config bitbucket-oidc.yaml
`,
  options: { config: { type: "string", short: "c" } },
  run(args, io) {
    const file = configPath(args.values.config as string | undefined, io.env);
    const config = loadConfig(resolve(io.cwd, file), file);
    const staging = mkdtempSync(join(tmpdir(), "bitbucket-oidc-validate-"));
    try {
      const outcome = runSynthChecks(config, join(staging, "cdktf.out"), "skip-if-missing");
      // As synth: errors alone when there are any, else the warnings.
      if (outcome.errors.length > 0) throw new SynthError(outcome.errors, `${file}: invalid`);
      for (const warning of outcome.warnings) io.stderr(`WARNING ${warning}\n`);
      for (const note of outcome.skipped) io.stderr(`bitbucket-oidc validate: ${note}\n`);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    io.stdout(`${file}: valid: ${configSummary(config)}\n`);
    return EXIT.ok;
  },
};
