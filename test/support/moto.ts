/**
 * Test support: `moto_server` (Python moto 5.x, an IAM, STS, S3 and DynamoDB emulator) on 127.0.0.1.
 * Each call starts its own server on a port the OS picks (`-p 0`), read back from the server's own
 * "Running on" line, and `stop()` ends it by PID. Tests that need it use {@link describeWithMoto}: in CI
 * (CI=true) they are mandatory and fail when moto_server is missing; elsewhere they are skipped with a
 * warning that names them and says how to get it.
 *
 * What moto proves and what it does not: see ../shared/reference/offline-testing.md. It checks IAM
 * policy grammar and ARN shapes, and answers AssumeRoleWithWebIdentity for any token: trust policies
 * stay with the IAM evaluator.
 */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { describeWithTool, ToolStatus } from "./required-tool";

/** How a user with internet gets the emulator (also in scripts/setup.sh). */
export const MOTO_INSTALL_HINT = 'pip install "moto[server]"';

/** A running moto_server; call stop() when done. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** The access key moto hands out is not a secret, but these are the dummy keys a client may sign with. */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

let status: ToolStatus | undefined;

/** Finds `moto_server` on PATH. */
export function motoStatus(): ToolStatus {
  if (status) return status;
  const out = spawnSync("moto_server", ["--help"], { encoding: "utf8", timeout: 60_000 });
  status =
    out.error || out.status !== 0
      ? { ok: false, reason: `moto_server is not on PATH (${out.error?.message ?? out.stderr.trim().split("\n")[0]}); install it with ${MOTO_INSTALL_HINT}` }
      : { ok: true };
  return status;
}

/** `describe` for tests that need moto_server: mandatory in CI, skipped loudly elsewhere. */
export function describeWithMoto(name: string, body: () => void): void {
  describeWithTool(name, "moto_server on PATH", motoStatus(), body);
}

/** Starts moto_server on a free port of 127.0.0.1 and waits until it answers. */
export async function startMoto(options: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<MotoServer> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", "0"], {
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => fail(new Error(`moto_server did not start within ${timeoutMs} ms: ${seen.slice(-500)}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      const m = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    const fail = (e: Error): void => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(e);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("error", fail);
    child.once("exit", (code) => fail(new Error(`moto_server exited (${code}) before it started: ${seen.slice(-500)}`)));
  });
  // Keep draining its request log so the pipe never fills and blocks the server.
  child.stdout.resume();
  child.stderr.resume();
  child.removeAllListeners("exit");
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(endpoint, timeoutMs);
  return {
    endpoint,
    port,
    env: { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_DEFAULT_REGION: "us-east-1" },
    stop: () => stopChild(child),
  };
}

async function waitUntilAnswering(endpoint: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`moto_server at ${endpoint} did not answer: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
