/**
 * docs/host-projects.md's example runs verbatim: the ```ts block after its `<!-- test: host-stack`
 * marker is transpiled and run with `cdktf-bitbucket-oidc` bound to this package, and its
 * cdk.tf.json holds the reference, the additions and both exclusive lists. (The consumer tests run
 * the same block in a fresh project against the packed package.)
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ts from "typescript";
import { resourcesOf, TerraformJson } from "../support/synth";

const DOC = join(__dirname, "..", "..", "docs", "host-projects.md");

/** The ```ts block right after the marker comment `<!-- test: <name>`. */
export function exampleOf(name: string): string {
  const text = readFileSync(DOC, "utf8");
  const block = new RegExp(`<!-- test: ${name}\\b[^>]*-->\\n\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(text)?.[1];
  if (!block) throw new Error(`docs/host-projects.md: no \`\`\`ts block after <!-- test: ${name} -->`);
  return block;
}

/** Runs a TypeScript example as a CommonJS module, with the package name bound to this checkout. */
function runExample(source: string, outdir: string): void {
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
  const load = (name: string): unknown => (name === "cdktf-bitbucket-oidc" ? require("../../index") : require(name));
  const previous = process.env.CDKTF_OUTDIR;
  process.env.CDKTF_OUTDIR = outdir;
  try {
    new Function("require", "exports", "module", outputText)(load, {}, { exports: {} });
  } finally {
    if (previous === undefined) delete process.env.CDKTF_OUTDIR;
    else process.env.CDKTF_OUTDIR = previous;
  }
}

test("GIVEN docs/host-projects.md's host stack WHEN run verbatim THEN it synthesizes the bucket reference, every addition and the exclusive lists", () => {
  const source = exampleOf("host-stack");
  expect(source).toContain('from "cdktf-bitbucket-oidc"');
  const outdir = mkdtempSync(join(tmpdir(), "bbo-host-doc-"));
  try {
    process.env.CHECKPOINT_DISABLE = "1";
    runExample(source, outdir);
    const json = JSON.parse(readFileSync(join(outdir, "stacks", "platform", "cdk.tf.json"), "utf8")) as TerraformJson;
    const inline = Object.fromEntries(Object.values(resourcesOf(json, "aws_iam_role_policy")).map((p) => [p.name, String(p.policy)]));
    expect(Object.keys(inline).sort()).toEqual(["grant-ecr-push", "grant-terraform-state", "permissions"]);
    expect(JSON.parse(inline.permissions).Statement.map((s: { Resource: string }) => s.Resource)).toEqual(["${aws_s3_bucket.artifacts.arn}/*", "${aws_s3_bucket.artifacts.arn}/*"]);
    expect(Object.values(resourcesOf(json, "aws_iam_role_policies_exclusive"))[0].policy_names).toEqual(["permissions", "grant-ecr-push", "grant-terraform-state"]);
    expect(Object.values(resourcesOf(json, "aws_iam_role_policy_attachments_exclusive"))[0].policy_arns).toEqual(["${aws_iam_policy.read-build-logs.arn}"]);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
