/**
 * Every object of the config is closed: an unknown key anywhere, at any depth, is an error with
 * "did you mean", the file and the line. Before, anything under accounts[].overrides.<role> was
 * accepted, so `enviroments` or `sourceIP` there silently widened the role's trust.
 */
import { stringify } from "yaml";
import { parseConfig } from "../../lib/config/load";
import { ConfigError } from "../../lib/config/validate";
import { richAccountsConfig } from "./fixtures";

/** Maps whose keys are the user's own names (not config keys). */
const FREE_FORM = new Set(["tags", "defaultTags", "inlinePolicies", "conditions"]);

type Segment = string | number;

/** Paths of every mapping whose keys are config keys, with those keys. */
function closedObjects(value: unknown, path: Segment[] = []): { path: Segment[]; keys: string[] }[] {
  if (value === null || typeof value !== "object") return [];
  const entries: [Segment, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  const parent = path[path.length - 1];
  const grandparent = path[path.length - 2];
  const own = !Array.isArray(value) && !FREE_FORM.has(String(parent)) && grandparent !== "conditions" ? [{ path, keys: Object.keys(value) }] : [];
  return [...own, ...entries.flatMap(([k, v]) => closedObjects(v, [...path, k]))];
}

function fieldPath(path: Segment[]): string {
  return path.reduce<string>((s, seg) => (typeof seg === "number" ? `${s}[${seg}]` : s ? `${s}.${seg}` : seg), "");
}

function withTypo(root: unknown, path: Segment[], key: string, typo: string): unknown {
  const copy = structuredClone(root) as Record<Segment, unknown>;
  let node = copy;
  for (const seg of path) node = node[seg] as Record<Segment, unknown>;
  const rebuilt = Object.fromEntries(Object.entries(node).map(([k, v]) => [k === key ? typo : k, v]));
  for (const k of Object.keys(node)) delete node[k];
  Object.assign(node, rebuilt);
  return copy;
}

function errorOf(text: string): string {
  try {
    parseConfig(text, "typo.yaml");
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  return "(valid)";
}

describe("unknown keys at any depth: did you mean, file and line", () => {
  const config = richAccountsConfig();
  const cases = closedObjects(config).flatMap(({ path, keys }) => keys.map((key) => ({ path, key })));

  test("GIVEN the sweep THEN it reaches the overrides, their repositories, statements and grants", () => {
    const where = new Set(cases.map((c) => fieldPath(c.path)));
    expect([...where]).toEqual(
      expect.arrayContaining([
        "accounts[0].overrides",
        "accounts[0].overrides.deploy",
        "accounts[0].overrides.deploy.repositories[0]",
        "accounts[0].overrides.deploy.repositories[0].environments[0]",
        "accounts[0].overrides.deploy.statements[0]",
        "accounts[0].overrides.deploy.grants.ecrPush",
        "roles[0].grants.s3Deploy",
        "roles[0].acknowledge[0]",
        "state.endpoints",
      ]),
    );
  });

  test("GIVEN a misspelt key in each object of the config THEN each is named with a suggestion at its own line", () => {
    const failures: string[] = [];
    for (const { path, key } of cases) {
      const typo = `${key}x`;
      const text = stringify(withTypo(config, path, key, typo));
      const message = errorOf(text);
      const field = fieldPath([...path, typo]);
      const line = new RegExp(`typo\\.yaml:(\\d+) ${field.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: .*did you mean "${key}"`).exec(message);
      const lineText = line ? text.split("\n")[Number(line[1]) - 1] : "";
      if (!line || !lineText.includes(typo)) failures.push(`${field}: ${message.split("\n").slice(0, 3).join(" / ")}`);
    }
    expect(failures).toEqual([]);
  });

  test("GIVEN the issue's examples in an override THEN both are errors (not a role that trusts the whole repository from anywhere)", () => {
    const text = [
      "stack: org",
      'workspace: { slug: acme, uuid: "{8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60}" }',
      "state: { bucket: acme-terraform-state, region: us-east-1 }",
      "accounts:",
      '  - id: "111111111111"',
      "    name: prod",
      "    region: us-east-1",
      "    overrides:",
      "      deploy:",
      "        sourceIP: [10.0.0.0/8]",
      "        repositories:",
      '          - uuid: "{3f2a9c4e-7b1d-4a8e-b6c5-0d9e8f7a6b51}"',
      '            enviroments: [{ uuid: "{9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b}" }]',
      "roles:",
      '  - { name: deploy, repositories: [{ uuid: "{3f2a9c4e-7b1d-4a8e-b6c5-0d9e8f7a6b51}" }] }',
    ].join("\n");
    const message = errorOf(text);
    expect(message).toContain('typo.yaml:10 accounts[0].overrides.deploy.sourceIP: ["10.0.0.0/8"]: unknown key "sourceIP"; did you mean "sourceIps"?');
    expect(message).toContain('typo.yaml:13 accounts[0].overrides.deploy.repositories[0].enviroments: [{"uuid":"{9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b}"}]: unknown key "enviroments"; did you mean "environments"?');
  });

  test("GIVEN name or accounts in an override THEN they are refused: an override changes a role, it does not rename or re-share it", () => {
    const config = richAccountsConfig() as unknown as { accounts: { overrides: Record<string, Record<string, unknown>> }[] };
    config.accounts[0].overrides.deploy.name = "other";
    config.accounts[0].overrides.deploy.accounts = ["staging"];
    const message = errorOf(stringify(config));
    expect(message).toMatch(/accounts\[0\]\.overrides\.deploy\.name: "other": unknown key "name"/);
    expect(message).toMatch(/accounts\[0\]\.overrides\.deploy\.accounts: \["staging"\]: unknown key "accounts"/);
  });
});

describe("unknown role names under accounts[].overrides", () => {
  test("GIVEN a misspelt shared role name as an override key THEN did you mean, with file and line", () => {
    const config = richAccountsConfig() as unknown as { accounts: { overrides: Record<string, unknown> }[] };
    config.accounts[0].overrides = { deplyo: config.accounts[0].overrides.deploy };
    const text = stringify(config);
    const message = errorOf(text);
    const line = text.split("\n").findIndex((l) => l.includes("deplyo:")) + 1;
    expect(message).toContain(`typo.yaml:${line} accounts[0].overrides.deplyo: "deplyo": expected the name of a shared role (top-level roles:); did you mean "deploy"?`);
  });
});

describe("unknown condition operators", () => {
  test("GIVEN a misspelt condition operator in an override's statement THEN did you mean, with file and line", () => {
    const config = richAccountsConfig() as unknown as { accounts: { overrides: { deploy: { statements: { conditions: Record<string, unknown> }[] } } }[] };
    config.accounts[0].overrides.deploy.statements[0].conditions = { StringEqual: { "aws:RequestedRegion": "us-east-1" }, "ForAnyValue:StringLikeIfExist": { "aws:TagKeys": "team" } };
    const text = stringify(config);
    const message = errorOf(text);
    const lineOf = (needle: string): number => text.split("\n").findIndex((l) => l.includes(needle)) + 1;
    expect(message).toContain(`typo.yaml:${lineOf("StringEqual:")} accounts[0].overrides.deploy.statements[0].conditions.StringEqual: {"aws:RequestedRegion":"us-east-1"}: unknown key "StringEqual"; did you mean "StringEquals"? expected an IAM condition operator`);
    expect(message).toContain(`accounts[0].overrides.deploy.statements[0].conditions.ForAnyValue:StringLikeIfExist: {"aws:TagKeys":"team"}: unknown key "ForAnyValue:StringLikeIfExist"; did you mean "ForAnyValue:StringLikeIfExists"?`);
  });
});

describe("lines of keys under role names that hold dots", () => {
  test("GIVEN a typo under overrides of a role named with dots THEN the line is the typo's own", () => {
    const config = richAccountsConfig() as unknown as { roles: { name: string }[]; accounts: { overrides: Record<string, Record<string, unknown>> }[] };
    config.roles[0].name = "ci.deploy.prod";
    config.accounts[0].overrides = { "ci.deploy.prod": { sourceIP: ["10.0.0.0/8"] } };
    const text = stringify(config);
    const line = text.split("\n").findIndex((l) => l.includes("sourceIP:")) + 1;
    expect(errorOf(text)).toContain(`typo.yaml:${line} accounts[0].overrides.ci.deploy.prod.sourceIP: ["10.0.0.0/8"]: unknown key "sourceIP"; did you mean "sourceIps"?`);
  });
});
