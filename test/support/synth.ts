/**
 * Test support: synthesize a config (object or YAML) the way `bitbucket-oidc synth` does, into a
 * temporary folder, and read back the Terraform JSON and access model. Tests assert on this output,
 * never on construct internals.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AccessModel } from "../../lib/access-model/access-model";
import { synthesize, SynthResult } from "../../cli/app/synthesize";
import { parseConfig } from "../../lib/config/load";
import { BitbucketOidcConfigInput } from "../../lib/config/model";
import { validateConfig } from "../../lib/config/validate";

/** Terraform JSON as cdktf writes it. */
export type TerraformJson = {
  terraform: Record<string, unknown> & { backend?: Record<string, Record<string, unknown>>; required_version?: string };
  provider?: Record<string, Record<string, unknown>[]>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; description?: string }>;
  import?: unknown[];
};

/** The output of one synth, in a temporary folder; call dispose() when done. */
export interface Synthesized {
  readonly outdir: string;
  readonly result: SynthResult;
  /** cdk.tf.json of a stack (default: the first). */
  json(stack?: string): TerraformJson;
  /** access-model.json of a stack (default: the first). */
  accessModel(stack?: string): AccessModel;
  /** Reads any file of a stack's output folder. */
  file(name: string, stack?: string): string;
  dispose(): void;
}

/** Synthesizes a config object or YAML text into a fresh temporary folder. */
export function synthConfig(config: BitbucketOidcConfigInput | string, label = "test-config.yaml"): Synthesized {
  const validated = typeof config === "string" ? parseConfig(config, label) : validateConfig(config, label);
  const outdir = mkdtempSync(join(tmpdir(), "bbo-synth-"));
  try {
    const result = synthesize(validated, join(outdir, "cdktf.out"));
    const stackDir = (stack?: string): string => join(outdir, "cdktf.out", "stacks", stack ?? result.stacks[0].name);
    return {
      outdir,
      result,
      json: (stack) => JSON.parse(readFileSync(join(stackDir(stack), "cdk.tf.json"), "utf8")) as TerraformJson,
      accessModel: (stack) => JSON.parse(readFileSync(join(stackDir(stack), "access-model.json"), "utf8")) as AccessModel,
      file: (name, stack) => readFileSync(join(stackDir(stack), name), "utf8"),
      dispose: () => rmSync(outdir, { recursive: true, force: true }),
    };
  } catch (e) {
    rmSync(outdir, { recursive: true, force: true });
    throw e;
  }
}

/** Synthesizes, runs `fn` on the output, and always removes the temporary folder. */
export function withSynth<T>(config: BitbucketOidcConfigInput | string, fn: (out: Synthesized) => T): T {
  const out = synthConfig(config);
  try {
    return fn(out);
  } finally {
    out.dispose();
  }
}

/** Fixed UUIDs for tests, in Bitbucket's form (braces, lower case). */
export const UUIDS = {
  workspace: "{8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60}",
  otherWorkspace: "{1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f}",
  repoA: "{3f2a9c4e-7b1d-4a8e-b6c5-0d9e8f7a6b51}",
  repoB: "{5b7d1e3f-2c4a-4b6d-8e0f-a1b2c3d4e5f6}",
  repoC: "{6c8e2f40-3d5b-4c7e-9f10-b2c3d4e5f607}",
  envProduction: "{9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b}",
  envStaging: "{2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d}",
} as const;

/** A minimal valid config object (one role, one repository); override any top-level key. */
export function baseConfig(overrides: Partial<BitbucketOidcConfigInput> = {}): BitbucketOidcConfigInput {
  return {
    stack: "bitbucket-oidc",
    workspace: { slug: "acme", uuid: UUIDS.workspace },
    aws: { region: "us-east-1", accountId: "123456789012" },
    state: { bucket: "acme-terraform-state", key: "bitbucket-oidc/terraform.tfstate", region: "us-east-1" },
    roles: [{ name: "bitbucket-deploy", repositories: [{ uuid: UUIDS.repoA, name: "web-app" }] }],
    ...overrides,
  };
}

/** The resources of one type in a stack's JSON, by Terraform name. */
export function resourcesOf(json: TerraformJson, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

/** The trust policy of a role (by role name) as a parsed document. */
export function trustPolicyOf(json: TerraformJson, roleName: string): { Statement: Record<string, unknown>[] } {
  const role = Object.values(resourcesOf(json, "aws_iam_role")).find((r) => r.name === roleName);
  if (!role) throw new Error(`no aws_iam_role named ${roleName}`);
  return JSON.parse(role.assume_role_policy as string);
}
