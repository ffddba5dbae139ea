import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { BitbucketOidcAccessModel } from "../../lib/access-model/bitbucket-oidc-access-model";
import { BitbucketOidcStack } from "../../stacks/bitbucket-oidc-stack";
import type { StackOutputContext } from "./output-writers";
import { PIPELINES_DIR, renderSnippet, snippetFileName } from "../../lib/pipelines/render";

/** Output writer: `pipelines/<role>.yml` next to each BitbucketOidcStack's cdk.tf.json, one per role. */
export function writePipelineSnippets({ stack, stackDir, files }: StackOutputContext): void {
  if (!(stack instanceof BitbucketOidcStack)) return;
  const model = BitbucketOidcAccessModel.of(stack);
  if (model === undefined) return;
  const dir = join(stackDir, PIPELINES_DIR);
  mkdirSync(dir, { recursive: true });
  for (const role of model.roles) files.write(join(dir, snippetFileName(role.name)), renderSnippet(model, role));
}
