/**
 * Test support for the pipelines work: the example config synthesized for real, steps read from
 * parsed YAML, and shellcheck (required in CI, skipped loudly elsewhere).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { FoundStep } from "../../lib/pipelines/script-check";
import { Synthesized, synthConfig } from "../support/synth";

export const REPO_ROOT = join(__dirname, "..", "..");

/** Synthesizes the bundled example config (bitbucket-oidc.yaml) into a temporary folder. */
export function synthExample(): Synthesized {
  return synthConfig(readFileSync(join(REPO_ROOT, "bitbucket-oidc.yaml"), "utf8"), "bitbucket-oidc.yaml");
}

/** Parses YAML strictly: any error fails the test with the file's label. */
export function parseYaml(text: string, label: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new Error(`${label}: ${doc.errors.map((e) => e.message).join("; ")}`);
  return doc.toJS();
}

/** True when a step uses AWS: an AWS pipe, an AWS CLI call, Terraform init/plan/apply/..., or AWS credential variables. */
export function touchesAws(step: FoundStep): boolean {
  const pipes = (Array.isArray(step.step.script) ? step.step.script : []).filter((e): e is { pipe: string } => typeof e === "object" && e !== null && "pipe" in e);
  if (pipes.some((p) => /aws/i.test(p.pipe))) return true;
  return step.commands.some(
    (c) =>
      /(^|[\s;&|(])aws\s+[a-z0-9-]+\s+[a-z]/m.test(c) ||
      /(^|[\s;&|(])terraform\s.*\b(init|plan|apply|destroy|import|refresh|state|output)\b/m.test(c) ||
      /\bAWS_(ROLE_ARN|WEB_IDENTITY_TOKEN_FILE|ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE)\b|BITBUCKET_STEP_OIDC_TOKEN/.test(c),
  );
}

/** The role ARN a generated credential entry exports, or its `${VAR:?...}` expression. */
export function exportedRoleArn(commands: readonly string[]): string | undefined {
  for (const c of commands) {
    const m = /^export AWS_ROLE_ARN=(.+)$/m.exec(c);
    if (m) return m[1];
  }
  return undefined;
}

/** The role ARN a step uses: the ECR pipe's AWS_OIDC_ROLE_ARN, else the exported AWS_ROLE_ARN. */
export function stepRoleArn(step: FoundStep): string | undefined {
  const script = Array.isArray(step.step.script) ? step.step.script : [];
  const pipe = script.find((e): e is { variables: Record<string, string> } => typeof e === "object" && e !== null && "pipe" in e);
  return pipe ? pipe.variables.AWS_OIDC_ROLE_ARN : exportedRoleArn(step.commands);
}

/** Whether shellcheck can run; in CI (CI=true) its absence fails the test instead. */
export function shellcheckAvailable(what: string): boolean {
  const found = spawnSync("shellcheck", ["--version"], { encoding: "utf8" }).status === 0;
  if (found) return true;
  if (process.env.CI === "true") throw new Error(`shellcheck is not installed, and CI=true requires it (${what}); run scripts/setup.sh`);
  console.warn(`SKIPPED ${what}: shellcheck is not installed (apt-get install shellcheck); CI runs it`);
  return false;
}

/** Runs shellcheck on script text as a file with a shebang for `shell`; returns its report ("" when clean). */
export function shellcheck(script: string, shell: "bash" | "sh"): { status: number; report: string } {
  const dir = mkdtempSync(join(tmpdir(), "bbo-shellcheck-"));
  try {
    const file = join(dir, "script.sh");
    writeFileSync(file, `#!/usr/bin/env ${shell}\n${script}\n`);
    const run = spawnSync("shellcheck", ["--shell", shell, "--severity", "style", file], { encoding: "utf8" });
    return { status: run.status ?? -1, report: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
