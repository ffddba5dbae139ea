/**
 * The chicken-and-egg path, with the real terraform and our synthesized backend blocks: the bootstrap
 * stack applies with local state (the bucket does not exist yet), then `terraform init -migrate-state`
 * moves that state onto the bucket once `state.bootstrapBackend: s3` points the stack there. A
 * provider-free module stands in for the AWS resources (no provider downloads offline); it replaces
 * the output folder the way synth does (cli/app/output-folder.ts), which keeps `.terraform/`, so
 * Terraform still knows the previous backend was local.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { replaceOutputFolder, stagingFolder } from "../../cli/app/output-folder";
import { StateConfig } from "../../lib/config/model";
import { LocalS3, startLocalS3 } from "../support/local-s3";
import { baseConfig, TerraformJson, withSynth } from "../support/synth";
import { describeWithTerraform, tempDir, terraformOk, writeProviderFreeModule } from "../support/terraform";
import { applyArgs, OFFLINE_BACKEND_FLAGS, PulledState, pullState } from "./lock-scenario";

jest.setTimeout(240_000);

describeWithTerraform("state bootstrap: local state first, then terraform init -migrate-state onto the bucket", () => {
  let s3: LocalS3;
  const project = tempDir("bbo-project-");
  const stackDir = join(project.path, "cdktf.out", "stacks", "bitbucket-oidc-state");

  beforeAll(async () => {
    s3 = await startLocalS3({ bucket: "acme-terraform-state", conditionalWrites: true });
  });
  afterAll(async () => {
    await s3?.stop();
    project.remove();
  });

  /** The bootstrap stack's `terraform` block, as a synth with these state options writes it. */
  const bootstrapBlock = (state: Partial<StateConfig>): TerraformJson["terraform"] =>
    withSynth(baseConfig({ state: { bucket: s3.bucket, region: "us-east-1", endpoints: { s3: s3.endpoint }, usePathStyle: true, bootstrap: true, ...state } }), (out) => {
      const { backend, required_version } = out.json("bitbucket-oidc-state").terraform;
      return { backend, required_version };
    });

  /** What a synth does to the output folder: replace the files it writes, keep Terraform's. */
  const resynth = (block: TerraformJson["terraform"]): void => {
    const out = join(project.path, "cdktf.out");
    const staging = stagingFolder(out);
    mkdirSync(join(staging, "stacks", "bitbucket-oidc-state"), { recursive: true });
    writeProviderFreeModule(join(staging, "stacks", "bitbucket-oidc-state"), block);
    replaceOutputFolder(staging, out);
  };

  it("applies with local state kept beside cdktf.out, and a re-synth keeps the stack's .terraform/", async () => {
    resynth(bootstrapBlock({}));
    await terraformOk(stackDir, ["init", "-input=false", "-no-color"]);
    await terraformOk(stackDir, applyArgs("1"));
    resynth(bootstrapBlock({}));
    expect(JSON.parse(readFileSync(join(stackDir, ".terraform", "terraform.tfstate"), "utf8")).backend.type).toBe("local");
    const local = join(project.path, "terraform.bitbucket-oidc-state.tfstate");
    expect(existsSync(local)).toBe(true);
    expect(JSON.parse(readFileSync(local, "utf8")).outputs.run.value).toBe("1");
  });

  it("moves that state onto the bucket with terraform init -migrate-state, under <stack>-state/terraform.tfstate", async () => {
    const local = JSON.parse(readFileSync(join(project.path, "terraform.bitbucket-oidc-state.tfstate"), "utf8"));
    const block = bootstrapBlock({ bootstrapBackend: "s3" });
    expect(block.backend?.s3).toMatchObject({ bucket: s3.bucket, key: "bitbucket-oidc-state/terraform.tfstate", use_lockfile: true, encrypt: true });
    resynth(block);
    // The README's step: no copying; .terraform/ survived the synth, so init sees local -> s3.
    await terraformOk(stackDir, ["init", "-input=false", "-no-color", "-migrate-state", "-force-copy", ...OFFLINE_BACKEND_FLAGS]);

    // The same resources and outputs; Terraform 1.11 gives a migrated state a new lineage.
    const remote = (await pullState(stackDir)) as PulledState & { resources: unknown[] };
    expect(remote.resources).toEqual(local.resources);
    expect(remote.outputs).toEqual(local.outputs);

    // From now on every run, in any working folder, uses (and locks) the state in the bucket.
    resynth(block);
    await terraformOk(stackDir, ["init", "-input=false", "-no-color", ...OFFLINE_BACKEND_FLAGS]);
    const plan = await terraformOk(stackDir, ["plan", "-input=false", "-no-color", "-detailed-exitcode", "-var=run=1"]);
    expect(plan.output).toContain("No changes.");
    await terraformOk(stackDir, applyArgs("2"));
    const after = await pullState(stackDir);
    expect(after.lineage).toBe(remote.lineage);
    expect(after.serial).toBe(remote.serial + 1);
    expect(after.outputs.run.value).toBe("2");
  });
});
