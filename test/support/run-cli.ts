/**
 * Runs `bitbucket-oidc <argv>` in process: the same `runCli` the binary runs, with its output
 * captured, in a given folder and environment, stderr not a terminal. Tests that need the real bin
 * (exit codes through the shell, a killed process, a closed pipe, memory of its own) spawn it instead.
 */
import { runCli } from "../../cli/main";

/** What one command run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where and how to run. */
export interface CliRunOptions {
  /** The folder the command runs in (relative paths are read against it). @default process.cwd() */
  readonly cwd?: string;
  /** The command's whole environment. @default `{ CHECKPOINT_DISABLE: "1", PATH }` */
  readonly env?: NodeJS.ProcessEnv;
  /** Standard input, for `-` arguments. @default none */
  readonly stdin?: string;
}

export async function runCliIn(argv: string[], options: CliRunOptions = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const { stdin } = options;
  const code = await runCli(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: options.env ?? { CHECKPOINT_DISABLE: "1", PATH: process.env.PATH },
    cwd: options.cwd ?? process.cwd(),
    stdin: stdin === undefined ? undefined : async () => stdin,
  });
  return { code, stdout, stderr };
}
