import { AccessModel, AccessRole } from "../../lib/access-model/access-model";
import { readAccessModels } from "../../lib/pipelines/read-access-models";
import { renderSnippet } from "../../lib/pipelines/render";
import { Command, EXIT, UsageError } from "../command";

export const snippetCommand: Command = {
  name: "snippet",
  help: `Usage: bitbucket-oidc snippet <role> [--stack <name>] [--synth <folder>] [--debug]

Prints the Bitbucket Pipelines step(s) for a role, as synth writes them to
<folder>/stacks/<stack>/pipelines/<role>.yml: the atlassian/aws-ecr-push-image pipe for a
role with an ecrPush grant that pushes (not pullOnly), else a step that exports AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE
and AWS_ROLE_SESSION_NAME for the AWS CLI, SDKs and Terraform. Every step has oidc: true; a
role bound to a deployment environment gets deployment: <environment name>. Nothing secret is
printed by the step. Reads the synth output: run "bitbucket-oidc synth" first.

Options:
  --stack <name>      the stack, when several stacks have a role of that name
  --synth <folder>    synth output folder (default: $CDKTF_OUTDIR, else cdktf.out)
  --debug             start each step with "bitbucket-oidc explain --role <role>" on the step's
                      token: a pre-flight check that names the failed condition (token not printed)
  -h, --help          show this help

Exit codes: 0 printed, 2 no such role or stack, no synth output, or an ambiguous role name,
3 internal error.

Example:
  bitbucket-oidc synth && bitbucket-oidc snippet bitbucket-deploy-production
  bitbucket-oidc snippet bitbucket-deploy-production --debug
`,
  options: { stack: { type: "string" }, synth: { type: "string" }, debug: { type: "boolean" } },
  allowPositionals: true,
  run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError(`expected exactly one role name, got ${args.positionals.length}`);
    const [roleName] = args.positionals;
    const stackName = args.values.stack as string | undefined;
    const synthDir = (args.values.synth as string | undefined) ?? (io.env.CDKTF_OUTDIR || "cdktf.out");
    const models = readAccessModels(synthDir);
    if (models.length === 0) {
      io.stderr(`bitbucket-oidc snippet: no synth output in ${synthDir} (no stacks/<stack>/access-model.json); run "bitbucket-oidc synth" first or pass --synth <folder>\n`);
      return EXIT.badInput;
    }
    const inStacks = stackName === undefined ? models : models.filter((m) => m.stack === stackName);
    if (inStacks.length === 0) {
      io.stderr(`bitbucket-oidc snippet: --stack "${stackName}": no such stack in ${synthDir}; expected one of: ${models.map((m) => m.stack).join(", ")}\n`);
      return EXIT.badInput;
    }
    const matches: { model: AccessModel; role: AccessRole }[] = inStacks.flatMap((model) =>
      model.roles.filter((r) => r.name === roleName).map((role) => ({ model, role })),
    );
    if (matches.length === 0) {
      const known = inStacks.flatMap((m) => m.roles.map((r) => (models.length > 1 ? `${r.name} (stack ${m.stack})` : r.name)));
      io.stderr(`bitbucket-oidc snippet: role "${roleName}": no such role in ${synthDir}; expected one of: ${known.join(", ")}\n`);
      return EXIT.badInput;
    }
    if (matches.length > 1) {
      io.stderr(`bitbucket-oidc snippet: role "${roleName}" is in stacks ${matches.map((m) => m.model.stack).join(", ")}; choose one with --stack <name>\n`);
      return EXIT.badInput;
    }
    io.stdout(renderSnippet(matches[0].model, matches[0].role, { debug: args.values.debug === true }));
    return EXIT.ok;
  },
};
