import { configPath, loadConfig } from "../../lib/config/load";
import { configSummary } from "../../lib/config/summary";
import { Command, EXIT } from "../command";

export const validateCommand: Command = {
  name: "validate",
  help: `Usage: bitbucket-oidc validate [--config <file>]

Checks the config against bitbucket-oidc.schema.json and IAM's rules and quotas, and prints
every problem with its file, line, field, value and what was expected. Writes nothing.

Options:
  -c, --config <file>  config file (default: $BITBUCKET_OIDC_CONFIG, else bitbucket-oidc.yaml)
  -h, --help           show this help

Exit codes: 0 valid, 2 invalid (or unreadable), 3 internal error.

Example:
  bitbucket-oidc validate --config bitbucket-oidc.yaml
`,
  options: { config: { type: "string", short: "c" } },
  run(args, io) {
    const file = configPath(args.values.config as string | undefined, io.env);
    const config = loadConfig(file);
    io.stdout(`${file}: valid: ${configSummary(config)}\n`);
    return EXIT.ok;
  },
};
