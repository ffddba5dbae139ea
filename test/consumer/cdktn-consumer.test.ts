/**
 * The CDK Terrain build (`cdktn-bitbucket-oidc`, scripts/build-cdktn.js) in a fresh cdktn project:
 * cdktn, @cdktn/provider-aws and constructs installed offline from the consumer npm cache
 * (scripts/consumer-cache.js puts them there), built once per jest run, the README's cdktn example run verbatim as main.ts with the app command of
 * cdktf.json (`npx ts-node main.ts`, which also type-checks it against the renamed declarations).
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { installedCopies, pack, Packed, readmeExample, run, sharedConsumer, Stopwatch } from "./consumer-project";
import { TerraformJson } from "../support/synth";
import { startTestIssuer } from "../support/tokens";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const flavor = require("../../scripts/cdktn-flavor") as { packageName: string; tested: Record<string, string> };

let packed: Packed;
let host: string;
const stopwatch = new Stopwatch();

beforeAll(async () => {
  const consumer = await sharedConsumer("cdktn", (pkg, dir) => {
    // The cdktn build of the shared staged package (its prepack has built dist/), packed beside it.
    run(process.execPath, [join(pkg.staged, "scripts", "build-cdktn.js")], pkg.staged);
    const cdktn = pack(join(pkg.staged, "build", "cdktn"), dir);
    writeFileSync(join(dir, "packed.json"), JSON.stringify(cdktn));
    return {
      name: "host",
      dependencies: { ...flavor.tested, [flavor.packageName]: `file:${cdktn.tarball}` },
      devDependencies: { typescript: "~5.9.3", "ts-node": "^10.9.2", "@types/node": "^20.17.0" },
      fromRepository: [],
      mainTs: readmeExample("CDK Terrain (cdktn)"),
    };
  });
  host = consumer.host;
  packed = JSON.parse(readFileSync(join(dirname(host), "packed.json"), "utf8")) as Packed;
  Object.assign(stopwatch.seconds, consumer.seconds);
}, 600_000);

afterAll(() => {
  console.log(`consumer (cdktn) timings, seconds: ${JSON.stringify(stopwatch.seconds)}`); // globalTeardown removes the run's folder
});

test("GIVEN the cdktn build WHEN listing the tarball THEN the same layout and no test files", () => {
  expect(packed.files).toEqual(expect.arrayContaining(["dist/index.js", "dist/index.d.ts", "bin/bitbucket-oidc.js", "bitbucket-oidc.schema.json"]));
  expect(packed.files.filter((f) => !/^(dist\/.+\.(js|d\.ts)|bin\/bitbucket-oidc\.js|README\.md|LICENSE|bitbucket-oidc\.schema\.json|package\.json)$/.test(f))).toEqual([]);
});

test("GIVEN a cdktn project WHEN installed THEN one cdktn, one AWS binding, and no cdktf at all", () => {
  expect(installedCopies(host, "cdktn")).toHaveLength(1);
  expect(installedCopies(host, "@cdktn/provider-aws")).toHaveLength(1);
  expect(installedCopies(host, "cdktf")).toEqual([]);
  expect(installedCopies(host, "@cdktf/provider-aws")).toEqual([]);
});

test(
  "GIVEN the README's cdktn example as main.ts WHEN the app runs THEN one AWS provider, the backend, the bucket, our provider and two roles",
  () => {
    stopwatch.time("synth", () => run(process.execPath, [join(host, "node_modules", ".bin", "ts-node"), "main.ts"], host));
    const json = JSON.parse(readFileSync(join(host, "cdktf.out", "stacks", "platform", "cdk.tf.json"), "utf8")) as TerraformJson & {
      "//": { metadata: { version: string } };
    };
    expect(json["//"].metadata.version).toBe(flavor.tested.cdktn);
    expect(json.provider?.aws).toEqual([{ region: "eu-west-1" }]);
    expect(json.terraform.backend?.s3).toMatchObject({ bucket: "acme-terraform-state" });
    expect(json.resource?.aws_s3_bucket?.artifacts.bucket).toBe("acme-build-artifacts");
    expect(Object.keys(json.resource?.aws_iam_openid_connect_provider ?? {})).toEqual(["bitbucket"]);
    const roles = Object.values(json.resource?.aws_iam_role ?? {});
    expect(roles.map((r) => r.name).sort()).toEqual(["bitbucket-deploy", "bitbucket-read-only"]);
    const trust = JSON.parse(String(roles[0].assume_role_policy));
    expect(trust.Statement[0].Principal.Federated).toBe("${aws_iam_openid_connect_provider.bitbucket.arn}");
    // The bucket reference and what the roles gained after construction.
    const policies = Object.values(json.resource?.aws_iam_role_policy ?? {}).map((p) => ({ name: p.name, policy: JSON.parse(String(p.policy)) }));
    expect(policies.find((p) => p.name === "permissions")?.policy.Statement.map((st: { Resource: string }) => st.Resource)).toEqual([
      "${aws_s3_bucket.artifacts.arn}/*",
      "${aws_s3_bucket.artifacts.arn}/*",
    ]);
    expect(policies.map((p) => p.name).sort()).toEqual(["grant-terraform-state", "permissions"]);
    expect(Object.values(json.resource?.aws_iam_role_policy_attachment ?? {}).map((a) => a.policy_arn)).toEqual(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
    // The guardrails with the team's own rule: a role without the prefix stops the app, naming the rule.
    writeFileSync(join(host, "unprefixed.ts"), readmeExample("CDK Terrain (cdktn)").replace('roleName: "bitbucket-read-only"', 'roleName: "read-only"'));
    const refused = spawnSync(process.execPath, [join(host, "node_modules", ".bin", "ts-node"), "unprefixed.ts"], { cwd: host, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: join(host, "unprefixed-out") } });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/ACME-001[\s\S]*read-only lacks the bitbucket- prefix/);
    // BitbucketOidcAccessModel works under cdktn too: access-model.json beside cdk.tf.json.
    const model = JSON.parse(readFileSync(join(host, "cdktf.out", "stacks", "platform", "access-model.json"), "utf8")) as { roles: { name: string }[] };
    expect(model.roles.map((r) => r.name)).toEqual(["bitbucket-deploy", "bitbucket-read-only"]);
  },
  120_000,
);

test(
  "GIVEN the cdktn host's cdktf.out WHEN `npx --no bitbucket-oidc` review, explain --role and snippet run THEN each reads its access model",
  async () => {
    const review = run("npx", ["--no", "bitbucket-oidc", "review", "--synth", "cdktf.out"], host);
    expect(review).toContain("bitbucket-deploy");
    expect(review).toContain("${aws_s3_bucket.artifacts.arn}/*");
    const snippet = run("npx", ["--no", "bitbucket-oidc", "snippet", "bitbucket-deploy"], host);
    expect(snippet).toContain("role_arn_bitbucket-deploy");
    const issuer = await startTestIssuer();
    const tokenFile = join(host, "token.jwt");
    try {
      const token = await issuer.mint({
        workspaceSlug: "acme",
        workspaceUuid: "{8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60}",
        repositoryUuid: "{3f2a9c4e-7b1d-4a8e-b6c5-0d9e8f7a6b51}",
      });
      writeFileSync(tokenFile, token, { mode: 0o600 });
    } finally {
      await issuer.close();
    }
    const explain = run("npx", ["--no", "bitbucket-oidc", "explain", "--token", tokenFile, "--role", "bitbucket-deploy"], host);
    expect(explain).toMatch(/^ALLOWED +bitbucket-deploy/m);
  },
  120_000,
);

test("GIVEN thumbprints \"tls\" under cdktn WHEN the provider is built THEN the error says what to use instead", () => {
  const script = [
    'const { App, TerraformStack } = require("cdktn");',
    `const { BitbucketOidcProvider } = require("${flavor.packageName}");`,
    'const stack = new TerraformStack(new App(), "s");',
    'try { new BitbucketOidcProvider(stack, "p", { workspaceSlug: "acme", workspaceUuid: "{8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60}", thumbprints: "tls" }); console.log("accepted") }',
    "catch (e) { console.log(e.message) }",
  ].join("\n");
  expect(run(process.execPath, ["-e", script], host)).toContain('thumbprints: "tls" needs the optional peer dependency @cdktf/provider-tls');
});
