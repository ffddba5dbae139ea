/**
 * Wild input, property: every name synth writes into cdk.tf.json is a legal Terraform identifier
 * (resources, data sources, outputs, provider aliases, the names inside references, import and moved
 * addresses), checked by a regex over generated configs and by the real terraform binary, which parses
 * the whole configuration at `init` before it would download providers (offline it gets exactly that
 * far; a configuration error stops it earlier).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describeWithTerraform, terraformOffline } from "../adoption/terraform-cli";
import { ODD_ROLE_NAMES, wildConfig, wildRuns, wildSeed, wildTimeout } from "../support/config-arbitrary";
import { baseConfig, TerraformJson, UUIDS } from "../support/synth";
import { identifiers, synthStacks } from "./wild-synth";

/** HCL's identifier rule, as Terraform states it: "A name must start with a letter or underscore and may contain only letters, digits, underscores, and dashes". */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const RUNS = wildRuns(80);
/** terraform init per stack takes a second or more: a share of WILD_RUNS. */
const TERRAFORM_RUNS = wildRuns(3, 0.01);
const PROVIDER_DOWNLOAD_FAILED = /Failed to query available provider packages/;
const CONFIGURATION_ERROR = /problems with the configuration|Invalid resource name|Invalid output name|Invalid data source name|Invalid|Duplicate/;

/** Terraform's first configuration error with its message, or undefined. */
function configurationError(output: string): string | undefined {
  if (!CONFIGURATION_ERROR.test(output)) return undefined;
  return /Error: (?!Failed to query|Terraform encountered)(.{0,200})/.exec(output)?.[1] ?? CONFIGURATION_ERROR.exec(output)?.[0];
}

/** Runs `terraform init -backend=false` offline on a stack; returns its output, whitespace collapsed. */
function terraformInit(json: TerraformJson): string {
  const dir = mkdtempSync(join(tmpdir(), "bbo-wild-tf-"));
  try {
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(json, null, 2));
    const run = terraformOffline(dir, ["init", "-backend=false", "-input=false"]);
    return run.output.replace(/\s+/g, " ");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("wild input: every Terraform name is legal", () => {
  test("GIVEN generated configs THEN every resource, data source, output, alias and referenced name is a Terraform identifier", () => {
    let checked = 0;
    fc.assert(
      fc.property(wildConfig(), (config) => {
        const stacks = synthStacks(config);
        if (!stacks) return;
        for (const stack of stacks) {
          const illegal = identifiers(stack.json).filter((id) => !IDENTIFIER.test(id.name));
          expect({ stack: stack.name, illegal }).toEqual({ stack: stack.name, illegal: [] });
          checked++;
        }
      }),
      { numRuns: RUNS, seed: wildSeed(), endOnFailure: true },
    );
    expect(checked).toBeGreaterThan(0);
  }, wildTimeout(RUNS, 300));
});

describeWithTerraform("wild input: terraform itself parses the names (offline init)", () => {
  test("GIVEN every awkward role name at once THEN terraform init gets as far as the provider download", () => {
    const config = baseConfig({ roles: ODD_ROLE_NAMES.map((name) => ({ name, repositories: [{ uuid: UUIDS.repoA }] })) });
    const stacks = synthStacks(config);
    expect(stacks).toBeDefined();
    for (const stack of stacks ?? []) {
      const output = terraformInit(stack.json);
      expect({ stack: stack.name, error: configurationError(output) }).toEqual({ stack: stack.name, error: undefined });
      expect(output).toMatch(PROVIDER_DOWNLOAD_FAILED);
    }
  });

  test("GIVEN generated configs THEN terraform init parses each stack up to the provider download", () => {
    fc.assert(
      fc.property(wildConfig(), (config) => {
        for (const stack of synthStacks(config) ?? []) {
          const output = terraformInit(stack.json);
          expect({ stack: stack.name, error: configurationError(output) }).toEqual({ stack: stack.name, error: undefined });
          expect(output).toMatch(PROVIDER_DOWNLOAD_FAILED);
        }
      }),
      { numRuns: TERRAFORM_RUNS, seed: wildSeed() + 1, endOnFailure: true },
    );
  }, wildTimeout(TERRAFORM_RUNS, 6000));
});
