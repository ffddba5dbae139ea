/**
 * The synthesized import blocks as Terraform itself reads them, offline. `terraform init
 * -backend=false` parses the whole configuration before it installs providers; the registry is
 * unreachable (and the CLI config points provider installation at an empty mirror), so a valid
 * configuration gets exactly as far as the provider download, while a malformed import block stops
 * earlier with a configuration error.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { baseConfig, UUIDS, withSynth } from "../support/synth";
import { describeWithTerraform, initWith, terraformOffline } from "./terraform-cli";

const PROVIDER_ARN = "arn:aws:iam::123456789012:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc";
// Terraform's messages, whitespace collapsed (it wraps lines at 80 columns).
const PROVIDER_DOWNLOAD_FAILED = /Failed to query available provider packages .*provider registry\.terraform\.io\/hashicorp\/aws was not found in any of the search locations/;
const CONFIGURATION_ERROR = /problems with the configuration|Missing required argument|Invalid|Unsupported argument|Extra characters/;

const adopted = baseConfig({
  provider: { existingArn: PROVIDER_ARN, adopt: true },
  roles: [
    {
      name: "bitbucket-deploy",
      adopt: true,
      repositories: [{ uuid: UUIDS.repoA }],
      statements: [{ actions: ["s3:GetObject"], resources: ["*"] }],
      managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
    },
  ],
});


describeWithTerraform("terraform init -backend=false on the adoption output (offline)", () => {
  test("GIVEN the synthesized import blocks WHEN terraform init parses them THEN it gets as far as the provider download and no further", () => {
    withSynth(adopted, (out) => {
      const json = out.json();
      expect(json.import).toHaveLength(6);
      const output = initWith(json);
      expect(output).toMatch(PROVIDER_DOWNLOAD_FAILED);
      expect(output).not.toMatch(CONFIGURATION_ERROR);
    });
  });

  test("GIVEN an import block without `to` WHEN terraform init parses it THEN it fails earlier, on the configuration", () => {
    withSynth(adopted, (out) => {
      const output = initWith(out.json(), (j) => {
        delete (j.import as Record<string, unknown>[])[0].to;
      });
      expect(output).toMatch(/problems with the configuration.*Missing required argument.*The argument "to" is required/);
    });
  });

  test("GIVEN an import block whose `to` is not an address WHEN terraform init parses it THEN it fails on the configuration", () => {
    withSynth(adopted, (out) => {
      const output = initWith(out.json(), (j) => {
        (j.import as Record<string, unknown>[])[0].to = "not an address";
      });
      expect(output).toMatch(/problems with the configuration.*in import\[0\]/);
      expect(output).not.toMatch(PROVIDER_DOWNLOAD_FAILED);
    });
  });
});

describeWithTerraform("an import id may reference a data source (Terraform >= 1.6), as the caller-identity ARN does", () => {
  test("GIVEN an import id built from a data source read at plan WHEN planned THEN Terraform resolves it and plans the import", () => {
    // Provider-free stand-in for data.aws_caller_identity: terraform_remote_state is also a data
    // source read during plan, and terraform_data is importable by any id.
    const dir = mkdtempSync(join(tmpdir(), "bbo-import-expr-"));
    try {
      writeFileSync(
        join(dir, "account.tfstate"),
        JSON.stringify({ version: 4, terraform_version: "1.11.4", serial: 1, lineage: "test", outputs: { account_id: { value: "123456789012", type: "string" } }, resources: [] }),
      );
      writeFileSync(
        join(dir, "main.tf.json"),
        JSON.stringify({
          data: { terraform_remote_state: { caller: { backend: "local", config: { path: join(dir, "account.tfstate") } } } },
          resource: { terraform_data: { provider: { input: "adopted" } } },
          import: [{ to: "terraform_data.provider", id: "arn:aws:iam::${data.terraform_remote_state.caller.outputs.account_id}:oidc-provider/x" }],
        }),
      );
      expect(terraformOffline(dir, ["init", "-backend=false", "-input=false"]).status).toBe(0);
      const plan = terraformOffline(dir, ["plan", "-input=false"]);
      expect(plan.output).toContain('imported from "arn:aws:iam::123456789012:oidc-provider/x"');
      expect(plan.output).toMatch(/Plan: 1 to import/);
      expect(plan.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
