/**
 * Test support for review: synthesize configs into folders the command reads, and run the real
 * `bitbucket-oidc review` command (in process, through the CLI entry point) capturing its output.
 */
import { BitbucketOidcConfigInput, RoleConfig } from "../../lib/config/model";
import { ReviewReport } from "../../lib/review/report";
import { CliRun, runCliIn } from "../support/run-cli";
import { baseConfig, synthConfig, Synthesized, UUIDS } from "../support/synth";

/** What a command run printed and returned. */
export type CommandRun = CliRun;

/** Runs `bitbucket-oidc <argv>` in process, with stderr not a terminal. */
export function runCommand(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CommandRun> {
  return runCliIn(argv, { env });
}

/** `review --json` of a synth against a base; fails the test on a non-zero exit. */
export async function reviewJson(head: Synthesized, base?: Synthesized): Promise<ReviewReport> {
  const run = await runCommand(["review", "--synth", synthFolder(head), ...(base ? ["--base", synthFolder(base)] : []), "--json"]);
  if (run.code !== 0) throw new Error(`review exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as ReviewReport;
}

/** The cdktf.out folder of a synth. */
export function synthFolder(out: Synthesized): string {
  return `${out.outdir}/cdktf.out`;
}

export const ECR_REPOSITORY_ARN = "arn:aws:ecr:us-east-1:123456789012:repository/web-app";
export const BOUNDARY_ARN = "arn:aws:iam::123456789012:policy/pipeline-boundary";
export const WORKSPACE_AUDIENCE = "ari:cloud:bitbucket::workspace/8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60";
export const CUSTOM_AUDIENCE = "sts.amazonaws.com";

/** The role every pair starts from: two repositories (one bound to an environment), three ECR actions, an IP range, a boundary. */
export function deployRole(overrides: Partial<RoleConfig> = {}): RoleConfig {
  return {
    name: "bitbucket-deploy",
    repositories: [
      { uuid: UUIDS.repoA, name: "web-app" },
      { uuid: UUIDS.repoB, name: "infra-live", environments: [{ uuid: UUIDS.envProduction, name: "production" }] },
    ],
    audiences: [WORKSPACE_AUDIENCE],
    sourceIps: ["104.192.136.0/24"],
    permissionsBoundary: BOUNDARY_ARN,
    maxSessionDuration: 3600,
    managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
    statements: [
      { actions: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"], resources: [ECR_REPOSITORY_ARN] },
    ],
    ...overrides,
  };
}

/** A config with the given roles and a provider accepting two audiences. */
export function pairConfig(roles: RoleConfig[]): BitbucketOidcConfigInput {
  return baseConfig({ provider: { audiences: [WORKSPACE_AUDIENCE, CUSTOM_AUDIENCE] }, roles });
}

/** A token of markdown-it's parse. */
export interface Token {
  type: string;
  tag: string;
  content: string;
  children: Token[] | null;
}

/** markdown-it (a CommonMark renderer) ships no type declarations; this is the part of its API the tests use. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const MarkdownIt: new (options?: object) => { render(src: string): string; parse(src: string, env: object): Token[] } = require("markdown-it");

export { synthConfig, UUIDS };
