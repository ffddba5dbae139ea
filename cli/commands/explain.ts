import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { resolve } from "node:path";
import { SynthFolderError, readAccessModels } from "../../lib/explain/access-models";
import { explainToken, RoleSelectionError, selectRoles } from "../../lib/explain/explain";
import { renderJson } from "../../lib/explain/render-json";
import { renderText } from "../../lib/explain/render-text";
import { decodeToken, TokenInputError } from "../../lib/explain/token";
import { TokenVerifyError, Verification, verifyToken } from "../../lib/explain/verify";
import { Command, CommandIo, EXIT, UsageError } from "../command";

export const explainCommand: Command = {
  name: "explain",
  help: `Usage: bitbucket-oidc explain --token <file|-> [--role <name> [--stack <name>]] [--source-ip <ip>]
                              [--synth <folder>] [--verify [--jwks-url <url>]] [--json]

Reads a pipeline token (the JWT of $BITBUCKET_STEP_OIDC_TOKEN, saved to a file, or "-" for stdin)
and the access models of the synth output, and answers for every role ALLOWED or DENIED, as IAM's
policy evaluator decides for the role's trust policy. Each denial names the condition that failed
(issuer or workspace, audience, repository, deployment environment, source IP), with the token's
value next to what the role expects. It also lists the roles a step of the same repository would
get in another deployment environment. The token itself is never printed.

By default the token is only decoded: its signature is NOT checked. --verify checks signature,
issuer and expiry against the issuer's published keys, as STS does.

Options:
  -t, --token <file|->   the token: a file holding the JWT, or - to read it from stdin (required)
  -r, --role <name>      explain only this role; the exit code then answers for it
      --stack <name>     only roles of this stack (needed with --role when names repeat across stacks)
      --source-ip <ip>   the step's address, for aws:SourceIp conditions (a token carries none;
                         without it such conditions are reported as depending on the address)
  -s, --synth <folder>   the synth output (default: $CDKTF_OUTDIR, else cdktf.out)
      --verify           fetch the configured workspace's Bitbucket issuer's discovery document and
                         JWKS (never a host the token names), and verify the token's signature,
                         issuer and expiry (a token without exp fails)
      --jwks-url <url>   with --verify: take the keys from this JWKS URL instead (air-gapped checks;
                         https only, or http on 127.0.0.1)
      --json             machine-readable answer on stdout
  -h, --help             show this help

Exit codes:
  with --role:    0 the token can assume the role (also when that depends only on the step's
                  address), 1 it cannot, 2 bad input (unreadable or malformed token, failed
                  --verify, no synth output, unknown role), 3 internal error
  without --role: 0 the token can assume at least one role, 1 none, 2 bad input, 3 internal error

Example (a debug step; the token never reaches the log):
  (umask 077; f="$(mktemp)"; trap 'rm -f "$f"' EXIT; printf '%s' "$BITBUCKET_STEP_OIDC_TOKEN" > "$f"; \\
   npx --no bitbucket-oidc explain --token "$f" --role bitbucket-deploy-production)
`,
  options: {
    token: { type: "string", short: "t" },
    role: { type: "string", short: "r" },
    stack: { type: "string" },
    "source-ip": { type: "string" },
    synth: { type: "string", short: "s" },
    verify: { type: "boolean" },
    "jwks-url": { type: "string" },
    json: { type: "boolean" },
  },
  async run(args, io) {
    const v = args.values;
    const tokenArg = v.token as string | undefined;
    if (tokenArg === undefined || tokenArg === "") throw new UsageError('--token <file|-> is required: a file holding $BITBUCKET_STEP_OIDC_TOKEN, or "-" for stdin');
    const sourceIp = v["source-ip"] as string | undefined;
    if (sourceIp !== undefined && isIP(sourceIp) === 0) throw new UsageError(`--source-ip ${JSON.stringify(sourceIp)} is not an IPv4 or IPv6 address, e.g. 203.0.113.7`);
    const jwksUrl = v["jwks-url"] as string | undefined;
    if (jwksUrl !== undefined && v.verify !== true) throw new UsageError("--jwks-url only applies with --verify");
    const synthDir = resolve(io.cwd, (v.synth as string | undefined) ?? (io.env.CDKTF_OUTDIR || "cdktf.out"));
    const fail = (message: string): number => {
      io.stderr(`bitbucket-oidc explain: ${message}\n`);
      return EXIT.badInput;
    };
    try {
      const token = decodeToken(await readToken(tokenArg, io));
      const models = readAccessModels(synthDir);
      const selected = selectRoles(models, { stack: v.stack as string | undefined, role: v.role as string | undefined });
      let verification: Verification | undefined;
      if (v.verify === true) verification = await verifyToken(token.compact, token.iss, { jwksUrl, configuredIssuers: models.map((m) => m.model.provider.issuer) });
      const report = explainToken(token, models, selected, { sourceIp, verification });
      io.stdout(v.json === true ? renderJson(report) : renderText(report));
      return report.roles.some((r) => r.verdict !== "denied") ? EXIT.ok : EXIT.negative;
    } catch (e) {
      if (e instanceof TokenInputError) return fail(`${tokenArg === "-" ? "stdin" : tokenArg}: ${e.message}`);
      if (e instanceof TokenVerifyError) return fail(`--verify failed: ${e.message}`);
      if (e instanceof SynthFolderError || e instanceof RoleSelectionError || e instanceof TokenFileError) return fail(e.message);
      throw e;
    }
  },
};

class TokenFileError extends Error {}

async function readToken(arg: string, io: CommandIo): Promise<string> {
  if (arg === "-") return (io.stdin ?? readProcessStdin)();
  try {
    return readFileSync(resolve(io.cwd, arg), "utf8");
  } catch (e) {
    throw new TokenFileError(`cannot read the token file ${arg}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
