import { parseArgs, ParseArgsConfig } from "node:util";

/** Exit codes of every subcommand: 0 ok, 1 a negative answer, 2 bad input, 3 an internal error. */
export const EXIT = { ok: 0, negative: 1, badInput: 2, internal: 3 } as const;

/** Where a command writes: stdout for its answer, stderr for progress and problems. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** True when stderr is a terminal (progress lines are shown only there). @default false */
  readonly stderrIsTTY?: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Reads all of standard input (for `-` arguments). @default process.stdin */
  readonly stdin?: () => Promise<string>;
}

/** One `bitbucket-oidc` subcommand. */
export interface Command {
  /** The subcommand, e.g. `synth`. */
  readonly name: string;
  /** The full `--help` text: usage, options, exit codes, an example. */
  readonly help: string;
  /** Options for node's `parseArgs` (`--help` is added for every command). */
  readonly options: NonNullable<ParseArgsConfig["options"]>;
  /** Whether positional arguments are accepted. @default false */
  readonly allowPositionals?: boolean;
  /** Runs the command; returns its exit code. */
  run(args: ParsedArgs, io: CommandIo): Promise<number> | number;
}

/** Parsed options and positionals. */
export interface ParsedArgs {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: string[];
}

/** A usage mistake: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Parses argv for a command; unknown options and stray arguments are usage errors. */
export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs | "help" {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
    if (values.help) return "help";
    return { values: values as ParsedArgs["values"], positionals };
  } catch (e) {
    throw new UsageError((e as Error).message.split("\n")[0]);
  }
}
