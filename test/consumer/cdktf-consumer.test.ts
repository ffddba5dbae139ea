/**
 * The packed package in a fresh consumer CDKTF project: `npm pack`, a `cdktf init`-style project in a
 * temporary folder, an offline install from the consumer npm cache (both built once per jest run), then `cdktf synth` of the README's example
 * (verbatim) as the project's main.ts. The heavy peers come from the repository's node_modules.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { CDKTF_CLI, haveTerraform, installedCopies, Packed, readmeExample, run, sharedConsumer, sharedPackage, Stopwatch } from "./consumer-project";
import { TerraformJson } from "../support/synth";
import { startTestIssuer } from "../support/tokens";

const HEADING = "Use in an existing CDKTF project";
const ALLOWED = /^(dist\/.+\.(js|d\.ts)|bin\/bitbucket-oidc\.js|README\.md|LICENSE|bitbucket-oidc\.schema\.json|package\.json)$/;

let work: string;
let packed: Packed;
let host: string;
const stopwatch = new Stopwatch();

beforeAll(async () => {
  packed = await stopwatch.timeAsync("pack (shared)", sharedPackage);
  const consumer = await sharedConsumer("cdktf", (pkg) => ({
    name: "host",
    dependencies: { cdktf: "^0.21.0", constructs: "^10.4.2", "@cdktf/provider-aws": "^21.22.1", "cdktf-bitbucket-oidc": `file:${pkg.tarball}` },
    devDependencies: { typescript: "~5.9.3", "ts-node": "^10.9.2", "@types/node": "^20.17.0" },
    fromRepository: ["cdktf", "constructs", "@cdktf/provider-aws"],
    mainTs: readmeExample(HEADING),
  }));
  host = consumer.host;
  work = dirname(host);
  Object.assign(stopwatch.seconds, { ...consumer.seconds, ...stopwatch.seconds });
}, 600_000);

afterAll(() => {
  console.log(`consumer (cdktf) timings, seconds: ${JSON.stringify(stopwatch.seconds)}`); // globalTeardown removes the run's folder
});

describe("the packed package", () => {
  test("GIVEN npm pack WHEN listing the tarball THEN only built JavaScript, declarations, the bin, README, LICENSE and the schema", () => {
    expect(packed.files.filter((f) => !ALLOWED.test(f))).toEqual([]);
    expect(packed.files).toEqual(expect.arrayContaining(["dist/index.js", "dist/index.d.ts", "bin/bitbucket-oidc.js", "bitbucket-oidc.schema.json", "README.md", "LICENSE"]));
    expect(packed.files.some((f) => /(^|\/)test\/|\.test\./.test(f))).toBe(false);
  });

  test("GIVEN the installed package WHEN its bin runs THEN it works from the compiled output alone", () => {
    const out = run(process.execPath, [join(host, "node_modules", ".bin", "bitbucket-oidc"), "validate", "--help"], host);
    expect(out).toContain("validate");
  });

  test("GIVEN the consumer's tree THEN exactly one cdktf, one constructs and one AWS binding", () => {
    expect(installedCopies(host, "cdktf")).toHaveLength(1);
    expect(installedCopies(host, "constructs")).toHaveLength(1);
    expect(installedCopies(host, "@cdktf/provider-aws")).toHaveLength(1);
  });

  test("GIVEN the package WHEN a deep internal path is required THEN exports keeps it internal", () => {
    const script = 'try { require("cdktf-bitbucket-oidc/dist/lib/bitbucket/uuid.js"); console.log("reachable") } catch (e) { console.log(e.code) }';
    expect(run(process.execPath, ["-e", script], host).trim()).toBe("ERR_PACKAGE_PATH_NOT_EXPORTED");
  });

  test("GIVEN a role with no repository WHEN built with the installed package THEN its ValidationError names the field", () => {
    const script = [
      'const { App, TerraformStack } = require("cdktf");',
      'const { BitbucketOidcProvider, BitbucketPipelinesRole, ValidationError } = require("cdktf-bitbucket-oidc");',
      'const stack = new TerraformStack(new App(), "s");',
      'const p = new BitbucketOidcProvider(stack, "p", { workspaceSlug: "acme", workspaceUuid: "{8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60}" });',
      'try { new BitbucketPipelinesRole(stack, "r", { oidcProvider: p, roleName: "r" }); console.log("accepted") }',
      "catch (e) { console.log(e instanceof ValidationError, e.message) }",
    ].join("\n");
    const out = run(process.execPath, ["-e", script], host);
    expect(out).toMatch(/^true BitbucketPipelinesRole "r"/);
    expect(out).toContain("repositories");
  });
});

describe("cdktf synth of the README example in the consumer project", () => {
  const terraform = haveTerraform();
  if (!terraform && process.env.CI !== "true") {
    console.warn("SKIPPED: cdktf synth in the consumer project (terraform is not on PATH; it runs in CI)");
  }
  const maybe = terraform || process.env.CI === "true" ? test : test.skip;

  maybe(
    "GIVEN the README's example as main.ts WHEN `cdktf synth` THEN the host's provider, backend and bucket, our provider and two roles",
    () => {
      stopwatch.time("cdktf synth", () => run(process.execPath, [CDKTF_CLI, "synth"], host));
      const json = JSON.parse(readFileSync(join(host, "cdktf.out", "stacks", "platform", "cdk.tf.json"), "utf8")) as TerraformJson;

      expect(json.provider?.aws).toEqual([{ region: "eu-west-1" }]);
      expect(Object.keys(json.provider ?? {})).toEqual(["aws"]);
      expect(json.terraform.backend?.s3).toMatchObject({ bucket: "acme-terraform-state", key: "platform/terraform.tfstate" });
      expect(json.resource?.aws_s3_bucket?.artifacts.bucket).toBe("acme-build-artifacts");
      const providers = Object.values(json.resource?.aws_iam_openid_connect_provider ?? {});
      expect(providers.map((p) => p.url)).toEqual(["https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc"]);
      const roles = Object.values(json.resource?.aws_iam_role ?? {});
      expect(roles.map((r) => r.name).sort()).toEqual(["bitbucket-deploy", "bitbucket-read-only"]);
      const deploy = JSON.parse(String(roles.find((r) => r.name === "bitbucket-deploy")?.assume_role_policy));
      expect(deploy.Statement[0].Principal.Federated).toBe("${aws_iam_openid_connect_provider.bitbucket.arn}");
      expect(deploy.Statement[0].Condition.StringLike).toEqual({
        "api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc:sub": "{3f2a9c4e-7b1d-4a8e-b6c5-0d9e8f7a6b51}:{9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b}:*",
      });
      // The bucket reference, and what the roles gained after construction.
      const policies = Object.values(json.resource?.aws_iam_role_policy ?? {}).map((p) => ({ name: p.name, policy: JSON.parse(String(p.policy)) }));
      expect(policies.find((p) => p.name === "permissions")?.policy.Statement).toEqual([
        { Effect: "Allow", Action: "s3:PutObject", Resource: "${aws_s3_bucket.artifacts.arn}/*" },
        { Effect: "Allow", Action: "s3:GetObject", Resource: "${aws_s3_bucket.artifacts.arn}/*" },
      ]);
      expect(policies.map((p) => p.name).sort()).toEqual(["grant-terraform-state", "permissions"]);
      expect(Object.keys(json.resource?.aws_iam_role_policies_exclusive ?? {})).toHaveLength(2);
      expect(Object.values(json.resource?.aws_iam_role_policy_attachment ?? {}).map((a) => a.policy_arn)).toEqual(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
      // The guardrails ran on the host stack: the same example with a misspelt action stops the synth.
      const bad = readmeExample(HEADING).replace('actions: ["s3:PutObject"]', 'actions: ["s3:PutObjects"]');
      expect(bad).toContain("s3:PutObjects");
      writeFileSync(join(host, "bad.ts"), bad);
      const failed = spawnSync(process.execPath, [join(host, "node_modules", "ts-node", "dist", "bin.js"), "bad.ts"], { cwd: host, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: join(work, "bad-out") } });
      expect(failed.status).not.toBe(0);
      expect(failed.stderr).toMatch(/BBO-P001[\s\S]*s3:PutObjects/);
      // The team's own rule ran too: a role without the prefix stops the synth with its id.
      const unprefixed = readmeExample(HEADING).replace('roleName: "bitbucket-read-only"', 'roleName: "read-only"');
      writeFileSync(join(host, "unprefixed.ts"), unprefixed);
      const refused = spawnSync(process.execPath, [join(host, "node_modules", "ts-node", "dist", "bin.js"), "unprefixed.ts"], { cwd: host, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: join(work, "unprefixed-out") } });
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toMatch(/ACME-001[\s\S]*"read-only" lacks the bitbucket- prefix/);
    },
    180_000,
  );

  maybe(
    "GIVEN the host's cdktf.out WHEN `npx --no bitbucket-oidc` review, explain --role and snippet run THEN each reads the host stack's access model",
    async () => {
      const model = JSON.parse(readFileSync(join(host, "cdktf.out", "stacks", "platform", "access-model.json"), "utf8")) as { roles: { name: string; arnOutput: string }[] };
      expect(model.roles.map((r) => [r.name, r.arnOutput])).toEqual([
        ["bitbucket-deploy", "role_arn_bitbucket-deploy"],
        ["bitbucket-read-only", "role_arn_bitbucket-read-only"],
      ]);
      const review = run("npx", ["--no", "bitbucket-oidc", "review", "--synth", "cdktf.out"], host);
      expect(review).toContain("bitbucket-deploy");
      expect(review).toContain("${aws_s3_bucket.artifacts.arn}/*");
      const snippet = run("npx", ["--no", "bitbucket-oidc", "snippet", "bitbucket-deploy"], host);
      expect(snippet).toContain("deployment: production");
      expect(snippet).toContain("role_arn_bitbucket-deploy");
      const issuer = await startTestIssuer();
      try {
        const token = await issuer.mint({
          workspaceSlug: "acme",
          workspaceUuid: "{8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60}",
          repositoryUuid: "{3f2a9c4e-7b1d-4a8e-b6c5-0d9e8f7a6b51}",
          environmentUuid: "{9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b}",
        });
        writeFileSync(join(work, "token.jwt"), token, { mode: 0o600 });
      } finally {
        await issuer.close();
      }
      const explain = run("npx", ["--no", "bitbucket-oidc", "explain", "--token", join(work, "token.jwt"), "--role", "bitbucket-deploy"], host);
      expect(explain).toMatch(/^ALLOWED +bitbucket-deploy/m);
    },
    120_000,
  );
});
