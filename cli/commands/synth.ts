import { relative } from "node:path";
import { synthesize } from "../app/synthesize";
import { configPath, loadConfig } from "../../lib/config/load";
import { configSummary } from "../../lib/config/summary";
import { Command, EXIT } from "../command";

export const synthCommand: Command = {
  name: "synth",
  help: `Usage: bitbucket-oidc synth [--config <file>] [--output <folder>] [--quiet]

Validates the config, then synthesizes every stack to <folder>/stacks/<stack>/cdk.tf.json.
The output is replaced only when the whole synth succeeds: on any error the previous
output stays as it was.

Options:
  -c, --config <file>    config file (default: $BITBUCKET_OIDC_CONFIG, else bitbucket-oidc.yaml)
  -o, --output <folder>  output folder (default: $CDKTF_OUTDIR, else cdktf.out)
  -q, --quiet            print nothing but errors and warnings
  -h, --help             show this help

Exit codes: 0 written, 2 bad config or a finding that stops synth (nothing written), 3 internal error.

Example:
  bitbucket-oidc synth --config bitbucket-oidc.yaml
  terraform -chdir=cdktf.out/stacks/bitbucket-oidc init && terraform -chdir=cdktf.out/stacks/bitbucket-oidc plan
`,
  options: {
    config: { type: "string", short: "c" },
    output: { type: "string", short: "o" },
    quiet: { type: "boolean", short: "q" },
  },
  run(args, io) {
    const file = configPath(args.values.config as string | undefined, io.env);
    const outdir = (args.values.output as string | undefined) ?? (io.env.CDKTF_OUTDIR || "cdktf.out");
    const quiet = args.values.quiet === true;
    const config = loadConfig(file);
    if (!quiet) io.stderr(`bitbucket-oidc: ${file}: valid (${configSummary(config)})\n`);
    const result = synthesize(config, outdir);
    for (const warning of result.warnings) io.stderr(`WARNING ${warning}\n`);
    if (!quiet) {
      for (const stack of result.stacks) io.stderr(`bitbucket-oidc: wrote ${relative(io.cwd, stack.dir) || stack.dir}/cdk.tf.json\n`);
      const dirOf = (name: string): string | undefined => {
        const stack = result.stacks.find((s) => s.name === name);
        return stack ? relative(io.cwd, stack.dir) || stack.dir : undefined;
      };
      const main = dirOf(config.stack) ?? (relative(io.cwd, result.stacks[0].dir) || result.stacks[0].dir);
      const bootstrap = dirOf(`${config.stack}-state`);
      if (bootstrap) {
        io.stderr(`First time only: terraform -chdir=${bootstrap} init && terraform -chdir=${bootstrap} apply   (creates the state bucket; see README "Remote state")\n`);
      }
      const each = config.accounts ? ` (and likewise for each account's stack)` : "";
      io.stderr(`Next: terraform -chdir=${main} init && terraform -chdir=${main} plan${each}\n`);
    }
    return EXIT.ok;
  },
};
