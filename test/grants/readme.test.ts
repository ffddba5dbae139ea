/**
 * The docs' grant examples run: the "Permission grants" YAML (docs/grants.md), with its placeholder
 * UUIDs filled in, synthesizes through the app, and each role gets the policy of each grant it names;
 * the example in "The config file" (docs/config.md) is a valid config as written.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseConfig } from "../../lib/config/load";
import { RoleConfig } from "../../lib/config/model";
import { grantPolicyName, GrantKind } from "../../lib/grants";
import { baseConfig, UUIDS, withSynth } from "../support/synth";

const DOCS = join(__dirname, "..", "..", "docs");

/** The first YAML block after the heading `# <heading>` (or `## <heading>`) of a docs page. */
function yamlUnder(heading: string, page: string): string {
  const text = readFileSync(join(DOCS, page), "utf8");
  const at = text.split("\n").findIndex((line) => line === `# ${heading}` || line === `## ${heading}`);
  const block = at >= 0 ? /```yaml\n([\s\S]*?)```/.exec(text.split("\n").slice(at).join("\n"))?.[1] : undefined;
  if (!block) throw new Error(`docs/${page}: no yaml block under "# ${heading}"`);
  return block;
}

test("GIVEN the docs' Permission grants example THEN every role synthesizes with a policy per grant it names", () => {
  const text = yamlUnder("Permission grants", "grants.md").replace(/"\{\.\.\.\}"/g, () => `"${UUIDS.envProduction}"`);
  const roles = (parse(text) as { roles: RoleConfig[] }).roles.map((role) => ({
    ...role,
    repositories: role.repositories?.map((r) => ({ ...r, uuid: UUIDS.repoA })),
  }));
  expect(roles.map((r) => r.name)).toEqual(["bitbucket-ecr-push", "bitbucket-terraform-apply", "bitbucket-terraform-plan", "bitbucket-site"]);
  withSynth(baseConfig({ roles }), (out) => {
    const model = out.accessModel();
    for (const role of roles) {
      const synthesized = model.roles.find((r) => r.name === role.name)!;
      const kinds = Object.keys(role.grants ?? {}) as GrantKind[];
      expect(kinds.length).toBeGreaterThan(0);
      expect(Object.keys(synthesized.inlinePolicies).sort()).toEqual(kinds.map(grantPolicyName).sort());
    }
  });
});

test("GIVEN the docs' config file example THEN it is a valid config as written", () => {
  const config = parseConfig(yamlUnder("The config file", "config.md"), "docs/config.md");
  expect(config.roles.map((r) => Object.keys(r.grants ?? {}))).toEqual([["ecrPush"]]);
});
