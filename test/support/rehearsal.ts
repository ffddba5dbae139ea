/**
 * Test support: the rehearsal of generated pipeline steps, run the way a Bitbucket step runs them.
 *
 * A step's script entries run verbatim, one after another in one shell (`bash` or `sh`), from a
 * fake clone folder, in an environment that holds only Bitbucket's variables (a jose-signed
 * `BITBUCKET_STEP_OIDC_TOKEN`, build number, step UUID, clone dir, ...) and no AWS keys. The test
 * adds only what points the real clients at moto_server on 127.0.0.1: `AWS_ENDPOINT_URL*`, path-style
 * S3 for Terraform's backend (`TF_CLI_ARGS_init`), and no instance metadata. The step text is never
 * edited: the harness runs a prologue (an EXIT trap) and, after the step, a probe
 * (`aws sts get-caller-identity`) whose answer is kept apart from the step's own output.
 *
 * moto answers AssumeRoleWithWebIdentity for any token and role: this proves the wiring (variables,
 * role ARNs, session names, backend settings, locking), while trust stays with the IAM evaluator.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { findSteps, FoundStep } from "../../lib/pipelines/script-check";
import { MotoServer } from "./moto";
import { describeWithTool, ToolStatus } from "./required-tool";
import { writeProviderFreeModule } from "./terraform";

/** One step to rehearse: where it came from, and the script entries that run. */
export interface RehearsalStep {
  /** Where the step was found, for test names: `pipelines/x.yml`, `bitbucket-pipelines.yml pipelines.branches.main[3]`. */
  readonly label: string;
  readonly name: string;
  /** The script entries that run, verbatim (pipes and out-of-scope commands left out). */
  readonly commands: readonly string[];
  /** Entries not run (pipes, npm, git, ...), for the test's record. */
  readonly skipped: readonly string[];
  /** The `terraform -chdir=<dir>` folders the step uses, relative to the clone. */
  readonly terraformDirs: readonly string[];
}

/** A credential entry is the one that writes the web identity token file. */
export const isCredentialEntry = (command: string): boolean => command.includes("AWS_WEB_IDENTITY_TOKEN_FILE");

/** What a rehearsal runs of a step: its credential entries, `export`s, and `aws` and `terraform` commands. */
function inScope(command: string): boolean {
  return isCredentialEntry(command) || /^\s*(export\s|aws\s|terraform\s)/.test(command);
}

/** The steps of a parsed pipeline document (or snippet) that get an OIDC token. */
export function rehearsalSteps(document: unknown, source: string): RehearsalStep[] {
  return findSteps(document)
    .filter((s: FoundStep) => s.step.oidc === true)
    .map((s) => {
      const script = Array.isArray(s.step.script) ? (s.step.script as unknown[]) : [];
      const commands = s.commands.filter(inScope);
      const skipped = [
        ...s.commands.filter((c) => !inScope(c)),
        ...script.filter((e) => typeof e !== "string").map((e) => `pipe: ${String((e as { pipe?: unknown }).pipe)}`),
      ];
      const terraformDirs = [...new Set(commands.flatMap((c) => [...c.matchAll(/terraform\s+-chdir=(\S+)/g)].map((m) => m[1])))];
      return {
        label: `${source} ${s.path}`,
        name: String(s.step.name ?? s.path),
        commands,
        skipped,
        terraformDirs,
      };
    });
}

/** The role ARN a step's credential entry exports (a literal ARN). */
export function roleArnOf(step: RehearsalStep): string {
  for (const c of step.commands) {
    const m = /^\s*export AWS_ROLE_ARN=(arn:\S+)\s*$/m.exec(c);
    if (m) return m[1];
  }
  throw new Error(`${step.label}: no literal "export AWS_ROLE_ARN=arn:..." in its credential entry`);
}

/** The session name the credential entry derives, as IAM would see it. */
export function expectedSessionName(buildNumber: string, stepUuid: string): string {
  return `bitbucket-${buildNumber}-${stepUuid}`
    .replace(/[{}]/g, "")
    .replace(/[^A-Za-z0-9_+=,.@-]/g, "-")
    .slice(0, 64);
}

/** The session ARN STS returns for a role ARN and session name. */
export function sessionArn(roleArn: string, session: string): string {
  const m = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  if (!m) throw new Error(`not a role ARN: ${roleArn}`);
  return `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/${session}`;
}

/** Bitbucket's step variables (and nothing of AWS). */
export interface StepVariables {
  readonly token: string;
  readonly buildNumber: string;
  readonly stepUuid: string;
  /** Extra BITBUCKET_* variables, e.g. the deployment environment. */
  readonly extra?: Readonly<Record<string, string>>;
}

