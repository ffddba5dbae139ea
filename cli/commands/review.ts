import { renderReviewJson } from "../../lib/review/render-json";
import { renderReviewMarkdown } from "../../lib/review/render-markdown";
import { countChanges } from "../../lib/review/report";
import { buildReview } from "../../lib/review/review";
import { ReviewInputError } from "../../lib/review/load";
import { progressWanted, terminalProgress, NO_PROGRESS } from "../../lib/review/progress";
import { Command, EXIT, UsageError } from "../command";

export const reviewCommand: Command = {
  name: "review",
  help: `Usage: bitbucket-oidc review [--synth <folder>] [--base <folder>] [--plan <plan.json>]... [--json] [--fail-on widening]

Reads the access model synth writes next to each stack (<folder>/stacks/<stack>/access-model.json)
and prints, for each stack and role: who can assume it (workspace, repositories and environments by
name, source IPs, audience), session length, boundary, managed policies, every statement with its
actions (and how many they expand to) and resources, grants and guardrail acknowledgements.

With --base, compares against a second synth output (e.g. main's) and lists every change, widening
first: widening (a new repository, environment or role; a broader sub pattern; new actions or
resources; a longer session; a removed boundary or IP condition), narrowing, or neutral.

With --plan, adds what Terraform will do to each role, policy and the identity provider, from
"terraform show -json <planfile>"; replacing or destroying the identity provider is warned about at
the top.

Options:
  -s, --synth <folder>   synth output to review (default: cdktf.out)
  -b, --base <folder>    synth output to compare against
  -p, --plan <file>      JSON plan from "terraform show -json"; repeat for several stacks
      --json             print the report as JSON instead of Markdown
      --fail-on <what>   "widening": exit 1 when any change widens access (needs --base)
  -h, --help             show this help

Progress shows on stderr when it is a terminal, never in CI (CI=true) or when piped.

Exit codes: 0 report printed, 1 --fail-on widening and a change widens access, 2 bad input
(missing folder, no stacks, malformed access model or plan), 3 internal error.

Example:
  git worktree add ../main main && (cd ../main && npm ci && npm run synth)
  npm run synth && bitbucket-oidc review --base ../main/cdktf.out --fail-on widening > review.md
`,
  options: {
    synth: { type: "string", short: "s" },
    base: { type: "string", short: "b" },
    plan: { type: "string", short: "p", multiple: true },
    json: { type: "boolean" },
    "fail-on": { type: "string" },
  },
  async run(args, io) {
    const failOn = args.values["fail-on"] as string | undefined;
    const base = args.values.base as string | undefined;
    if (failOn !== undefined && failOn !== "widening") throw new UsageError(`--fail-on: ${JSON.stringify(failOn)}: expected "widening"`);
    if (failOn !== undefined && base === undefined) throw new UsageError("--fail-on widening compares two synths: give the other one with --base <folder>");
    const progress = progressWanted(io.stderrIsTTY, io.env) ? terminalProgress(io.stderr) : NO_PROGRESS;
    let report;
    try {
      report = await buildReview({
        synth: (args.values.synth as string | undefined) ?? "cdktf.out",
        base,
        planFiles: (args.values.plan as string[] | undefined) ?? [],
        progress,
      });
    } catch (e) {
      if (e instanceof ReviewInputError) {
        io.stderr(`bitbucket-oidc review: ${e.message}\n`);
        return EXIT.badInput;
      }
      throw e;
    }
    io.stdout(args.values.json === true ? renderReviewJson(report) : renderReviewMarkdown(report));
    const widening = countChanges(report.changes ?? []).widening;
    if (failOn === "widening" && widening > 0) {
      io.stderr(`bitbucket-oidc review: ${widening} change${widening === 1 ? "" : "s"} widen${widening === 1 ? "s" : ""} access (--fail-on widening)\n`);
      return EXIT.negative;
    }
    return EXIT.ok;
  },
};
