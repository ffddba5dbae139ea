/**
 * Bugs the wild-input properties found, each pinned by a plain example (see test/wild/*.test.ts for
 * the properties themselves).
 */
import { BitbucketOidcConfigInput } from "../../lib/config/model";
import { baseConfig } from "../support/synth";
import { snapshotTree, workspace } from "./cli-run";

/** Two accounts sharing one role; `state` overrides the state section. */
function accountsConfig(state: Partial<BitbucketOidcConfigInput["state"]> = {}, names = ["prod", "dev"]): BitbucketOidcConfigInput {
  const { aws: _aws, ...base } = baseConfig();
  return {
    ...base,
    state: { ...base.state, ...state },
    accounts: names.map((name, i) => ({ id: String(111111111111 * (i + 1)), name, region: "us-east-1" })),
  };
}

describe("wild-input regressions", () => {
  test("GIVEN accounts: with state.bootstrap: true and bootstrapBackend: s3 THEN validate and synth accept it, and only the state stack reads its state from S3", async () => {
    const ws = workspace(accountsConfig({ bootstrap: true, bootstrapBackend: "s3" }));
    try {
      expect((await ws.run("validate")).code).toBe(0);
      const synth = await ws.run("synth");
      expect(synth).toMatchObject({ code: 0 });
      const files = snapshotTree(ws.outdir);
      const state = JSON.parse(files["stacks/bitbucket-oidc-state/cdk.tf.json"]);
      expect(state.terraform.backend.s3.key).toBe("bitbucket-oidc-state/terraform.tfstate");
      expect(Object.keys(files).filter((f) => f.endsWith("cdk.tf.json")).sort()).toEqual([
        "stacks/bitbucket-oidc-dev/cdk.tf.json",
        "stacks/bitbucket-oidc-prod/cdk.tf.json",
        "stacks/bitbucket-oidc-state/cdk.tf.json",
      ]);
    } finally {
      ws.dispose();
    }
  });

  test('GIVEN an account named "state" and state.bootstrap: true THEN exit 2 naming the account, not two stacks of one name', async () => {
    const ws = workspace(accountsConfig({ bootstrap: true }, ["state"]));
    try {
      for (const command of ["validate", "synth"] as const) {
        const run = await ws.run(command);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/accounts\[0\]\.name.*"state".*bitbucket-oidc-state.*state\.bootstrap/);
      }
      expect(snapshotTree(ws.outdir)).toEqual({});
    } finally {
      ws.dispose();
    }
  });

  test('GIVEN an account named "state" without bootstrap THEN it is an account like any other', async () => {
    const ws = workspace(accountsConfig({}, ["state"]));
    try {
      expect((await ws.run("synth")).code).toBe(0);
      expect(Object.keys(snapshotTree(ws.outdir))).toContain("stacks/bitbucket-oidc-state/cdk.tf.json");
    } finally {
      ws.dispose();
    }
  });
});
