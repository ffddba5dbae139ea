/**
 * The remote-state scenario, run once per lock kind against servers on 127.0.0.1: the backend block is
 * taken from our synthesized output (endpoints and path style from the config) and combined with a
 * provider-free module; several working folders stand for several pipelines sharing one state.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { StateConfig } from "../../lib/config/model";
import { LocalDynamoDb, startLocalDynamoDb } from "../support/local-dynamodb";
import { LocalS3, startLocalS3 } from "../support/local-s3";
import { baseConfig, withSynth } from "../support/synth";
import { runTerraform, startTerraform, tempDir, TerraformProcess, terraformOk, writeProviderFreeModule } from "../support/terraform";

/** The two ways the backend can lock, and both at once (the migration path from DynamoDB locking). */
export type LockKind = "lockfile" | "dynamodb" | "both";

/** Only for local servers: Terraform would otherwise ask AWS who the caller is. Never part of our output. */
export const OFFLINE_BACKEND_FLAGS = ["skip_credentials_validation", "skip_requesting_account_id", "skip_metadata_api_check", "skip_region_validation"].map(
  (flag) => `-backend-config=${flag}=true`,
);

export const LOCK_TABLE = "terraform-locks";

/** Servers and working folders of one scenario. */
export interface StateLab {
  readonly s3: LocalS3;
  readonly dynamodb?: LocalDynamoDb;
  /** The `terraform` block of our synthesized stack. */
  readonly terraformBlock: Record<string, unknown> & { backend: { s3: Record<string, unknown> } };
  /** A new, initialized working folder (one "pipeline"). */
  pipeline(): Promise<string>;
  dispose(): Promise<void>;
}