/** What the test adds to point the real clients at moto on 127.0.0.1 (never credentials). */
export function emulatorVariables(moto: { endpoint: string }, sts = moto.endpoint): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ENDPOINT_URL_S3: moto.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: moto.endpoint,
    AWS_ENDPOINT_URL_STS: sts,
    // Terraform's S3 backend: the bucket in the path (there is no DNS for <bucket>.127.0.0.1).
    TF_CLI_ARGS_init: "-backend-config=use_path_style=true",
    // Never fall back to an instance metadata service off the loopback.
    AWS_EC2_METADATA_DISABLED: "true",
    TF_CLI_CONFIG_FILE: "/dev/null",
    CHECKPOINT_DISABLE: "1",
  };
}

/** A fake clone of the repository: BITBUCKET_CLONE_DIR, with HOME beside it. */
export interface Clone {
  readonly dir: string;
  readonly home: string;
  remove(): void;
}

export function makeClone(): Clone {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "bbo-rehearsal-")));
  const dir = join(root, "build");
  const home = join(root, "home");
  mkdirSync(dir);
  mkdirSync(home);
  return {
    dir,
    home,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** The result of one rehearsed step. */
export interface StepRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** What `aws sts get-caller-identity` said after the step, with the step's variables (JSON), or its error. */
  readonly identity: { readonly arn?: string; readonly error?: string };
}

/** A started step; `waitFor` resolves when its output shows a text. */
export interface RunningStep {
  waitFor(text: string): Promise<void>;
  readonly done: Promise<StepRun>;
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Starts a step's entries in `shell`. The prologue's EXIT trap records the token file the step
 * wrote (to remove it afterwards) and asks STS who the step is; neither goes to the step's output.
 */
export function startStep(options: {
  shell: "bash" | "sh";
  commands: readonly string[];
  clone: Clone;
  variables: StepVariables;
  emulator: Record<string, string>;
  /** Ask STS who the step is, after it ran. @default true */
  probe?: boolean;
}): RunningStep {
  const { clone, variables } = options;
  const probeDir = mkdtempSync(join(dirname(clone.dir), "probe-"));
  const identityFile = join(probeDir, "identity.json");
  const tokenFileRecord = join(probeDir, "token-file");
  const probe = options.probe === false ? "" : `aws sts get-caller-identity --output json > ${quote(identityFile)} 2>&1 || true; `;
  const script = [
    `rehearsal_exit() { rc=$?; printf '%s' "\${AWS_WEB_IDENTITY_TOKEN_FILE:-}" > ${quote(tokenFileRecord)}; ${probe}exit "$rc"; }`,
    "trap rehearsal_exit EXIT",
    "set -e",
    ...options.commands,
  ].join("\n");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: clone.home,
    LANG: "C.UTF-8",
    CI: "true",
    BITBUCKET_STEP_OIDC_TOKEN: variables.token,
    BITBUCKET_BUILD_NUMBER: variables.buildNumber,
    BITBUCKET_STEP_UUID: variables.stepUuid,
    BITBUCKET_CLONE_DIR: clone.dir,
    BITBUCKET_PIPELINE_UUID: "{0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0}",
    BITBUCKET_COMMIT: "0123456789abcdef0123456789abcdef01234567",
    BITBUCKET_BRANCH: "main",
    ...variables.extra,
    ...options.emulator,
  };
  const child = spawn(options.shell, ["-c", script], {
    cwd: clone.dir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters: {
    text: string;
    resolve: () => void;
    reject: (e: Error) => void;
  }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      if ((stdout + stderr).includes(w.text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout.on("data", (d: Buffer) => ((stdout += d.toString()), check()));
  child.stderr.on("data", (d: Buffer) => ((stderr += d.toString()), check()));
  const done = new Promise<StepRun>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      for (const w of waiters.splice(0)) w.reject(new Error(`the step ended before printing "${w.text}":\n${stdout}${stderr}`));
      try {
        const tokenFile = existsSync(tokenFileRecord) ? readFileSync(tokenFileRecord, "utf8") : "";
        // The token folder the credential entry made with mktemp: removed here, never listed.
        if (/\/bitbucket-oidc\.[A-Za-z0-9]+\/web-identity-token$/.test(tokenFile)) rmSync(dirname(tokenFile), { recursive: true, force: true });
        resolve({ code, stdout, stderr, identity: readIdentity(identityFile) });
      } finally {
        rmSync(probeDir, { recursive: true, force: true });
      }
    });
  });
  return {
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ text, resolve, reject });
        check();
      }),
    done,
  };
}

