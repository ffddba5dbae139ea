import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ExportedText, readExportedRole } from "../../lib/adoption/aws-cli-output";
import { findingLines, renderMigrationYaml, verdict } from "../../lib/adoption/migration-report";
import { migrateRole } from "../../lib/adoption/role-entry";
import { ProblemList, throwIfProblems } from "../../lib/core/problems";
import { Command, EXIT, UsageError } from "../command";

export const migrateCommand: Command = {
  name: "migrate",
  help: `Usage: bitbucket-oidc migrate --get-role <file> --attached <file> --inline <file> [--policy <file>]...

Reads what the AWS CLI prints for a role made by hand and writes, on stdout, the config entry
that adopts it: provider (existingArn, adopt: true), workspace, aws.accountId, and the role with
adopt: true, its repositories and environments parsed out of the trust policy's sub patterns,
its managed and inline policies. Everything it cannot carry over exactly is listed, in the YAML
header and on stderr, saying which way the generated role will differ:
  NARROWED  the existing role is wider than what we generate (e.g. sub "*", no aud, ForAllValues)
  WIDER     a restriction we do not model is left out (e.g. a condition on another key)
  REMOVED   something the config cannot hold, which the plan removes (e.g. an inline policy
            whose document was not given)
  CHECK     carried over, check by hand

Export the role first (AWS CLI v2; "-" reads one of them from stdin):
  aws iam get-role --role-name NAME > role.json
  aws iam list-attached-role-policies --role-name NAME > attached.json
  aws iam list-role-policies --role-name NAME > inline.json
  aws iam get-role-policy --role-name NAME --policy-name POLICY > policy-POLICY.json   (each inline policy)

Options:
  --get-role <file>   output of aws iam get-role (the trust policy may be URL-encoded or JSON)
  --attached <file>   output of aws iam list-attached-role-policies
  --inline <file>     output of aws iam list-role-policies
  --policy <file>     output of aws iam get-role-policy, once per inline policy
  -h, --help          show this help

Exit codes: 0 converted cleanly, 1 converted with warnings (the existing role is wider than what
we generate, or parts cannot be expressed), 2 bad input (nothing written), 3 internal error.

Example:
  bitbucket-oidc migrate --get-role role.json --attached attached.json --inline inline.json \\
    --policy policy-deploy.json > adopt-bitbucket-deploy.yaml
`,
  options: {
    "get-role": { type: "string" },
    attached: { type: "string" },
    inline: { type: "string" },
    policy: { type: "string", multiple: true },
  },
  run(args, io) {
    const missing = ["get-role", "attached", "inline"].filter((o) => typeof args.values[o] !== "string");
    if (missing.length > 0) {
      throw new UsageError(`missing ${missing.map((o) => `--${o}`).join(", ")}: all three exports are needed, since an adopted role keeps only the policies the config lists`);
    }
    const files = [args.values["get-role"], args.values.attached, args.values.inline, ...((args.values.policy as string[] | undefined) ?? [])] as string[];
    if (files.filter((f) => f === "-").length > 1) throw new UsageError('only one input can be read from stdin ("-")');
    const list = new ProblemList();
    const read = (file: string): ExportedText => {
      if (file === "-") return { source: "stdin", text: readFileSync(0, "utf8") };
      try {
        return { source: file, text: readFileSync(resolve(io.cwd, file), "utf8") };
      } catch (e) {
        list.add(file, file, `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        return { source: file, text: "" };
      }
    };
    const [getRole, attached, inline, ...policies] = files.map(read);
    throwIfProblems("bitbucket-oidc migrate", list);
    const migration = migrateRole(readExportedRole({ getRole, attached, inline, policies }));
    io.stdout(renderMigrationYaml(migration));
    io.stderr(`bitbucket-oidc migrate: ${migration.entry.roles[0].name}: ${verdict(migration)}\n`);
    for (const line of findingLines(migration.findings)) io.stderr(`  - ${line}\n`);
    return migration.findings.length > 0 ? EXIT.negative : EXIT.ok;
  },
};
