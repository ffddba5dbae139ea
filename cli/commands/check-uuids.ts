import { resolve } from "node:path";
import { configPath, loadConfig } from "../../lib/config/load";
import { apiOptionsFromEnv, BitbucketApi } from "../../lib/discovery/bitbucket-api";
import { checkUuids } from "../../lib/discovery/uuid-check";
import { Command, CommandIo, EXIT, ParsedArgs } from "../command";
import { reportingApiErrors } from "./init";

export const checkUuidsCommand: Command = {
  name: "check-uuids",
  help: `Usage: bitbucket-oidc check-uuids [--config <file>]

Confirms with Bitbucket Cloud's API that every UUID in the config still belongs to the workspace,
repository and deployment environment it names. A repository deleted and created again gets a new
UUID, and the roles then trust nothing. Repositories are looked up by name where the config names
them, else by UUID; environments likewise. Same credentials as init (BITBUCKET_EMAIL +
BITBUCKET_API_TOKEN, or BITBUCKET_TOKEN; BITBUCKET_API_URL).

Options:
  -c, --config <file>  config file (default: $BITBUCKET_OIDC_CONFIG, else bitbucket-oidc.yaml)
  -h, --help           show this help

Exit codes: 0 every UUID matches, 1 a mismatch or a missing repository or environment (the current
UUIDs are printed), 2 bad input or a Bitbucket error, 3 internal error.

Example:
  BITBUCKET_EMAIL=me@example.com BITBUCKET_API_TOKEN=... bitbucket-oidc check-uuids
`,
  options: { config: { type: "string", short: "c" } },
  run: (args, io) => reportingApiErrors("check-uuids", io, () => checkUuidsRun(args, io)),
};

async function checkUuidsRun(args: ParsedArgs, io: CommandIo): Promise<number> {
  const file = configPath(args.values.config as string | undefined, io.env);
  const config = loadConfig(resolve(io.cwd, file));
  const progress = (line: string): void => io.stderr(`check-uuids: ${line}\n`);
  const api = new BitbucketApi({ ...apiOptionsFromEnv(io.env), progress });
  const findings = await checkUuids(config, api, progress);
  for (const f of findings) {
    io.stdout(
      f.ok
        ? `ok        ${f.what} ${f.configured}\n`
        : `MISMATCH  ${f.what}: the config has ${f.configured}, Bitbucket has ${f.current ?? "none"}${f.note ? ` (${f.note})` : ""}\n`,
    );
  }
  const bad = findings.filter((f) => !f.ok).length;
  io.stdout(bad === 0 ? `${file}: all ${findings.length} UUIDs match Bitbucket\n` : `${file}: ${bad} of ${findings.length} UUIDs do not match; put the current ones in the config\n`);
  return bad === 0 ? EXIT.ok : EXIT.negative;
}
