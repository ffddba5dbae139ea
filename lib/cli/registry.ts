import { Command } from "./command";
import { explainCommand } from "./commands/explain";
import { reviewCommand } from "./commands/review";
import { synthCommand } from "./commands/synth";
import { validateCommand } from "./commands/validate";

/** Every `bitbucket-oidc` subcommand, in the order `--help` lists them. Features add theirs here. */
export const COMMANDS: readonly Command[] = [synthCommand, validateCommand, explainCommand, reviewCommand];
