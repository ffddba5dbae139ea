/**
 * `bitbucket-oidc init` and `check-uuids` against a Bitbucket API server on 127.0.0.1 that serves the
 * documented shapes: pagination over several pages, 401/403/404/429, a repository without
 * environments, names that need YAML quoting, and a generated config that validates and synthesizes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { CliRun, runCliIn } from "../support/run-cli";
import { retryAfterSeconds } from "../../lib/discovery/bitbucket-api";
import { BitbucketApiServer, braced, FakeRepository, startBitbucketApiServer } from "../support/bitbucket-api-server";

jest.setTimeout(120_000);

type Run = CliRun;

/** Runs the CLI in-process in `cwd` with only the given environment. */
const cli = (argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> => runCliIn(argv, { cwd, env });

const env = (s: BitbucketApiServer, kind: "api-token" | "access-token" = "api-token"): NodeJS.ProcessEnv =>
  kind === "api-token"
    ? { BITBUCKET_API_URL: s.apiUrl, BITBUCKET_EMAIL: s.credentials.email, BITBUCKET_API_TOKEN: s.credentials.apiToken }
    : { BITBUCKET_API_URL: s.apiUrl, BITBUCKET_TOKEN: s.credentials.accessToken };

/** A repository; `environments` as [name, type] pairs. */
const repo = (slug: string, environments: [string, "Test" | "Staging" | "Production"][] = []): FakeRepository => ({
  slug,
  uuid: braced(),
  environments: environments.map(([name, type]) => ({ uuid: braced(), name, type })),
});

const FILL_IN = ["--account-id", "123456789012", "--region", "eu-west-1", "--state-bucket", "acme-terraform-state"];

describe("bitbucket-oidc init", () => {
  let server: BitbucketApiServer;
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "bbo-init-"));
    server = await startBitbucketApiServer("acme", [
      repo("web-app", [
        ["Test", "Test"],
        ["Staging", "Staging"],
        ["Production", "Production"],
      ]),
      repo("infra-live", [["prod-eu", "Production"], ["prod-us", "Production"], ["qa", "Test"]]),
      repo("no-environments"),
      repo("yes"),
      repo("null"),
      repo("1e3"),
      repo("docs.site", [["Staging", "Staging"]]),
    ]);
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Secrets must never be printed: not the token, not the Basic header. */
  const expectNoSecrets = (run: Run): void => {
    const basic = Buffer.from(`${server.credentials.email}:${server.credentials.apiToken}`).toString("base64");
    for (const secret of [server.credentials.apiToken, server.credentials.accessToken, basic]) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
    }
  };

  test("GIVEN a workspace over several pages WHEN init runs with the fill-in flags THEN it writes one role per repository that validate and synth accept as written", async () => {
    server.maxPageLength = 2; // 7 repositories: 4 pages; web-app's 3 environments: 2 pages
    const run = await cli(["init", "--workspace", "acme", ...FILL_IN], dir, env(server));
    expectNoSecrets(run);
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toContain("wrote bitbucket-oidc.yaml: 7 roles for workspace acme");
    expect(server.requests.filter((r) => r.url.startsWith("/2.0/repositories/acme?")).length).toBe(4);
    expect(server.requests.filter((r) => r.url.startsWith("/2.0/repositories/acme/web-app/environments")).length).toBe(2);

    const text = readFileSync(join(dir, "bitbucket-oidc.yaml"), "utf8");
    const config = parseDocument(text, { uniqueKeys: true }).toJS() as {
      workspace: { uuid: string };
      roles: { name: string; repositories: { uuid: string; name: string; environments?: { uuid: string; name: string }[] }[] }[];
    };
    expect(config.workspace.uuid).toBe(server.workspace.uuid);
    const byName = Object.fromEntries(config.roles.map((r) => [r.name, r.repositories]));
    expect(Object.keys(byName).sort()).toEqual(
      ["bitbucket-1e3", "bitbucket-docs.site", "bitbucket-infra-live", "bitbucket-no-environments", "bitbucket-null", "bitbucket-web-app", "bitbucket-yes"].sort(),
    );
    const source = (slug: string) => server.repositories.find((r) => r.slug === slug)!;
    // Production environments where there are some, the whole repository otherwise.
    expect(byName["bitbucket-web-app"]).toEqual([
      { uuid: source("web-app").uuid, name: "web-app", environments: [{ uuid: source("web-app").environments[2].uuid, name: "Production" }] },
    ]);
    expect(byName["bitbucket-infra-live"][0].environments?.map((e) => e.name)).toEqual(["prod-eu", "prod-us"]);
    expect(byName["bitbucket-no-environments"]).toEqual([{ uuid: source("no-environments").uuid, name: "no-environments" }]);
    expect(byName["bitbucket-docs.site"][0].environments).toBeUndefined();
    // Names that YAML 1.1 would read as booleans, null or numbers stay strings.
    expect(byName["bitbucket-yes"][0].name).toBe("yes");
    expect(byName["bitbucket-null"][0].name).toBe("null");
    expect(byName["bitbucket-1e3"][0].name).toBe("1e3");
    expect(text).toMatch(/^# yaml-language-server: \$schema=\S+bitbucket-oidc\.schema\.json$/m);
    const schemaRef = /\$schema=(\S+)/.exec(text)![1];
    expect(existsSync(join(dir, schemaRef))).toBe(true);

    expect((await cli(["validate", "--config", join(dir, "bitbucket-oidc.yaml")], dir, {})).code).toBe(0);
    const synth = await cli(["synth", "--config", join(dir, "bitbucket-oidc.yaml"), "--output", join(dir, "out"), "--quiet"], dir, {});
    expect({ code: synth.code, stderr: synth.stderr }).toMatchObject({ code: 0 });
    expect(readdirSync(join(dir, "out", "stacks", "bitbucket-oidc", "pipelines")).length).toBe(7);
  });

  test("GIVEN no fill-in flags WHEN init runs THEN the file holds marked placeholders and validate names each one and what to put there", async () => {
    const run = await cli(["init", "--workspace", "acme"], dir, env(server));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("Next: fill in aws.region, aws.accountId, state.bucket");
    const validate = await cli(["validate", "--config", join(dir, "bitbucket-oidc.yaml")], dir, {});
    expect(validate.code).toBe(2);
    for (const [field, what] of [
      ["aws.region", "your AWS region"],
      ["aws.accountId", "your 12-digit AWS account id"],
      ["state.bucket", "the S3 bucket for Terraform state"],
      ["state.region", "your AWS region"],
    ]) {
      expect(validate.stderr).toMatch(new RegExp(`bitbucket-oidc\\.yaml:\\d+ ${field.replace(".", "\\.")}.*placeholder written by bitbucket-oidc init: put ${what}`));
    }
  });

  test("GIVEN an existing file WHEN init runs without --force THEN it is kept (exit 2); with --force it is replaced; --output - prints", async () => {
    writeFileSync(join(dir, "bitbucket-oidc.yaml"), "mine\n");
    const kept = await cli(["init", "--workspace", "acme", ...FILL_IN], dir, env(server));
    expect(kept.code).toBe(2);
    expect(kept.stderr).toContain("bitbucket-oidc.yaml exists; pass --force");
    expect(readFileSync(join(dir, "bitbucket-oidc.yaml"), "utf8")).toBe("mine\n");

    const printed = await cli(["init", "--workspace", "acme", ...FILL_IN, "--output", "-"], dir, env(server));
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain('slug: "acme"');
    expect(readFileSync(join(dir, "bitbucket-oidc.yaml"), "utf8")).toBe("mine\n");

    const forced = await cli(["init", "--workspace", "acme", ...FILL_IN, "--force"], dir, env(server));
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, "bitbucket-oidc.yaml"), "utf8")).toBe(printed.stdout);
    expect(readdirSync(dir)).toEqual(["bitbucket-oidc.yaml"]); // no temporary file left
  });

  test("GIVEN --repositories globs THEN only matching repositories get roles; no match is exit 2 naming the globs", async () => {
    const run = await cli(["init", "--workspace", "acme", ...FILL_IN, "--repositories", "web-*", "--repositories", "infra-?ive", "-o", "-"], dir, env(server));
    expect(run.code).toBe(0);
    expect([...run.stdout.matchAll(/- name: "([^"]+)"/g)].map((m) => m[1])).toEqual(["bitbucket-infra-live", "bitbucket-web-app"]);
    // Several globs after one --repositories, as the usage line writes it.
    const several = await cli(["init", "--workspace", "acme", ...FILL_IN, "--repositories", "web-*", "infra-?ive", "-o", "-"], dir, env(server));
    expect(several.code).toBe(0);
    expect(several.stdout).toBe(run.stdout.replace("--repositories web-* --repositories infra-?ive", "--repositories web-* infra-?ive"));
    const stray = await cli(["init", "--workspace", "acme", "web-*"], dir, env(server));
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('unexpected argument "web-*"; repository globs go after --repositories');
    const none = await cli(["init", "--workspace", "acme", "--repositories", "nothing-*", "-o", "-"], dir, env(server));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no repository of workspace "acme" matches "nothing-*"');
  });

  test("GIVEN slugs that collide as Terraform addresses or exceed IAM's 64 characters THEN names get a suffix or are cut, reported on stderr", async () => {
    const long = "a".repeat(70);
    server.repositories.splice(0, server.repositories.length, repo("my.app"), repo("my_app"), repo(long), repo(`${long}b`));
    const run = await cli(["init", "--workspace", "acme", ...FILL_IN, "-o", "-"], dir, env(server));
    expect(run.code).toBe(0);
    const names = [...run.stdout.matchAll(/- name: "([^"]+)"/g)].map((m) => m[1]);
    expect(names).toEqual([`bitbucket-${"a".repeat(54)}`, `bitbucket-${"a".repeat(52)}-2`, "bitbucket-my.app", "bitbucket-my_app-2"]);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(64);
    expect(run.stderr).toContain('repository "my_app": role named bitbucket-my_app-2');
    expect(run.stderr).toContain(`repository "${long}": role named bitbucket-${"a".repeat(54)} (cut to IAM's 64 characters)`);
  });

  test("GIVEN an access token that sees one repository THEN init says the config covers only that repository", async () => {
    server.repositories.splice(1);
    const run = await cli(["init", "--workspace", "acme", ...FILL_IN, "-o", "-"], dir, env(server, "access-token"));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("a repository access token covers only its own repository");
    expect(server.requests.every((r) => r.authorization === `Bearer ${server.credentials.accessToken}`)).toBe(true);
  });

  describe("errors", () => {
    test("GIVEN a wrong API token THEN 401 is exit 2 naming the call and the variables to check, without any secret", async () => {
      const run = await cli(["init", "--workspace", "acme"], dir, { ...env(server), BITBUCKET_API_TOKEN: "wrong-token-value" });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('reading workspace "acme": Bitbucket refused the login (401)');
      expect(run.stderr).toContain("Check BITBUCKET_EMAIL and BITBUCKET_API_TOKEN");
      expect(run.stderr).not.toContain("wrong-token-value");
      expect(existsSync(join(dir, "bitbucket-oidc.yaml"))).toBe(false);
    });

    test("GIVEN a Basic login that is not an email address THEN the 401 says app passwords were retired", async () => {
      const run = await cli(["init", "--workspace", "acme"], dir, { ...env(server), BITBUCKET_EMAIL: "jdoe" });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('BITBUCKET_EMAIL "jdoe" is not an email address: app passwords');
      expect(run.stderr).toContain("retired in 2026");
    });

    test("GIVEN 403 on a repository's environments THEN exit 2 names the call and the read access it needs", async () => {
      server.faults.push({ path: /\/environments$/, status: 403 });
      const run = await cli(["init", "--workspace", "acme"], dir, env(server));
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/listing the deployment environments of "acme\/\S+": not allowed \(403\).*read access to its pipelines and deployments/);
      expect(run.stderr).toContain("read:pipeline:bitbucket");
    });

    test("GIVEN an unknown workspace THEN 404 names it", async () => {
      const run = await cli(["init", "--workspace", "acme-typo"], dir, env(server));
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('reading workspace "acme-typo": workspace "acme-typo" not found (404)');
    });

    test("GIVEN 429 twice THEN init waits for Retry-After and succeeds; 429 on every try fails after 5 tries", async () => {
      server.faults.push({ path: /^\/2\.0\/repositories\/acme$/, status: 429, headers: { "Retry-After": "0" }, times: 2 });
      const ok = await cli(["init", "--workspace", "acme", ...FILL_IN, "-o", "-"], dir, env(server));
      expect(ok.code).toBe(0);
      expect(ok.stderr.match(/rate limited \(429\)/g)).toHaveLength(2);

      server.faults.push({ path: /^\/2\.0\/workspaces\/acme$/, status: 429, headers: { "Retry-After": "0" } });
      const failed = await cli(["init", "--workspace", "acme", "-o", "-"], dir, env(server));
      expect(failed.code).toBe(2);
      expect(failed.stderr).toContain("rate limit (429) still holds after 5 tries");
      expect(server.requests.filter((r) => r.url === "/2.0/workspaces/acme").length).toBe(1 + 5); // one in the first run, five tries in the second
    });

    test("GIVEN Retry-After values THEN a wait is at most 60 s", () => {
      expect(retryAfterSeconds("3600")).toBe(60);
      expect(retryAfterSeconds("7")).toBe(7);
      expect(retryAfterSeconds(null)).toBe(1);
      expect(retryAfterSeconds(new Date(Date.now() + 10_000).toUTCString())).toBeLessThanOrEqual(11);
    });

    test("GIVEN a plain-http API URL off the loopback, or no credentials THEN exit 2 before any request", async () => {
      const http = await cli(["init", "--workspace", "acme"], dir, { ...env(server), BITBUCKET_API_URL: "http://api.example.com/2.0" });
      expect(http.code).toBe(2);
      expect(http.stderr).toContain("must use https");
      const none = await cli(["init", "--workspace", "acme"], dir, { BITBUCKET_API_URL: server.apiUrl });
      expect(none.code).toBe(2);
      expect(none.stderr).toContain("no Bitbucket credentials: set BITBUCKET_EMAIL and BITBUCKET_API_TOKEN");
      expect(server.requests).toEqual([]);
    });
  });

  describe("check-uuids", () => {
    beforeEach(async () => {
      expect((await cli(["init", "--workspace", "acme", ...FILL_IN], dir, env(server))).code).toBe(0);
    });

    test("GIVEN the config init wrote THEN every UUID matches (exit 0)", async () => {
      const run = await cli(["check-uuids", "--config", "bitbucket-oidc.yaml"], dir, env(server));
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/all \d+ UUIDs match Bitbucket/);
      expectNoSecrets(run);
    });

    test("GIVEN a repository re-created (new UUID) and an environment gone THEN exit 1 with the current UUIDs", async () => {
      const webApp = server.repositories.find((r) => r.slug === "web-app")!;
      const old = webApp.uuid;
      webApp.uuid = braced();
      server.repositories.find((r) => r.slug === "infra-live")!.environments.splice(0, 1); // prod-eu deleted
      const run = await cli(["check-uuids", "--config", "bitbucket-oidc.yaml"], dir, env(server));
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`MISMATCH  repository web-app: the config has ${old}, Bitbucket has ${webApp.uuid}`);
      expect(run.stdout).toMatch(/MISMATCH {2}environment prod-eu of infra-live: the config has \{[^}]+\}, Bitbucket has none \(no such deployment environment in infra-live\)/);
      expect(run.stdout).toContain("2 of");
    });
  });
});