function readIdentity(file: string): StepRun["identity"] {
  if (!existsSync(file)) return { error: "the probe did not run" };
  const text = readFileSync(file, "utf8");
  try {
    return { arn: (JSON.parse(text) as { Arn: string }).Arn };
  } catch {
    return { error: text.trim() };
  }
}

/** Runs a step to its end. */
export function runStep(options: Parameters<typeof startStep>[0]): Promise<StepRun> {
  return startStep(options).done;
}

/** Credentials moto handed out so far: each must stay out of every log. */
export interface IssuedCredentials {
  readonly sessions: readonly {
    roleArn: string;
    sessionName: string;
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken: string;
  }[];
}

/** Reads the sessions moto's STS issued, from its own state (`/moto-api/data.json`). */
export async function issuedCredentials(moto: MotoServer): Promise<IssuedCredentials> {
  const res = await fetch(`${moto.endpoint}/moto-api/data.json`, {
    signal: AbortSignal.timeout(30_000),
  });
  const data = (await res.json()) as {
    sts?: { AssumedRole?: Record<string, string>[] };
  };
  return {
    sessions: (data.sts?.AssumedRole ?? []).map((r) => ({
      roleArn: r.role_arn,
      sessionName: r.session_name,
      accessKeyId: r.access_key_id,
      secretAccessKey: r.secret_access_key,
      sessionToken: r.session_token,
    })),
  };
}

/** The secrets a step must never print: its OIDC token (and each of its parts) and every issued credential. */
export function secretsOf(token: string, issued: IssuedCredentials): string[] {
  const [, payload, signature] = token.split(".");
  return [token, payload, signature, ...issued.sessions.flatMap((s) => [s.accessKeyId, s.secretAccessKey, s.sessionToken])].filter(
    (s): s is string => typeof s === "string" && s.length >= 8
  );
}

/** The secrets found in a text (empty when clean); each is named by its kind and first characters only. */
export function leaksIn(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => text.includes(s)).map((s) => `${s.slice(0, 4)}… (${s.length} characters)`);
}

/**
 * Writes, for each `terraform -chdir=<dir>` a step uses, a provider-free copy of that stack: the
 * same `terraform` block (the S3 backend exactly as synthesized) with a `terraform_data` resource,
 * so init, plan and apply run offline against the emulator.
 */
export function writeProviderFreeStacks(clone: Clone, dirs: readonly string[], terraformBlockOf: (stack: string) => Record<string, unknown>): void {
  for (const dir of dirs) {
    const m = /^cdktf\.out\/stacks\/([^/]+)$/.exec(dir);
    if (!m) throw new Error(`terraform -chdir=${dir}: not a synthesized stack folder (cdktf.out/stacks/<stack>)`);
    const path = join(clone.dir, dir);
    mkdirSync(path, { recursive: true });
    writeProviderFreeModule(path, terraformBlockOf(m[1]));
    // The steps plan without -var: give the run a default.
    const file = join(path, "main.tf.json");
    const module = JSON.parse(readFileSync(file, "utf8")) as {
      variable: { run: Record<string, unknown> };
    };
    module.variable.run.default = "rehearsal";
    writeFileSync(file, `${JSON.stringify(module, null, 2)}\n`);
  }
}

/** Calls moto with its dummy keys (set-up only: buckets, tables), through the real AWS CLI. */
export function awsAdmin(moto: MotoServer, args: readonly string[], home: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("aws", [...args, "--endpoint-url", moto.endpoint, "--output", "json"], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: home,
        AWS_EC2_METADATA_DISABLED: "true",
        ...moto.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.once("error", reject);
    child.once("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`aws ${args.join(" ")} failed (${code}): ${out}`))));
  });
}

let awsCli: ToolStatus | undefined;

/** `describe` for tests that run the real AWS CLI (v1 or v2): mandatory in CI, skipped loudly elsewhere. */
export function describeWithAwsCli(name: string, body: () => void): void {
  if (!awsCli) {
    const out = spawnSync("aws", ["--version"], {
      encoding: "utf8",
      timeout: 60_000,
    });
    awsCli =
      out.error || out.status !== 0
        ? {
            ok: false,
            reason: "the AWS CLI is not on PATH (apt-get install awscli; scripts/setup.sh does it as root)",
          }
        : { ok: true };
  }
  describeWithTool(name, "the AWS CLI on PATH", awsCli, body);
}
