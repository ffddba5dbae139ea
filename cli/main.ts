import { AccessModelError } from "../lib/access-model/read-access-model";
import { SynthError } from "./app/synth-error";
import { ValidationError } from "../lib/core/problems";
import { CommandIo, EXIT, parseCommandArgs, UsageError } from "./command";
import { quietOnClosedPipe } from "./closed-pipe";
import { CommandEntry, COMMANDS } from "./registry";
import { missingDependencyMessage } from "./optional-dependencies";

function usage(commands: readonly CommandEntry[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `Usage: bitbucket-oidc <command> [options]

Bitbucket Pipelines OIDC to AWS IAM, as code.

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

Run "bitbucket-oidc <command> --help" for a command's options.
Exit codes: 0 ok, 1 a negative answer, 2 bad input, 3 internal error.
`;
}

/** Runs the CLI with argv (without node and script); returns the exit code. Never throws. */
export async function runCli(argv: string[], io: CommandIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.stderr : io.stdout)(usage(COMMANDS));
    return name === undefined ? EXIT.badInput : EXIT.ok;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`bitbucket-oidc: unknown command "${name}"; expected one of: ${COMMANDS.map((c) => c.name).join(", ")}\n`);
    return EXIT.badInput;
  }
  let command;
  try {
    command = entry.load();
  } catch (e) {
    const missing = missingDependencyMessage(entry.name, e);
    if (missing === undefined) throw e;
    io.stderr(missing);
    return EXIT.badInput;
  }
  try {
    const args = parseCommandArgs(command, rest);
    if (args === "help") {
      io.stdout(command.help);
      return EXIT.ok;
    }
    return await command.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`bitbucket-oidc ${command.name}: ${e.message}\nRun "bitbucket-oidc ${command.name} --help" for usage.\n`);
      return EXIT.badInput;
    }
    if (e instanceof ValidationError || e instanceof SynthError || e instanceof AccessModelError) {
      io.stderr(`bitbucket-oidc ${command.name}: ${e.message}\n${command.name === "synth" ? "Nothing was written: the previous output is unchanged.\n" : ""}`);
      return EXIT.badInput;
    }
    const missing = missingDependencyMessage(command.name, e);
    if (missing !== undefined) {
      io.stderr(missing);
      return EXIT.badInput;
    }
    io.stderr(`bitbucket-oidc ${command.name}: internal error: ${(e as Error).stack ?? String(e)}\nPlease report this with the command line you ran.\n`);
    return EXIT.internal;
  }
}

function processIo(): CommandIo {
  quietOnClosedPipe(process.stdout);
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  };
}
