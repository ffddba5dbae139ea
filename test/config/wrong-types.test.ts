/**
 * Every wrong type, anywhere in a config, is bad input (ConfigError, exit 2), never an internal error
 * (exit 3). The sweep replaces each value of a config that reaches every object of the schema, one at
 * a time, by a value of each JSON type. Before, a wrong type under accounts[].overrides (only checked
 * as "an object") crashed the semantic checks.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseConfig } from "../../lib/config/load";
import { ConfigError, validateConfig } from "../../lib/config/validate";
import { richAccountsConfig } from "./fixtures";

const WRONG: readonly unknown[] = [42, "text", true, null, [], {}, [42], { key: 42 }];

/** Every path to a value in a JSON tree, root excluded. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
}

function replaced(root: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const seg of path.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
  return copy;
}

/** The outcome class of validating: "ok", "ConfigError", or the unexpected error itself. */
function outcome(input: unknown): string {
  try {
    validateConfig(input, "wrong-types.yaml");
    return "ok";
  } catch (e) {
    return e instanceof ConfigError ? "ConfigError" : `INTERNAL ${(e as Error).stack?.split("\n").slice(0, 3).join(" | ")}`;
  }
}

function sweep(config: unknown): string[] {
  const internal: string[] = [];
  for (const path of paths(config)) {
    for (const value of WRONG) {
      const result = outcome(replaced(config, path, value));
      if (result.startsWith("INTERNAL")) internal.push(`${path.join(".")} = ${JSON.stringify(value)}: ${result}`);
    }
  }
  return internal;
}

describe("wrong types anywhere are bad input (exit 2), never an internal error (exit 3)", () => {
  test("GIVEN the fixture configs THEN they are valid (so the sweep starts from a clean config)", () => {
    expect(outcome(richAccountsConfig())).toBe("ok");
  });

  test("GIVEN each value of an accounts: config with overrides replaced by each JSON type THEN never an internal error", () => {
    expect(sweep(richAccountsConfig())).toEqual([]);
  });

  test("GIVEN each value of the bundled example replaced by each JSON type THEN never an internal error", () => {
    const example = parse(readFileSync(join(__dirname, "..", "..", "bitbucket-oidc.yaml"), "utf8"));
    expect(sweep(example)).toEqual([]);
  });

  test("GIVEN a wrong type inside an override THEN the error names the file, line, field and the expected type", () => {
    const text = [
      "stack: org",
      'workspace: { slug: acme, uuid: "{8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60}" }',
      "state: { bucket: acme-terraform-state, region: us-east-1 }",
      "accounts:",
      '  - { id: "111111111111", name: prod, region: us-east-1, overrides: { deploy: { sourceIps: 10.0.0.0/8 } } }',
      "  - id: \"222222222222\"",
      "    name: staging",
      "    region: us-east-1",
      "    overrides:",
      "      deploy:",
      "        statements:",
      "          - { actions: [s3:GetObject], resources: ['*'], conditions: { IpAddress: { aws:SourceIp: 42 } } }",
      "roles:",
      '  - { name: deploy, repositories: [{ uuid: "{3f2a9c4e-7b1d-4a8e-b6c5-0d9e8f7a6b51}" }] }',
    ].join("\n");
    expect(() => parseConfig(text, "org.yaml")).toThrow(ConfigError);
    try {
      parseConfig(text, "org.yaml");
    } catch (e) {
      expect((e as ConfigError).message).toContain('org.yaml:5 accounts[0].overrides.deploy.sourceIps: "10.0.0.0/8": expected a list');
      expect((e as ConfigError).message).toContain("org.yaml:12 accounts[1].overrides.deploy.statements[0].conditions.IpAddress.aws:SourceIp: 42: expected a string or a list of strings");
    }
  });
});
