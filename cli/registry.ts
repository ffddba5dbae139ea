import type { Command } from "./command";

/**
 * A subcommand as `--help` lists it. Its module is loaded only when it runs, so that `synth` never
 * pays for the dependencies of `explain` (jose, the IAM simulator) or `review`.
 */
export interface CommandEntry {
  /** The subcommand, e.g. `synth`. */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Loads the command's module. */
  load(): Command;
}

/* eslint-disable @typescript-eslint/no-require-imports */
/** Every `bitbucket-oidc` subcommand, in the order `--help` lists them. Features add theirs here. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "init",
    summary: "write a starter config from Bitbucket's API: workspace, repository and environment UUIDs",
    load: () => (require("./commands/init") as typeof import("./commands/init")).initCommand,
  },
  {
    name: "synth",
    summary: "validate the config and write Terraform JSON to cdktf.out (all or nothing)",
    load: () => (require("./commands/synth") as typeof import("./commands/synth")).synthCommand,
  },
  {
    name: "validate",
    summary: "check a config file without synthesizing; reports every problem at once",
    load: () => (require("./commands/validate") as typeof import("./commands/validate")).validateCommand,
  },
  {
    name: "explain",
    summary: "which roles a pipeline token can assume, and for each denial the condition that failed",
    load: () => (require("./commands/explain") as typeof import("./commands/explain")).explainCommand,
  },
  {
    name: "review",
    summary: "access report of who can assume what; with --base, a risk-ranked diff between two synths",
    load: () => (require("./commands/review") as typeof import("./commands/review")).reviewCommand,
  },
  {
    name: "snippet",
    summary: "print the Bitbucket Pipelines step for one role, ready to paste",
    load: () => (require("./commands/snippet") as typeof import("./commands/snippet")).snippetCommand,
  },
  {
    name: "migrate",
    summary: "turn a role made by hand (aws iam output) into the config entry that adopts it",
    load: () => (require("./commands/migrate") as typeof import("./commands/migrate")).migrateCommand,
  },
  {
    name: "check-uuids",
    summary: "confirm with Bitbucket's API that every UUID of the config still names its repository and environment",
    load: () => (require("./commands/check-uuids") as typeof import("./commands/check-uuids")).checkUuidsCommand,
  },
];
