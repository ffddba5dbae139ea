/**
 * Grants and guardrail acknowledgements are filled into the access model by the grants and
 * guardrails work; review renders them when present and classifies their changes. The models here
 * are real synth output with those two fields set, as synth will write them.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AccessModel } from "../../lib/access-model/access-model";
import { ReviewReport } from "../../lib/review/report";
import { deployRole, pairConfig, runCommand, synthConfig, synthFolder } from "./support";

function withRoleFields(out: ReturnType<typeof synthConfig>, fields: Partial<Pick<AccessModel["roles"][number], "grants" | "acknowledgements">>): void {
  const file = join(synthFolder(out), "stacks", "bitbucket-oidc", "access-model.json");
  const model = JSON.parse(readFileSync(file, "utf8")) as AccessModel;
  writeFileSync(file, JSON.stringify({ ...model, roles: model.roles.map((r) => ({ ...r, ...fields })) }));
}

describe("grants and acknowledgements in the report", () => {
  const base = synthConfig(pairConfig([deployRole()]));
  const head = synthConfig(pairConfig([deployRole()]));
  withRoleFields(head, {
    grants: { ecrPush: { repositories: ["web-app"] } },
    acknowledgements: [{ rule: "BBO-IAM-003", reason: "the deploy role must read every bucket | for the inventory job" }],
  });
  afterAll(() => {
    base.dispose();
    head.dispose();
  });

  test("GIVEN a role with grants and an acknowledgement THEN both are shown, the reason intact", async () => {
    const run = await runCommand(["review", "--synth", synthFolder(head)]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('**Grants**\n\n| Grant | Settings |\n| --- | --- |\n| `ecrPush` | `{"repositories":["web-app"]}` |');
    expect(run.stdout).toContain("**Guardrail acknowledgements**\n\n| Rule | Reason |\n| --- | --- |\n| `BBO-IAM-003` | the deploy role must read every bucket &#124; for the inventory job |");
  });

  test("GIVEN an acknowledgement added THEN widening; grants changed THEN neutral; removed THEN narrowing", async () => {
    const forward = JSON.parse((await runCommand(["review", "--synth", synthFolder(head), "--base", synthFolder(base), "--json"])).stdout) as ReviewReport;
    expect(forward.changes?.map((c) => [c.classification, c.kind, c.target])).toEqual([
      ["widening", "acknowledgement-added", "BBO-IAM-003"],
      ["neutral", "grants-changed", undefined],
    ]);
    const back = JSON.parse((await runCommand(["review", "--synth", synthFolder(base), "--base", synthFolder(head), "--json"])).stdout) as ReviewReport;
    expect(back.changes?.map((c) => [c.classification, c.kind])).toEqual([
      ["narrowing", "acknowledgement-removed"],
      ["neutral", "grants-changed"],
    ]);
  });
});
