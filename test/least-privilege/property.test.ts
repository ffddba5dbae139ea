/**
 * Property: over random configs (random repositories and environments, UUIDs written with or without
 * braces, in any case), a verified token is allowed by a role if and only if its repository is one of
 * the role's and, when the role names environments for it, its environment is one of them.
 */
import fc from "fast-check";
import { propertyRuns } from "../support/property-runs";
import { RoleConfig } from "../../lib/config/model";
import { assumeRoleWithWebIdentity } from "../support/sts";
import { baseConfig, UUIDS, withSynth } from "../support/synth";
import { rolesFromTerraform } from "../support/terraform-json";
import { startTestIssuer, TestIssuer } from "../support/tokens";
import { ACCOUNT_ID, accountProviders } from "./matrix";

interface GenRepo {
  readonly uuid: string;
  readonly environments?: readonly string[];
}

const uuid = fc.uuid().map((u) => `{${u.toLowerCase()}}`);
/** How a user might write a UUID in the config: braces optional, any case. */
const spelled = (u: string, braces: boolean, upper: boolean): string => {
  const body = braces ? u : u.slice(1, -1);
  return upper ? body.toUpperCase() : body;
};
const repo = fc.record({ uuid, environments: fc.option(fc.uniqueArray(uuid, { minLength: 1, maxLength: 2 }), { nil: undefined }) });
const roles = fc.array(fc.uniqueArray(repo, { selector: (r) => r.uuid, minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 });

describe("property: no token outside a role's repositories and environments is allowed, every one inside is", () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(() => issuer.close());

  test("GIVEN random configs THEN the allowed tokens are exactly the configured ones", async () => {
    await fc.assert(
      fc.asyncProperty(roles, uuid, uuid, fc.boolean(), fc.boolean(), async (generated, outsiderRepo, outsiderEnv, braces, upper) => {
        const config = baseConfig({
          roles: generated.map(
            (repos, i): RoleConfig => ({
              name: `role-${i}`,
              repositories: repos.map((r) => ({
                uuid: spelled(r.uuid, braces, upper),
                ...(r.environments ? { environments: r.environments.map((e) => ({ uuid: spelled(e, !braces, upper) })) } : {}),
              })),
            }),
          ),
        });
        const json = withSynth(config, (out) => out.json());
        const account = { accountId: ACCOUNT_ID, providers: accountProviders(json) };
        const synthesized = rolesFromTerraform(json, { accountId: ACCOUNT_ID });

        // Every repository and environment any role names, plus an outsider of each, plus "no environment".
        const allRepos = [...new Set([...generated.flat().map((r) => r.uuid), outsiderRepo])];
        const allEnvs = [undefined, outsiderEnv, ...new Set(generated.flat().flatMap((r) => r.environments ?? []))];
        for (const repositoryUuid of allRepos) {
          for (const environmentUuid of allEnvs) {
            const token = await issuer.mint({ workspaceSlug: "acme", workspaceUuid: UUIDS.workspace, repositoryUuid, environmentUuid });
            for (const [i, repos] of generated.entries()) {
              const trusted: GenRepo | undefined = repos.find((r) => r.uuid === repositoryUuid);
              const expected = trusted !== undefined && (trusted.environments === undefined || (environmentUuid !== undefined && trusted.environments.includes(environmentUuid)));
              const role = synthesized.find((r) => r.name === `role-${i}`);
              if (!role) throw new Error(`role-${i} not synthesized`);
              const outcome = await assumeRoleWithWebIdentity(issuer, account, role, { token });
              expect({ role: role.name, repositoryUuid, environmentUuid, allowed: outcome === "Allowed" }).toEqual({ role: role.name, repositoryUuid, environmentUuid, allowed: expected });
            }
          }
        }
      }),
      { numRuns: propertyRuns(25) },
    );
  });
});
