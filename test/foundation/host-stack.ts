/** Builds constructs in a plain host stack (its own AWS provider) and returns the synthesized JSON. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformJson } from "../support/synth";

export function synthHost(build: (stack: TerraformStack) => void): TerraformJson {
  const outdir = mkdtempSync(join(tmpdir(), "bbo-host-"));
  try {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "host");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    build(stack);
    return JSON.parse(Testing.synth(stack, true)) as TerraformJson;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
