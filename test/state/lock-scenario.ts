/**
 * The remote-state scenario, run once per lock kind against servers on 127.0.0.1: the backend block is
 * taken from our synthesized output (endpoints and path style from the config) and combined with a
 * provider-free module; several working folders stand for several pipelines sharing one state.
 */
import { StateConfig } from "../../lib/config/model";
import { LocalDynamoDb, startLocalDynamoDb } from "../support/local-dynamodb";
import { LocalS3, startLocalS3 } from "../support/local-s3";
import { baseConfig, withSynth } from "../support/synth";
import { tempDir, terraformOk, writeProviderFreeModule } from "../support/terraform";

/** The two ways the backend can lock. */
export type LockKind = "lockfile" | "dynamodb";

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
  const dynamodb = kind === "dynamodb" ? await startLocalDynamoDb() : undefined;
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
      ...(kind === "dynamodb" ? { useLockfile: false, dynamodbTable: LOCK_TABLE } : {}),
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

/** `terraform apply` of run `run`, sleeping `sleep` seconds in the provisioner. */
export function applyArgs(run: string, sleep = 0, extra: readonly string[] = []): string[] {
  return ["apply", "-auto-approve", "-input=false", "-no-color", `-var=run=${run}`, `-var=sleep=${sleep}`, ...extra];
}

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
