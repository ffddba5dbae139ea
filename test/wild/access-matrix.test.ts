/**
 * Wild input, property: the access matrix holds over generated configs. For every role of every
 * account's stack (shared roles with their overrides, account roles), real signed tokens go through
 * STS's steps and the IAM evaluator: a token is allowed exactly when the config names its repository
 * and, where the role lists environments for that repository, its environment (or the role opts into
 * every repository of the workspace). Expected answers come from the config as written, not from the
 * project's own expansion.
 */
import { SocketAddress } from "node:net";
import fc from "fast-check";
import { AccountInput, BitbucketOidcConfigInput, RoleConfig } from "../../lib/config/model";
import { defaultAudience, issuerUrl } from "../../lib/bitbucket/bitbucket";
import { unescapeTerraformText } from "../../lib/iam/terraform-text";
import { bareUuid, normalizeUuid } from "../../lib/bitbucket/uuid";
import { configPartition, wildConfig, wildRuns, wildSeed, wildTimeout } from "../support/config-arbitrary";
import { assumeRoleWithWebIdentity, providersOf } from "../support/sts";
import { rolesFromTerraform } from "../support/terraform-json";
import { startTestIssuer, TestIssuer } from "../support/tokens";
import { synthStacks } from "./wild-synth";

const PLACEHOLDER_ACCOUNT = "999999999999";
const RUNS = wildRuns(40, 0.1);
const OUTSIDER_REPO = "{0badc0de-0000-4000-8000-000000000001}";
const OUTSIDER_ENV = "{0badc0de-0000-4000-8000-000000000002}";

/** The roles each stack should hold, by stack name, merged from the config as written. */
function expectedRoles(config: BitbucketOidcConfigInput): Map<string, RoleConfig[]> {
  const out = new Map<string, RoleConfig[]>();
  if (!config.accounts) {
    out.set(config.stack, [...(config.roles ?? [])]);
    return out;
  }
  for (const account of config.accounts as AccountInput[]) {
    const shared = (config.roles ?? [])
      .filter((r) => !r.accounts || r.accounts.includes(account.name))
      .map((r) => ({ ...r, ...(account.overrides?.[r.name] ?? {}) }) as RoleConfig);
    out.set(`${config.stack}-${account.name}`, [...shared, ...(account.roles ?? [])]);
  }
  return out;
}

const norm = (uuid: string): string => normalizeUuid(uuid) ?? uuid;

/** The address a step calls from: inside the role's first source range (its own address is). */
/**
 * A request address inside the role's first source range, as AWS puts it in the request context: an
 * IPv6 address in its canonical text (the config may write one with an embedded IPv4 part).
 */
const sourceIpFor = (role: RoleConfig): string | undefined => {
  const address = role.sourceIps?.[0]?.split("/")[0];
  return address === undefined || !address.includes(":") ? address : new SocketAddress({ address, family: "ipv6" }).address;
};

describe("wild input: the access matrix holds", () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(() => issuer.close());

  test("GIVEN generated configs THEN each role allows exactly the tokens of the repositories and environments the config names", async () => {
    let cells = 0;
    await fc.assert(
      fc.asyncProperty(wildConfig(), async (config) => {
        const stacks = synthStacks(config);
        if (!stacks) return;
        const partition = configPartition(config);
        const workspaceUuid = norm(config.workspace.uuid);
        const configAudiences = config.provider?.audiences ?? [defaultAudience(bareUuid(workspaceUuid))];
        const expected = expectedRoles(config);
        for (const stack of stacks.filter((s) => expected.has(s.name))) {
          const accountId = stack.accountId ?? PLACEHOLDER_ACCOUNT;
          const declared = providersOf(stack.json).map((p) => ({ url: p.url, audiences: p.audiences.map(unescapeTerraformText) }));
          const account = { accountId, providers: declared.length > 0 ? declared : [{ url: issuerUrl(config.workspace.slug), audiences: configAudiences }] };
          const synthesized = rolesFromTerraform(stack.json, { accountId, partition });
          for (const role of expected.get(stack.name) ?? []) {
            const tf = synthesized.find((r) => r.name === role.name);
            expect({ stack: stack.name, role: role.name, synthesized: tf !== undefined }).toEqual({ stack: stack.name, role: role.name, synthesized: true });
            if (!tf) continue;
            const aud = (role.audiences ?? configAudiences)[0];
            const repos = role.repositories ?? [];
            const repoUuids = [...new Set([...repos.map((r) => norm(r.uuid)), OUTSIDER_REPO])];
            const envUuids = [undefined, OUTSIDER_ENV, ...new Set(repos.flatMap((r) => (r.environments ?? []).map((e) => norm(e.uuid))))];
            for (const repositoryUuid of repoUuids) {
              for (const environmentUuid of envUuids) {
                const token = await issuer.mint({ workspaceSlug: config.workspace.slug, workspaceUuid, repositoryUuid, environmentUuid, aud });
                const outcome = await assumeRoleWithWebIdentity(issuer, account, tf, { token, sourceIp: sourceIpFor(role) });
                const trusted = repos.find((r) => norm(r.uuid) === repositoryUuid);
                const allowed =
                  role.anyRepositoryInWorkspace === true ||
                  (trusted !== undefined && (trusted.environments === undefined || (environmentUuid !== undefined && trusted.environments.some((e) => norm(e.uuid) === environmentUuid))));
                expect({ stack: stack.name, role: role.name, repositoryUuid, environmentUuid, outcome: outcome === "Allowed" ? "Allowed" : outcome }).toEqual({
                  stack: stack.name,
                  role: role.name,
                  repositoryUuid,
                  environmentUuid,
                  outcome: allowed ? "Allowed" : expect.not.stringMatching(/^Allowed$/),
                });
                cells++;
              }
            }
          }
        }
      }),
      { numRuns: RUNS, seed: wildSeed(), endOnFailure: true },
    );
    expect(cells).toBeGreaterThan(0);
  }, wildTimeout(RUNS, 1500));
});
