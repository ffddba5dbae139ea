#!/usr/bin/env node
"use strict";
/**
 * The bare-classes baseline of `npm run bench`: cdktf's own cost for the resources our synth writes.
 *
 * `node scripts/bench-baseline.js SPEC OUTDIR` builds, with bare provider classes imported by deep path
 * and without any check of ours, the same Terraform resources, data sources, providers, backend and
 * outputs that a synth of ours wrote, and calls `app.synth()` (no cdktf CLI). References between
 * resources are real cdktf references (`role.name`, `provider.arn`), not copied strings.
 *
 * SPEC is written before timing by {@link writeSpec} from our synth output: per stack, its
 * `cdk.tf.json` without cdktf's metadata. So the baseline always has exactly our resources,
 * whatever the config holds.
 */
const fs = require("node:fs");
const path = require("node:path");

/** Our synth output (`cdktf.out`) -> the baseline's input: one entry per stack, cdktf metadata dropped. */
function writeSpec(cdktfOut, specFile) {
  const manifest = JSON.parse(fs.readFileSync(path.join(cdktfOut, "manifest.json"), "utf8"));
  const stacks = Object.values(manifest.stacks).map((s) => {
    const json = JSON.parse(fs.readFileSync(path.join(cdktfOut, s.synthesizedStackPath), "utf8"));
    const strip = (blocks) =>
      Object.fromEntries(Object.entries(blocks ?? {}).map(([type, byId]) => [type, Object.fromEntries(Object.entries(byId).map(([id, { "//": _, ...body }]) => [id, body]))]));
    return { name: s.name, provider: json.provider, backend: json.terraform?.backend, requiredVersion: json.terraform?.required_version, resource: strip(json.resource), data: strip(json.data), output: json.output ?? {} };
  });
  fs.writeFileSync(specFile, JSON.stringify(stacks));
  return stacks.reduce((n, s) => n + Object.values(s.resource).reduce((m, byId) => m + Object.keys(byId).length, 0), 0);
}

/** `iam_role_policy` -> `IamRolePolicy`. */
const pascal = (s) => s.replace(/(^|_)([a-z0-9])/g, (_, __, c) => c.toUpperCase());
const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

/** The class of a resource or data source type, by deep path (`aws_iam_role` -> lib/iam-role). */
function classOf(type, data) {
  const base = type.replace(/^aws_/, "");
  const file = (data ? `data-aws-${base}` : base).replace(/_/g, "-");
  const name = data ? `DataAws${pascal(base)}` : pascal(base);
  return require(`@cdktf/provider-aws/lib/${file}`)[name];
}

function main() {
  const [specFile, outdir] = process.argv.slice(2);
  const { App, TerraformStack, TerraformOutput, S3Backend } = require("cdktf");
  const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");
  const spec = JSON.parse(fs.readFileSync(specFile, "utf8"));
  const app = new App({ outdir });
  for (const s of spec) {
    const stack = new TerraformStack(app, s.name);
    const made = new Map();
    const providers = new Map();
    // Terraform JSON -> construct props: keys camelCased (not inside tag maps), references made real.
    const ref = (text) =>
      text.replace(/\$\{((?:data\.)?aws_[a-z0-9_]+\.[^.}]+)\.([a-z_]+)\}/g, (whole, target, attr) => {
        const c = made.get(target);
        return c ? c.getStringAttribute(attr) : whole;
      });
    const props = (v, key) => {
      if (typeof v === "string") return ref(v);
      if (Array.isArray(v)) return v.map((x) => props(x, key));
      if (v === null || typeof v !== "object") return v;
      if (key === "tags" || key === "tags_all") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, props(x)]));
      const out = {};
      for (const [k, x] of Object.entries(v)) {
        if (k === "provider") out.provider = providers.get(x);
        else if (k === "depends_on") out.dependsOn = x.map((d) => made.get(d));
        else out[camel(k)] = props(x, k);
      }
      return out;
    };
    for (const p of s.provider?.aws ?? []) {
      const provider = new AwsProvider(stack, p.alias ? `aws-${p.alias}` : "aws", props(p));
      providers.set(p.alias ? `aws.${p.alias}` : "aws", provider);
    }
    if (s.backend?.s3) new S3Backend(stack, props(s.backend.s3));
    if (s.requiredVersion) stack.addOverride("terraform.required_version", s.requiredVersion);
    for (const [type, byId] of Object.entries(s.data)) {
      const Class = classOf(type, true);
      for (const [id, body] of Object.entries(byId)) made.set(`data.${type}.${id}`, new Class(stack, id, props(body)));
    }
    // In file order; a resource refers only to resources of earlier types (provider -> role -> policy).
    const order = ["aws_iam_openid_connect_provider", "aws_iam_role"];
    const types = [...order.filter((t) => s.resource[t]), ...Object.keys(s.resource).filter((t) => !order.includes(t)).sort((a, b) => (a.includes("exclusive") ? 1 : 0) - (b.includes("exclusive") ? 1 : 0))];
    for (const type of types) {
      const Class = classOf(type, false);
      for (const [id, body] of Object.entries(s.resource[type])) made.set(`${type}.${id}`, new Class(stack, id, props(body)));
    }
    for (const [id, body] of Object.entries(s.output)) new TerraformOutput(stack, id, props(body));
  }
  app.synth();
}

module.exports = { writeSpec };
if (require.main === module) main();
