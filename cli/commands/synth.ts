import { relative, resolve } from "node:path";
import { recoverOutputFolder } from "../app/output-folder";
import { synthesize } from "../app/synthesize";
import { configPath, loadConfig } from "../../lib/config/load";
import { configSummary } from "../../lib/config/summary";
import { Command, EXIT } from "../command";

export const synthCommand: Command = {
  name: "synth",
  help: `Usage: bitbucket-oidc synth [--config <file>] [--output <folder>] [--quiet]

Validates the config, then synthesizes every stack to <folder>/stacks/<stack>/cdk.tf.json.
The output is replaced only when the whole synth succeeds: on any error the previous
output stays as it was. <folder> must be absent, empty or an earlier synth output; files
synth did not write there (.terraform/, .terraform.lock.hcl, local state) are kept.
Progress goes to stdout; warnings and errors to stderr.

Options:
  -c, --config <file>    config file (default: $BITBUCKET_OIDC_CONFIG, else bitbucket-oidc.yaml)
  -o, --output <folder>  output folder (default: $CDKTF_OUTDIR, else cdktf.out)
  -q, --quiet            print nothing but errors and warnings
  -h, --help             show this help

Exit codes: 0 written, 2 bad config, an output folder that is not synth's, or a finding that
stops synth (nothing written), 3 internal error.

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
    const given = args.values.output as string | undefined;
    const outdir = given ?? (io.env.CDKTF_OUTDIR || "cdktf.out");
    const quiet = args.values.quiet === true;
    // The cdktf CLI runs this app with CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS set, shows every line on
    // stderr as [ERROR], and removes the folders of stacks that are gone itself (failing if one is missing).
    const underCdktf = io.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined;
    // Paths are the caller's, relative to its folder (io.cwd); messages show them as given.
    const target = resolve(io.cwd, outdir);
    // A run cut short earlier left its output aside: put it back first, even if this config is bad.
    recoverOutputFolder(target);
    const config = loadConfig(resolve(io.cwd, file), file);
    if (!quiet) io.stdout(`bitbucket-oidc: ${file}: valid (${configSummary(config)})\n`);
    const outputSource = given !== undefined ? "--output" : io.env.CDKTF_OUTDIR ? "CDKTF_OUTDIR" : "--output";
    const result = synthesize(config, target, { outputSource, outputShownAs: outdir, keepOrphanStackFolders: underCdktf });
    for (const warning of result.warnings) io.stderr(`WARNING ${warning}\n`);
    const show = (dir: string): string => relative(io.cwd, dir) || dir;
    for (const orphan of result.orphanStackFolders) {
      io.stderr(
        underCdktf
          ? `WARNING ${show(orphan)}: this stack is no longer synthesized; the cdktf CLI now deletes its folder, with its Terraform files (run "bitbucket-oidc synth" instead to keep them)\n`
          : `WARNING ${show(orphan)}: this stack is no longer synthesized; kept its Terraform files (.terraform.lock.hcl, local state): remove the folder once its resources are destroyed or moved\n`,
      );
    }
    if (!quiet) {
      for (const stack of result.stacks) io.stdout(`bitbucket-oidc: wrote ${show(stack.dir)}/cdk.tf.json\n`);
      const dirOf = (name: string): string | undefined => {
        const stack = result.stacks.find((s) => s.name === name);
        return stack ? show(stack.dir) : undefined;
      };
      const main = dirOf(config.stack) ?? show(result.stacks[0].dir);
      const bootstrap = dirOf(`${config.stack}-state`);
      if (bootstrap) {
        io.stdout(`First time only: terraform -chdir=${bootstrap} init && terraform -chdir=${bootstrap} apply   (creates the state bucket; see docs/state.md, "The state bucket: bootstrap stack")\n`);
      }
      const each = config.accounts ? ` (and likewise for each account's stack)` : "";
      io.stdout(`Next: terraform -chdir=${main} init && terraform -chdir=${main} plan${each}\n`);
    }
    return EXIT.ok;
  },
};
