/** Runs `bitbucket-oidc explain` in-process with captured output, the token in a private temp file. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CliRun, runCliIn } from "../support/run-cli";

/** What a run printed and returned. */
export type ExplainRun = CliRun;

/** Runs `explain --token <file>` (or `-` with `stdin`) against `synthDir` with extra arguments. */
export async function runExplain(token: string | undefined, synthDir: string, args: string[] = [], stdin?: string): Promise<ExplainRun> {
  const dir = mkdtempSync(join(tmpdir(), "bbo-explain-"));
  try {
    const tokenArgs: string[] = [];
    if (token !== undefined) {
      const file = join(dir, "token.jwt");
      writeFileSync(file, token, { mode: 0o600 });
      tokenArgs.push("--token", file);
    }
    return await runCliIn(["explain", ...tokenArgs, "--synth", synthDir, ...args], { cwd: dir, env: {}, stdin });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The parsed `--json` answer (the fields the tests read). */
export interface ExplainJson {
  version: number;
  notes: { kind: string; message: string }[];
  roles: {
    stack: string;
    role: string;
    arn: string;
    verdict: "allowed" | "denied" | "allowed-if-source-ip";
    decision: string;
    checks: { name: string; status: string; token: string; expected: string[] }[];
  }[];
  otherEnvironments: { environment?: string; roles: { stack: string; role: string; verdict: string }[] }[];
}

/** Runs with --json and parses the answer. */
export async function explainJson(token: string, synthDir: string, args: string[] = []): Promise<{ code: number; json: ExplainJson; stderr: string }> {
  const run = await runExplain(token, synthDir, [...args, "--json"]);
  if (run.code > 1) throw new Error(`explain exited ${run.code}: ${run.stderr}`);
  return { code: run.code, json: JSON.parse(run.stdout) as ExplainJson, stderr: run.stderr };
}
