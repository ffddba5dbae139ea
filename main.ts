/**
 * The CDKTF app: config file -> validated config -> stacks -> Terraform JSON in cdktf.out.
 *
 * `cdktf synth` runs it through `node bin/bitbucket-oidc.js synth` (see cdktf.json), which rebuilds the
 * compiled JavaScript first when a source is newer. Run it directly with `npm run synth`.
 * The config file is $BITBUCKET_OIDC_CONFIG, else bitbucket-oidc.yaml.
 */
import { runCli } from "./cli/main";

export { buildApp, synthesize } from "./cli/app/synthesize";

if (require.main === module) {
  runCli(["synth", ...process.argv.slice(2)]).then((code) => {
    process.exitCode = code;
  });
}
