/**
 * A reference added to one of our stack's roles by a host reaches access-model.json and review as
 * its Terraform expression text, in the Markdown report and the JSON one.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { BitbucketOidcStack } from "../../index";
import { accessModelOf as accessModelOfStack } from "../../lib/access-model/access-model-of";
import { ACCESS_MODEL_FILE } from "../../lib/access-model/access-model";
import { runCommand } from "../review/support";
import { baseConfig } from "../support/synth";

/** The access model BitbucketOidcStack writes at synth, built from the same context (names from the config). */
const accessModelOf = (stack: BitbucketOidcStack) =>
  accessModelOfStack(stack, { workspace: stack.config.workspace, region: stack.config.aws.region, accountId: stack.config.aws.accountId, providerArn: stack.config.provider.existingArn });

const EXPRESSION = "${aws_s3_bucket.artifacts.arn}/*";

/** Writes one stack's access model (built with `grow` applied) as synth would, under `<dir>/stacks/<stack>/`. */
function writeModel(dir: string, grow: (stack: BitbucketOidcStack) => void): string {
  mkdirSync(join(dir, "app"), { recursive: true });
  const stack = new BitbucketOidcStack(new App({ outdir: join(dir, "app") }), "bitbucket-oidc", { config: baseConfig() });
  grow(stack);
  const synthDir = join(dir, "cdktf.out");
  mkdirSync(join(synthDir, "stacks", "bitbucket-oidc"), { recursive: true });
  writeFileSync(join(synthDir, "stacks", "bitbucket-oidc", ACCESS_MODEL_FILE), `${JSON.stringify(accessModelOf(stack), null, 2)}\n`);
  return synthDir;
}

test("GIVEN a host's bucket reference added to a role WHEN reviewed against the role without it THEN the report shows the Terraform expression", async () => {
  const dir = mkdtempSync(join(tmpdir(), "bbo-review-refs-"));
  try {
    const base = writeModel(join(dir, "base"), () => undefined);
    const head = writeModel(join(dir, "head"), (stack) => {
      const bucket = new S3Bucket(stack, "artifacts", { bucket: "host-artifacts" });
      stack.roles["bitbucket-deploy"].addToPolicy({ actions: ["s3:PutObject"], resources: [`${bucket.arn}/*`] });
    });
    const markdown = await runCommand(["review", "--synth", head, "--base", base]);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toContain(EXPRESSION);
    expect(markdown.stdout).not.toContain("TfToken");
    const json = await runCommand(["review", "--synth", head, "--base", base, "--json"]);
    expect(json.code).toBe(0);
    expect(json.stdout).toContain(JSON.stringify(EXPRESSION).slice(1, -1));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
