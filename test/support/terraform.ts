/**
 * Test support: the real `terraform` binary (>= 1.11) in a clean, offline environment. Tests that need
 * it use {@link describeWithTerraform}: in CI (CI=true) they are mandatory and fail when terraform is
 * missing or too old; elsewhere they are skipped with a warning that names them.
 */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeWithTool } from "./required-tool";

/** The lowest Terraform version the synthesized output supports (`use_lockfile` is GA from 1.11). */
export const MIN_TERRAFORM = [1, 11] as const;

/** What `terraform version` said, or why terraform cannot be used. */
export type TerraformStatus = { readonly ok: true; readonly version: string } | { readonly ok: false; readonly reason: string };

let status: TerraformStatus | undefined;

/** Finds terraform on PATH and checks its version (once per test file). */
export function terraformStatus(): TerraformStatus {
  if (status) return status;
  const out = spawnSync("terraform", ["version", "-json"], { env: terraformEnv(), encoding: "utf8", timeout: 30_000 });
  if (out.error || out.status !== 0) {
    status = { ok: false, reason: `terraform is not on PATH (${out.error?.message ?? out.stderr.trim()})` };
    return status;
  }
  const version = (JSON.parse(out.stdout) as { terraform_version: string }).terraform_version;
  const [major, minor] = version.split(".").map(Number);
  const recent = major > MIN_TERRAFORM[0] || (major === MIN_TERRAFORM[0] && minor >= MIN_TERRAFORM[1]);
  status = recent ? { ok: true, version } : { ok: false, reason: `terraform ${version} is older than ${MIN_TERRAFORM.join(".")}` };
  return status;
}

/** `describe` for tests that run terraform: mandatory in CI, skipped loudly elsewhere. */
export function describeWithTerraform(name: string, body: () => void): void {
  describeWithTool(name, "terraform >= 1.11 on PATH", terraformStatus(), body);
}

/**
 * The environment terraform runs in: no checkpoint calls, no CLI config, dummy AWS credentials and
 * nothing of the caller's AWS settings (so a test can never reach a real account).
 */
export function terraformEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(AWS_|TF_)/.test(k)) env[k] = v;
  return {
    ...env,
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    TF_CLI_CONFIG_FILE: "/dev/null",
    // s3rver's built-in account: a dummy that only the local test servers know.
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
    AWS_EC2_METADATA_DISABLED: "true",
    ...extra,
  };
}

/** What a finished terraform run printed. */
export interface TerraformRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr together, for messages. */
  readonly output: string;
}

/** A running terraform process. */
export interface TerraformProcess {
  readonly child: ChildProcess;
  /** Everything printed so far. */
  output(): string;
  /** Resolves when the output contains `text`; rejects when the process ends first. */
  waitFor(text: string): Promise<void>;
  /** Resolves when the process has ended. */
  done: Promise<TerraformRun>;
  /** Kills the process and its children (the local-exec shell) with SIGKILL, as a crashed runner would. */
  crash(): void;
}

/** Starts `terraform <args>` in `dir` (its own process group, so a crash takes its children along). */
export function startTerraform(dir: string, args: readonly string[]): TerraformProcess {
  const child = spawn("terraform", ["-chdir=" + dir, ...args], { env: terraformEnv(), detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const waiters: { text: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      if ((stdout + stderr).includes(w.text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout!.on("data", (d: Buffer) => ((stdout += d.toString()), check()));
  child.stderr!.on("data", (d: Buffer) => ((stderr += d.toString()), check()));
  const done = new Promise<TerraformRun>((resolve) => {
    child.on("close", (code, signal) => {
      for (const w of waiters.splice(0)) w.reject(new Error(`terraform ${args.join(" ")} ended before printing "${w.text}":\n${stdout}${stderr}`));
      resolve({ code, signal, stdout, stderr, output: `${stdout}${stderr}` });
    });
  });
  return {
    child,
    output: () => stdout + stderr,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ text, resolve, reject });
        check();
      }),
    done,
    crash: () => {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGKILL");
    },
  };
}

/** Runs `terraform <args>` in `dir` to the end. */
export function runTerraform(dir: string, args: readonly string[]): Promise<TerraformRun> {
  return startTerraform(dir, args).done;
}

/** Runs terraform and throws with its whole output unless it succeeded. */
export async function terraformOk(dir: string, args: readonly string[]): Promise<TerraformRun> {
  const run = await runTerraform(dir, args);
  if (run.code !== 0) throw new Error(`terraform ${args.join(" ")} failed (${run.code ?? run.signal}):\n${run.output}`);
  return run;
}

/** A temporary folder for a test; remove() deletes it. */
export function tempDir(prefix: string): { readonly path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The provisioner's shell: wait (polling every 0.1 s, 6000 times at most) until the gate file exists. */
const GATE_WAIT = "i=0; while [ -n '${var.gate}' ] && [ ! -e '${var.gate}' ] && [ $i -lt 6000 ]; do sleep 0.1; i=$((i+1)); done";

/**
 * Writes a provider-free root module into `dir`: the given `terraform` block (backend included), one
 * `terraform_data` replaced whenever `var.run` changes, whose `local-exec` waits until the file
 * `var.gate` exists when one is given (an apply that holds the lock until the test opens the gate:
 * an event, not a time window; 10 minutes at most, so a forgotten gate cannot hang a run), and the
 * output `run`.
 */
export function writeProviderFreeModule(dir: string, terraformBlock: Record<string, unknown>): void {
  const module = {
    terraform: terraformBlock,
    variable: { run: { type: "string" }, gate: { type: "string", default: "" } },
    resource: {
      terraform_data: {
        slow: {
          triggers_replace: "${var.run}",
          input: "${var.run}",
          provisioner: [{ "local-exec": { command: GATE_WAIT } }],
          // The old instance stays in state until the new one exists: no state change, hence no
          // intermediate state write, during the slow provisioner.
          lifecycle: { create_before_destroy: true },
        },
      },
    },
    output: { run: { value: "${terraform_data.slow.output}" } },
  };
  writeFileSync(join(dir, "main.tf.json"), `${JSON.stringify(module, null, 2)}\n`);
}
