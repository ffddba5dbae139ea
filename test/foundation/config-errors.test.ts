import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { loadConfig, parseConfig } from "../../lib/config/load";
import { BitbucketOidcConfigInput } from "../../lib/config/model";
import { ConfigError, validateConfig } from "../../lib/config/validate";
import { baseConfig, UUIDS } from "../support/synth";

/** Validates YAML text and returns the error lines (or fails when the config is valid). */
function errorsOf(text: string, file = "team.yaml"): string[] {
  try {
    parseConfig(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message.split("\n").slice(1).map((l) => l.replace(/^ {2}- /, ""));
  }
  throw new Error("expected the config to be rejected");
}

const yamlOf = (config: unknown): string => stringify(config);
const role = (extra: Record<string, unknown>): BitbucketOidcConfigInput => baseConfig({ roles: [{ name: "bitbucket-deploy", repositories: [{ uuid: UUIDS.repoA }], ...extra }] });

describe("config validation: every bad input names the file, line, field, value and what is expected", () => {
  test("GIVEN an unknown key THEN it is named with a suggestion and its line", () => {
    const text = yamlOf({ ...baseConfig(), roles: [{ name: "bitbucket-deploy", repositorys: [{ uuid: UUIDS.repoA }] }] });
    const errors = errorsOf(text);
    const line = text.split("\n").findIndex((l) => l.includes("repositorys")) + 1;
    expect(errors).toContainEqual(expect.stringMatching(new RegExp(`^team\\.yaml:${line} roles\\[0\\]\\.repositorys: .*unknown key "repositorys"; did you mean "repositories"\\?`)));
  });

  test.each([
    ["malformed repository UUID", role({ repositories: [{ uuid: "{not-a-uuid}" }] }), /roles\[0\]\.repositories\[0\]\.uuid: "\{not-a-uuid\}": expected a UUID of 8-4-4-4-12 hex digits/],
    ["malformed environment UUID", role({ repositories: [{ uuid: UUIDS.repoA, environments: [{ uuid: "prod" }] }] }), /roles\[0\]\.repositories\[0\]\.environments\[0\]\.uuid: "prod": expected a UUID/],
    ["malformed workspace UUID", baseConfig({ workspace: { slug: "acme", uuid: "8c5f2d0e" } }), /workspace\.uuid: "8c5f2d0e": expected a UUID/],
    ["malformed slug", baseConfig({ workspace: { slug: "Acme Corp", uuid: UUIDS.workspace } }), /workspace\.slug: "Acme Corp": expected a Bitbucket workspace slug/],
    ["role name too long", role({ name: "r".repeat(65) }), /roles\[0\]\.name: "r{65}": expected an IAM role name: 1-64 characters/],
    ["role name with bad characters", role({ name: "deploy/prod" }), /roles\[0\]\.name: "deploy\/prod": expected an IAM role name/],
    ["role with no repository", role({ repositories: [] }), /roles\[0\]\.repositories: \[\]: expected at least one repository; to trust every repository of the workspace, say so with anyRepositoryInWorkspace: true/],
    ["role with repositories missing", baseConfig({ roles: [{ name: "r" }] }), /roles\[0\]\.repositories: \(missing\): expected at least one repository/],
    ["session duration too short", role({ maxSessionDuration: 900 }), /roles\[0\]\.maxSessionDuration: 900: expected whole seconds from 3600 \(1 hour\) to 43200 \(12 hours\)/],
    ["session duration too long", role({ maxSessionDuration: 43201 }), /roles\[0\]\.maxSessionDuration: 43201: expected whole seconds/],
    ["empty environments list", role({ repositories: [{ uuid: UUIDS.repoA, environments: [] }] }), /roles\[0\]\.repositories\[0\]\.environments: \[\]: an empty list trusts no step/],
    ["duplicate repository", role({ repositories: [{ uuid: UUIDS.repoA }, { uuid: UUIDS.repoA.toUpperCase() }] }), /roles\[0\]\.repositories\[1\]\.uuid: .*already listed at repositories\[0\]/],
    ["bad source IP", role({ sourceIps: ["10.0.0.0/33"] }), /roles\[0\]\.sourceIps\[0\]: "10\.0\.0\.0\/33": expected an IPv4 or IPv6 address or CIDR range/],
    ["bad permissions boundary", role({ permissionsBoundary: "PowerUserAccess" }), /roles\[0\]\.permissionsBoundary: "PowerUserAccess": expected an IAM policy ARN/],
    ["bad managed policy ARN", role({ managedPolicyArns: ["arn:aws:iam::aws:role/x"] }), /roles\[0\]\.managedPolicyArns\[0\]: .*expected an IAM policy ARN/],
    ["too many managed policies", role({ managedPolicyArns: Array.from({ length: 11 }, (_, i) => `arn:aws:iam::123456789012:policy/p${i}`) }), /roles\[0\]\.managedPolicyArns: "11 policies": expected at most 10 managed policies per role/],
    ["bad action", role({ statements: [{ actions: ["PutObject"], resources: ["*"] }] }), /roles\[0\]\.statements\[0\]\.actions\[0\]: "PutObject": expected an IAM action "service:Action"/],
    ["audience the provider does not accept", role({ audiences: ["sts.amazonaws.com"] }), /roles\[0\]\.audiences\[0\]: "sts\.amazonaws\.com": expected one of the provider's audiences/],
    ["description too long", role({ description: "d".repeat(1001) }), /roles\[0\]\.description: "d+\.\.\.: expected at most 1000 characters of printable ASCII or Latin-1/],
    ["description with a character IAM rejects", role({ description: "Deploys web-app \u2014 production" }), /roles\[0\]\.description: "Deploys web-app \u2014 production": expected at most 1000 characters of printable ASCII or Latin-1/],
    ["tag key with a character IAM rejects", role({ tags: { "cost#center": "ops" } }), /roles\[0\]\.tags\.cost#center: "cost#center": expected a tag key of 1-128 characters \(letters, digits, spaces and _\.:\/=\+-@\)/],
    ["tag value with a character IAM rejects", role({ tags: { owner: "ops & infra" } }), /roles\[0\]\.tags\.owner: "ops & infra": expected a tag value of at most 256 characters \(letters, digits, spaces and _\.:\/=\+-@\)/],
    ["provider tag with a character IAM rejects", baseConfig({ provider: { tags: { owner: "a,b" } } }), /provider\.tags\.owner: "a,b": expected a tag value/],
    ["default tag with a character IAM rejects", baseConfig({ aws: { region: "us-east-1", defaultTags: { "team!": "ops" } } }), /aws\.defaultTags\.team!: "team!": expected a tag key/],
    ["bad path", role({ path: "bitbucket" }), /roles\[0\]\.path: "bitbucket": expected "\/" or a path that starts and ends with "\/"/],
    ["account id not 12 digits", baseConfig({ aws: { region: "us-east-1", accountId: "12345" } }), /aws\.accountId: "12345": expected a 12-digit AWS account id/],
    ["bad region", baseConfig({ aws: { region: "mars-1" } }), /aws\.region: "mars-1": expected aws region matching/],
    ["bad thumbprint", baseConfig({ provider: { thumbprints: ["abc"] } }), /provider\.thumbprints\[0\]: "abc": expected a SHA-1 thumbprint of 40 hex digits/],
    ["bad thumbprint mode", baseConfig({ provider: { thumbprints: "auto" as never } }), /provider\.thumbprints: "auto": expected none: IAM verifies/],
    ["existing provider of another workspace", baseConfig({ provider: { existingArn: "arn:aws:iam::123456789012:oidc-provider/api.bitbucket.org/2.0/workspaces/other/pipelines-config/identity/oidc" } }), /provider\.existingArn: .*expected the provider of workspace "acme"/],
    ["quota raised beyond AWS's maximum", baseConfig({ quotas: { trustPolicySize: 8192 } }), /quotas\.trustPolicySize: 8192: expected a whole number from 2048 \(IAM's default\) to 4096/],
    ["unsupported version", { ...baseConfig(), version: 2 as never }, /version: 2: expected 1/],
    ["state bucket not valid for S3", baseConfig({ state: { bucket: "Acme_State", region: "us-east-1" } }), /state\.bucket: "Acme_State": expected an S3 bucket name/],
    ["state key with a leading slash", baseConfig({ state: { bucket: "acme-state", key: "/tf.tfstate", region: "us-east-1" } }), /state\.key: "\/tf\.tfstate": expected an object key without a leading or trailing "\/"/],
  ])("GIVEN %s THEN validation fails with a precise message", (_, config, pattern) => {
    const errors = errorsOf(yamlOf(config));
    expect(errors).toContainEqual(expect.stringMatching(new RegExp(`^team\\.yaml:\\d+ ${pattern.source}`)));
  });

  test("GIVEN two roles whose names differ only in case THEN the second is rejected (IAM compares case-insensitively)", () => {
    const config = baseConfig({
      roles: [
        { name: "bitbucket-deploy", repositories: [{ uuid: UUIDS.repoA }] },
        { name: "Bitbucket-Deploy", repositories: [{ uuid: UUIDS.repoB }] },
      ],
    });
    expect(errorsOf(yamlOf(config))).toContainEqual(expect.stringMatching(/roles\[1\]\.name: "Bitbucket-Deploy": roles\[0\] already has this name; IAM compares role names case-insensitively/));
  });

  test("GIVEN a trust policy over the 2,048 quota THEN it fails, and passes once the raised quota is declared", () => {
    const repositories = Array.from({ length: 40 }, (_, i) => ({ uuid: `{${i.toString(16).padStart(8, "0")}-0000-4000-8000-000000000000}` }));
    const config = role({ repositories });
    expect(errorsOf(yamlOf(config))).toContainEqual(expect.stringMatching(/roles\[0\]\.repositories: "40 sub patterns": the trust policy would be \d+ characters, over the quota of 2048; split the repositories over several roles, or raise the quota/));
    expect(() => validateConfig({ ...config, quotas: { trustPolicySize: 4096 } })).not.toThrow();
  });

  test("GIVEN several problems in different places THEN all are reported at once", () => {
    const config = {
      ...baseConfig({ workspace: { slug: "ACME", uuid: "x" } }),
      roles: [
        { name: "ok-role", repositories: [{ uuid: "bad" }] },
        { name: "x".repeat(70), repositories: [{ uuid: UUIDS.repoB }], maxSessionDuration: 10 },
      ],
      extra: true,
    };
    const errors = errorsOf(yamlOf(config));
    expect(errors.length).toBeGreaterThanOrEqual(5);
    for (const field of ["extra", "workspace.slug", "workspace.uuid", "roles[0].repositories[0].uuid", "roles[1].name", "roles[1].maxSessionDuration"]) {
      expect(errors.some((e) => e.includes(` ${field}: `))).toBe(true);
    }
  });

  test("GIVEN a YAML syntax error THEN the file and line are named", () => {
    expect(errorsOf("stack: x\nroles: [\n  - a\n", "broken.yaml")).toContainEqual(expect.stringMatching(/^broken\.yaml line \d+: .*YAML syntax/));
  });

  test("GIVEN duplicate keys in YAML THEN it is a syntax error, not a silent override", () => {
    expect(errorsOf("stack: a\nstack: b\n")).toContainEqual(expect.stringMatching(/YAML syntax: Map keys must be unique/));
  });

  test("GIVEN a missing file THEN the message says how to point at one", () => {
    expect(() => loadConfig("/nonexistent/bitbucket-oidc.yaml")).toThrow(/cannot read the config file \(no such file\); pass a path or set BITBUCKET_OIDC_CONFIG/);
  });

  test("GIVEN a valid file THEN UUIDs are normalized and defaults applied, and the model is frozen", () => {
    const dir = mkdtempSync(join(tmpdir(), "bbo-cfg-"));
    try {
      const file = join(dir, "c.yaml");
      writeFileSync(file, yamlOf(baseConfig({ workspace: { slug: "acme", uuid: "8C5F2D0E-3B1A-4E6F-9A7D-1C2B3E4F5A60" }, roles: [{ name: "r", repositories: [{ uuid: UUIDS.repoA.slice(1, -1).toUpperCase() }] }] })));
      const config = loadConfig(file);
      expect(config.workspace.uuid).toBe(UUIDS.workspace);
      expect(config.roles[0].repositories?.[0].uuid).toBe(UUIDS.repoA);
      expect(config.state).toMatchObject({ encrypt: true, useLockfile: true });
      expect(config.provider).toMatchObject({ thumbprints: "none", preventDestroy: true, audiences: ["ari:cloud:bitbucket::workspace/8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60"] });
      expect(Object.isFrozen(config.roles[0])).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
