/**
 * Test support for the wild-input properties: synthesizes a generated config in-process and returns
 * every stack's cdk.tf.json, or undefined when the config is refused as bad input (a refusal is the
 * business of validate-synth.test.ts; an internal error is thrown, so a property fails on it).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesize, SynthError } from "../../cli/app/synthesize";
import { BitbucketOidcConfigInput } from "../../lib/config/model";
import { validateConfig } from "../../lib/config/validate";
import { ValidationError } from "../../lib/core/problems";
import { TerraformJson } from "../support/synth";

/** One synthesized stack. */
export interface WildStack {
  readonly name: string;
  readonly json: TerraformJson;
  /** The account the stack deploys to (its provider's allowed_account_ids), if named. */
  readonly accountId?: string;
}

/** Synthesizes `config`; undefined when it is refused as bad input. */
export function synthStacks(config: BitbucketOidcConfigInput): WildStack[] | undefined {
  let validated;
  try {
    validated = validateConfig(structuredClone(config), "wild.yaml");
  } catch (e) {
    if (e instanceof ValidationError) return undefined;
    throw e;
  }
  const dir = mkdtempSync(join(tmpdir(), "bbo-wild-synth-"));
  try {
    try {
      synthesize(validated, join(dir, "out"));
    } catch (e) {
      if (e instanceof SynthError || e instanceof ValidationError) return undefined;
      throw e;
    }
    const stacksDir = join(dir, "out", "stacks");
    return readdirSync(stacksDir)
      .sort()
      .map((name) => {
        const json = JSON.parse(readFileSync(join(stacksDir, name, "cdk.tf.json"), "utf8")) as TerraformJson;
        const ids = (json.provider?.aws?.[0] as { allowed_account_ids?: string[] } | undefined)?.allowed_account_ids;
        return { name, json, accountId: ids?.[0] };
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every identifier of a stack, with where it was found. */
export function identifiers(json: TerraformJson): { where: string; name: string }[] {
  const out: { where: string; name: string }[] = [];
  for (const [type, byName] of Object.entries(json.resource ?? {})) for (const name of Object.keys(byName)) out.push({ where: `resource.${type}`, name });
  for (const [type, byName] of Object.entries(json.data ?? {})) for (const name of Object.keys(byName)) out.push({ where: `data.${type}`, name });
  for (const name of Object.keys(json.output ?? {})) out.push({ where: "output", name });
  for (const [provider, blocks] of Object.entries(json.provider ?? {})) {
    for (const block of blocks) if (typeof block.alias === "string") out.push({ where: `provider.${provider}.alias`, name: block.alias });
  }
  const text = JSON.stringify(json);
  // Names inside references: ${type.name.attr} and ${data.type.name.attr}, and addresses of import/moved blocks.
  for (const m of text.matchAll(/(?<!\$)\$\{(?:data\.)?[a-z0-9_]+\.([^.}]+)\.[a-z_]+\}/g)) out.push({ where: "reference", name: m[1] });
  for (const block of [...((json.import as { to: string }[] | undefined) ?? []), ...(((json as { moved?: { from: string; to: string }[] }).moved) ?? [])]) {
    for (const address of Object.values(block).filter((v): v is string => typeof v === "string" && /^[a-z0-9_]+\./.test(v))) {
      out.push({ where: "address", name: address.split(".")[1] });
    }
  }
  return out;
}
