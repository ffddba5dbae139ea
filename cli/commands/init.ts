import { existsSync, linkSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { parseConfig } from "../../lib/config/load";
import { apiOptionsFromEnv, BitbucketApi, BitbucketApiError, READ_SCOPES } from "../../lib/discovery/bitbucket-api";
import { discoverWorkspace } from "../../lib/discovery/discover";
import { starterConfig } from "../../lib/discovery/starter-config";
import { Command, CommandIo, EXIT, ParsedArgs, UsageError } from "../command";

/** The published schema: bitbucket-oidc.schema.json at the root of this package. */
export function packageSchemaPath(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "cdktf-bitbucket-oidc") {
      return join(dir, "bitbucket-oidc.schema.json");
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the cdktf-bitbucket-oidc package above ${from}`);
  }
}

/** The `$schema` reference from the folder of the written file (POSIX separators, `./` when local). */
function schemaRef(outputDir: string): string {
  const rel = relative(outputDir, packageSchemaPath()).split(sep).join("/");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

export const initCommand: Command = {
  name: "init",
  help: `Usage: bitbucket-oidc init --workspace <slug> [--repositories <glob>...] [--account-id <id>]
                           [--region <region>] [--state-bucket <bucket>] [--output <file>|-] [--force]

Writes a starter bitbucket-oidc.yaml from Bitbucket Cloud's API: the workspace UUID, one role per
repository (named bitbucket-<repository slug>), trusting the repository's Production deployment
environment where it has one and the whole repository otherwise, with every UUID filled in.
Without --account-id, --region or --state-bucket it writes marked placeholders, and validate
names each one until it is filled in.

Credentials (from the environment; never printed):
  BITBUCKET_EMAIL + BITBUCKET_API_TOKEN   an Atlassian API token with the scopes
                                          ${READ_SCOPES.join(", ")} (recommended)
  BITBUCKET_TOKEN                         an access token (Bearer); a repository access token
                                          sees only its own repository
  BITBUCKET_API_URL                       the API root (default https://api.bitbucket.org/2.0;
                                          https only, except on 127.0.0.1)

Options:
  --workspace <slug>        the workspace (required)
  --repositories <glob>...  repository slugs to include, * and ? wildcards: several after one
                            --repositories (quote them for the shell), or the option repeated
                            (default: every repository)
  --account-id <id>         the 12-digit AWS account id of the roles
  --region <region>         the AWS region of the provider and the state bucket
  --state-bucket <bucket>   the S3 bucket for Terraform state
  -o, --output <file>|-     where to write (default: bitbucket-oidc.yaml; - prints to stdout)
  --force                   replace an existing file
  -h, --help                show this help

Exit codes: 0 written, 2 bad input, an existing file without --force, or a Bitbucket error
(401/403/404, rate limit), 3 internal error.

Example:
  BITBUCKET_EMAIL=me@example.com BITBUCKET_API_TOKEN=... \\
    bitbucket-oidc init --workspace acme --account-id 123456789012 --region eu-west-1 --state-bucket acme-terraform-state
`,
  options: {
    workspace: { type: "string" },
    repositories: { type: "string", multiple: true },
    "account-id": { type: "string" },
    region: { type: "string" },
    "state-bucket": { type: "string" },
    output: { type: "string", short: "o" },
    force: { type: "boolean" },
  },
  // `--repositories 'web-*' 'api-*'`: the globs after the first arrive as positionals.
  allowPositionals: true,
  run: (args, io) => reportingApiErrors("init", io, () => init(args, io)),
};

/** Runs a command that reads Bitbucket's API: its errors are input errors (exit 2), printed as they are. */
export async function reportingApiErrors(name: string, io: CommandIo, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof BitbucketApiError)) throw e;
    io.stderr(`bitbucket-oidc ${name}: ${e.message}\n`);
    return EXIT.badInput;
  }
}

async function init(args: ParsedArgs, io: CommandIo): Promise<number> {
  const workspace = args.values.workspace as string | undefined;
  if (!workspace) throw new UsageError("--workspace <slug> is required");
  const globs = [...((args.values.repositories as string[] | undefined) ?? []), ...args.positionals];
  if (args.positionals.length > 0 && args.values.repositories === undefined) {
    throw new UsageError(`unexpected argument "${args.positionals[0]}"; repository globs go after --repositories`);
  }
  const output = (args.values.output as string | undefined) ?? "bitbucket-oidc.yaml";
  const target = output === "-" ? undefined : resolve(io.cwd, output);
  if (target && existsSync(target) && args.values.force !== true) {
    io.stderr(`bitbucket-oidc init: ${output} exists; pass --force to replace it, or --output <file> to write elsewhere\n`);
    return EXIT.badInput;
  }
  const progress = (line: string): void => io.stderr(`init: ${line}\n`);
  const api = new BitbucketApi({ ...apiOptionsFromEnv(io.env), progress });
  const found = await discoverWorkspace(api, workspace, globs, progress);
  if (api.usesAccessToken && found.listed === 1) {
    progress(`BITBUCKET_TOKEN sees one repository (${found.repositories[0].repository.slug}): a repository access token covers only its own repository, so this config does too`);
  }
  const commandLine = ["bitbucket-oidc init", "--workspace", workspace, ...(globs.length > 0 ? ["--repositories", ...globs] : [])].join(" ");
  const config = starterConfig(found.workspace, found.repositories, {
    accountId: args.values["account-id"] as string | undefined,
    region: args.values.region as string | undefined,
    stateBucket: args.values["state-bucket"] as string | undefined,
    schemaRef: schemaRef(target ? dirname(target) : io.cwd),
    commandLine,
  });
  for (const rename of config.renames) progress(rename);
  // What init writes passes validate as written, apart from the placeholders it names.
  if (config.placeholders.length === 0) parseConfig(config.text, output === "-" ? "(init output)" : output);
  if (!target) {
    io.stdout(config.text);
  } else {
    const temp = `${target}.tmp-${process.pid}`;
    try {
      writeFileSync(temp, config.text, { flag: "wx" });
      // Without --force, a file that appeared meanwhile is kept: link fails where rename would replace.
      if (args.values.force === true) renameSync(temp, target);
      else linkSync(temp, target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      io.stderr(`bitbucket-oidc init: ${output} exists; pass --force to replace it, or --output <file> to write elsewhere\n`);
      return EXIT.badInput;
    } finally {
      rmSync(temp, { force: true });
    }
    io.stdout(`wrote ${output}: ${found.repositories.length} role${found.repositories.length === 1 ? "" : "s"} for workspace ${found.workspace.slug}\n`);
  }
  io.stderr(
    config.placeholders.length > 0
      ? `Next: fill in ${config.placeholders.join(", ")} (marked <fill in: ...>), then bitbucket-oidc validate --config ${output === "-" ? "<file>" : output}\n`
      : `Next: give each role its grants, then bitbucket-oidc validate --config ${output === "-" ? "<file>" : output} && bitbucket-oidc synth --config ${output === "-" ? "<file>" : output}\n`,
  );
  return EXIT.ok;
}
