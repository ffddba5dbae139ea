/**
 * The starter `bitbucket-oidc.yaml` that `init` writes from what Bitbucket's API says: one role per
 * repository, trusting its Production deployment environment(s) where it has one, and the whole
 * repository otherwise. Every text from Bitbucket is written as a double-quoted YAML scalar (names
 * such as `yes`, `null`, `#x` or `a: b` stay strings) and cleaned of line breaks in comments.
 */
import { terraformId } from "../core/terraform-id";
import { placeholder } from "../config/placeholders";
import type { Environment, Repository, Workspace } from "./bitbucket-api";

/** IAM's limit on a role name. */
const ROLE_NAME_MAX = 64;

/** A repository with its deployment environments. */
export interface DiscoveredRepository {
  readonly repository: Repository;
  readonly environments: readonly Environment[];
}

/** What fills the AWS fields; missing ones become placeholders that `validate` names. */
export interface StarterOptions {
  /** @example "123456789012" */
  readonly accountId?: string;
  /** @example "eu-west-1" */
  readonly region?: string;
  /** @example "acme-terraform-state" */
  readonly stateBucket?: string;
  /** The `$schema` reference, relative to the written file. @example "node_modules/cdktf-bitbucket-oidc/bitbucket-oidc.schema.json" */
  readonly schemaRef: string;
  /** The command line that wrote it, for the header. @example "bitbucket-oidc init --workspace acme" */
  readonly commandLine: string;
}

/** The config text, and the renames made to keep names unique (for stderr). */
export interface StarterConfig {
  readonly text: string;
  readonly renames: readonly string[];
  /** The fields left as placeholders. */
  readonly placeholders: readonly string[];
}

/** A double-quoted YAML scalar (JSON's string syntax is valid YAML). */
const q = (s: string): string => JSON.stringify(s);
/** Text for a YAML comment: one line, no control characters. */
const comment = (s: string): string => s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").trim();

/** Is an environment of Bitbucket's Production type? */
export const isProduction = (e: Environment): boolean => (e.environment_type?.name ?? "").toLowerCase() === "production";

/**
 * Role names `bitbucket-<slug>`, cut to 64 characters; a name that collides (IAM compares names
 * case-insensitively) or maps to the same Terraform address as an earlier one gets `-2`, `-3`, ...
 */
export function roleNames(slugs: readonly string[]): { names: string[]; renames: string[] } {
  const taken = new Set<string>();
  const renames: string[] = [];
  const keys = (n: string): string[] => [`iam:${n.toLowerCase()}`, `tf:${terraformId(n)}`];
  const names = slugs.map((slug) => {
    const base = `bitbucket-${slug}`.slice(0, ROLE_NAME_MAX);
    let name = base;
    for (let i = 2; keys(name).some((k) => taken.has(k)); i++) {
      const suffix = `-${i}`;
      name = `${base.slice(0, ROLE_NAME_MAX - suffix.length)}${suffix}`;
    }
    if (name !== `bitbucket-${slug}`) renames.push(`repository "${slug}": role named ${name}${name.startsWith(base) && name !== base ? ` (${base} is taken by another repository's role or Terraform address)` : " (cut to IAM's 64 characters)"}`);
    for (const k of keys(name)) taken.add(k);
    return name;
  });
  return { names, renames };
}

/** Writes the starter config. */
export function starterConfig(workspace: Workspace, repos: readonly DiscoveredRepository[], options: StarterOptions): StarterConfig {
  const placeholders: string[] = [];
  const fill = (field: string, value: string | undefined, what: string): string => {
    if (value !== undefined) return q(value);
    placeholders.push(field);
    return q(placeholder(what));
  };
  // Code-point order: the same on every machine, whatever its locale.
  const sorted = [...repos].sort((a, b) => (a.repository.slug < b.repository.slug ? -1 : a.repository.slug > b.repository.slug ? 1 : 0));
  const { names, renames } = roleNames(sorted.map((r) => r.repository.slug));
  const region = fill("aws.region", options.region, "your AWS region, e.g. eu-west-1 (or run init with --region)");
  const accountId = fill("aws.accountId", options.accountId, "your 12-digit AWS account id (or run init with --account-id)");
  const bucket = fill("state.bucket", options.stateBucket, "the S3 bucket for Terraform state (or run init with --state-bucket)");
  const lines = [
    `# yaml-language-server: $schema=${options.schemaRef}`,
    "#",
    `# Written by \`${comment(options.commandLine)}\` from Bitbucket's API: workspace ${comment(workspace.slug)},`,
    `# ${sorted.length} ${sorted.length === 1 ? "repository" : "repositories"}. One role per repository; it trusts the repository's Production`,
    "# deployment environment where it has one, and every step of the repository otherwise.",
    "# Next: give each role what its job needs under grants: (see docs/grants.md), remove the roles",
    "# you do not need, then run: bitbucket-oidc validate && bitbucket-oidc synth",
    ...(placeholders.length > 0 ? ["# Fill in every value marked <fill in: ...>: validate names each one until it is set."] : []),
    "version: 1",
    `stack: ${q("bitbucket-oidc")}`,
    "",
    "workspace:",
    `  slug: ${q(workspace.slug)}`,
    `  uuid: ${q(workspace.uuid)}`,
    "",
    "aws:",
    `  region: ${region}`,
    `  accountId: ${accountId}`,
    "",
    "state:",
    `  bucket: ${bucket}`,
    `  key: ${q("bitbucket-oidc/terraform.tfstate")}`,
    `  region: ${region}`,
    "",
    "roles:",
  ];
  sorted.forEach(({ repository, environments }, i) => {
    const production = environments.filter(isProduction);
    const label = repository.full_name ?? `${workspace.slug}/${repository.slug}`;
    lines.push(
      `  # ${comment(label)}: ${environments.length} deployment environment${environments.length === 1 ? "" : "s"}${
        production.length > 0
          ? `; only steps deploying to ${production.map((e) => comment(e.name)).join(", ")} may assume it`
          : "; no Production environment, so every step of the repository (pull requests too) may assume it"
      }`,
      `  - name: ${q(names[i])}`,
      "    repositories:",
      `      - uuid: ${q(repository.uuid)}`,
      `        name: ${q(repository.slug)}`,
    );
    if (production.length > 0) {
      lines.push("        environments:");
      for (const e of production) lines.push(`          - uuid: ${q(e.uuid)}`, `            name: ${q(e.name)}`);
    }
  });
  return { text: `${lines.join("\n")}\n`, renames, placeholders: [...new Set(placeholders)] };
}