/** Starts the servers, synthesizes a config pointing at them, and returns the backend block from the output. */
export async function startStateLab(kind: LockKind, options: { conditionalWrites?: boolean } = {}): Promise<StateLab> {
  const s3 = await startLocalS3({ bucket: "acme-terraform-state", conditionalWrites: options.conditionalWrites ?? true });
  const dynamodb = kind === "lockfile" ? undefined : await startLocalDynamoDb();
  const dirs: { remove(): void }[] = [];
  const stop = async (): Promise<void> => {
    for (const d of dirs) d.remove();
    await s3.stop();
    await dynamodb?.stop();
  };
  try {
    if (dynamodb) await dynamodb.createLockTable(LOCK_TABLE);
    const state: StateConfig = {
      bucket: s3.bucket,
      region: "us-east-1",
      endpoints: dynamodb ? { s3: s3.endpoint, dynamodb: dynamodb.endpoint } : { s3: s3.endpoint },
      usePathStyle: true,
      ...(kind === "lockfile" ? {} : { useLockfile: kind === "both", dynamodbTable: LOCK_TABLE }),
    };
    const terraformBlock = withSynth(baseConfig({ state }), (out) => {
      const { backend, required_version } = out.json().terraform;
      if (!backend?.s3) throw new Error("the synthesized stack has no S3 backend");
      return { backend: { s3: backend.s3 }, required_version };
    });
    return {
      s3,
      dynamodb,
      terraformBlock,
      pipeline: async () => {
        const dir = tempDir("bbo-pipeline-");
        dirs.push(dir);
        writeProviderFreeModule(dir.path, terraformBlock);
        await terraformOk(dir.path, ["init", "-input=false", "-no-color", ...OFFLINE_BACKEND_FLAGS]);
        return dir.path;
      },
      dispose: stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** `terraform apply` of run `run`; with a gate, its provisioner holds the lock until the gate opens. */
export function applyArgs(run: string, extra: readonly string[] = [], gate?: Gate): string[] {
  return ["apply", "-auto-approve", "-input=false", "-no-color", `-var=run=${run}`, ...(gate ? [`-var=gate=${gate.path}`] : []), ...extra];
}

/** A file a held apply waits for: `open()` creates it, and the apply goes on. */
export interface Gate {
  readonly path: string;
  open(): void;
}

/** A closed gate in `dir` (a folder of the test's own). */
export function closedGate(dir: string, name: string): Gate {
  const path = join(dir, `gate-${name}`);
  return { path, open: () => writeFileSync(path, "open\n") };
}

/** What terraform prints once taking the lock has lasted a moment (another run holds it). */
export const WAITING_FOR_LOCK = "Acquiring state lock. This may take a few moments...";

/** The state as `terraform state pull` prints it. */
export interface PulledState {
  readonly serial: number;
  readonly lineage: string;
  readonly outputs: Record<string, { value: unknown }>;
}

export async function pullState(dir: string): Promise<PulledState> {
  const run = await terraformOk(dir, ["state", "pull"]);
  return JSON.parse(run.stdout) as PulledState;
}

/** The lock ID Terraform prints when it cannot take the lock ("Lock Info: ID: ..."). */
export function lockIdOf(output: string): string {
  const m = /Lock Info:\s*\n\s*ID:\s*(\S+)/.exec(output);
  if (!m) throw new Error(`no lock ID in:\n${output}`);
  return m[1];
}

/** Printed once a slow apply holds the lock and is inside its provisioner. */
export const IN_PROVISIONER = "Provisioning with 'local-exec'";

/**
 * The tests every lock kind must pass, registered in the calling `describe`: a round trip, two
 * concurrent applies (the second refused, a third waiting with -lock-timeout), and recovery from a
 * crashed apply with `terraform force-unlock`.
 */
export function lockingTests(kind: LockKind): void {
  let lab: StateLab;
  let first: string;

  beforeAll(async () => {
    lab = await startStateLab(kind);
    first = await lab.pipeline();
  });
  afterAll(async () => {
    await lab?.dispose();
  });

  it("takes the backend block from the synthesized output", () => {
    const s3 = lab.terraformBlock.backend.s3;
    expect(lab.terraformBlock.required_version).toBe(">= 1.11");
    expect(s3).toMatchObject({ bucket: "acme-terraform-state", encrypt: true, use_path_style: true, endpoints: { s3: lab.s3.endpoint } });
    expect(s3.use_lockfile).toBe(kind === "dynamodb" ? undefined : true);
    expect(s3.dynamodb_table).toBe(kind === "lockfile" ? undefined : LOCK_TABLE);
    if (lab.dynamodb) expect(s3).toMatchObject({ endpoints: { dynamodb: lab.dynamodb.endpoint } });
  });

  it("round-trips: init, apply, state pull, a second apply, and another pipeline sees the same state", async () => {
    await terraformOk(first, applyArgs("1"));
    const one = await pullState(first);
    expect(one.outputs.run.value).toBe("1");

    await terraformOk(first, applyArgs("2"));
    const two = await pullState(first);
    expect(two.outputs.run.value).toBe("2");
    expect(two.lineage).toBe(one.lineage);
    expect(two.serial).toBe(one.serial + 1);

    const other = await pullState(await lab.pipeline());
    expect(other).toEqual(two);
  });

  it("refuses a second concurrent apply, lets a third wait with -lock-timeout; no serial skipped, no update lost", async () => {
    const [b, c] = [await lab.pipeline(), await lab.pipeline()];
    const before = await pullState(first);

    const gate = closedGate(b, "slow");
    const slow = startTerraform(first, applyArgs("3", [], gate));
    let waiting: TerraformProcess | undefined;
    try {
      await slow.waitFor(IN_PROVISIONER);
      const refused = await runTerraform(b, applyArgs("4", ["-lock-timeout=0s"]));
      expect(slow.child.exitCode).toBeNull(); // the first still holds the lock
      expect(refused.code).not.toBe(0);
      expect(refused.output).toContain("Error acquiring the state lock");

      waiting = startTerraform(c, applyArgs("5", ["-lock-timeout=200s"]));
      await waiting.waitFor(WAITING_FOR_LOCK); // the third is queued behind the held lock
      expect(slow.child.exitCode).toBeNull();
    } catch (e) {
      slow.crash();
      waiting?.crash();
      throw e;
    }
    gate.open();
    const order: string[] = [];
    const held = waiting;
    const [slowRun, waitingRun] = await Promise.all([
      slow.done.then((r) => (order.push("slow"), r)),
      held.done.then((r) => (order.push("waiting"), r)),
    ]);
    expect(slowRun.code).toBe(0);
    expect(waitingRun.code).toBe(0);
    expect(order).toEqual(["slow", "waiting"]);
    // The waiting apply planned against the slow apply's result, not the state it started with.
    expect(waitingRun.output).toMatch(/triggers_replace = "3" -> "5"/);

    const after = await pullState(first);
    expect(after.lineage).toBe(before.lineage);
    expect(after.outputs.run.value).toBe("5");
    expect(after.serial).toBe(before.serial + 2); // one write per successful apply, none by the refused one
    if (kind === "lockfile") expect(lab.s3.preconditionFailures()).toBeGreaterThan(0);
    if (kind === "both") expect(lab.s3.preconditionFailures()).toBeGreaterThan(0); // the S3 lock is taken (and contended) too
  });

  it("after a crash mid-apply, the lock stays until terraform force-unlock clears it", async () => {
    const before = await pullState(first);
    const crashed = startTerraform(first, applyArgs("6", [], closedGate(first, "crash"))); // never opened
    await crashed.waitFor(IN_PROVISIONER);
    crashed.crash();
    expect((await crashed.done).signal).toBe("SIGKILL");

    // The dead run's lock is still there, where this lock kind keeps it.
    const stateKey = lab.terraformBlock.backend.s3.key as string;
    if (kind !== "dynamodb") expect(await lab.s3.hasObject(`${stateKey}.tflock`)).toBe(true);
    if (lab.dynamodb) {
      const scan = (await lab.dynamodb.call("Scan", { TableName: LOCK_TABLE })) as { Items: { LockID: { S: string }; Info?: unknown }[] };
      expect(scan.Items.filter((i) => i.Info).map((i) => i.LockID.S)).toEqual([`${lab.s3.bucket}/${stateKey}`]);
    }

    const next = await lab.pipeline();
    const blocked = await runTerraform(next, applyArgs("7", ["-lock-timeout=0s"]));
    expect(blocked.code).not.toBe(0);
    expect(blocked.output).toContain("Error acquiring the state lock");
    const lockId = lockIdOf(blocked.output);

    const unlocked = await terraformOk(next, ["force-unlock", "-force", lockId]);
    expect(unlocked.output).toContain("Terraform state has been successfully unlocked");
    await terraformOk(next, applyArgs("7", ["-lock-timeout=0s"]));
    if (kind !== "dynamodb") expect(await lab.s3.hasObject(`${stateKey}.tflock`)).toBe(false);

    const after = await pullState(first);
    expect(after.lineage).toBe(before.lineage);
    expect(after.outputs.run.value).toBe("7");
    expect(after.serial).toBeGreaterThan(before.serial);
  });
}
