/**
 * Issue 17 item 8, the differential property: fast-check writes hand-made trust policies (case and
 * brace variants of UUIDs, keys of another workspace, several operators on one key in one statement,
 * IfExists and set operators, wildcards, audiences, source ranges), the real `migrate` command
 * converts each, and the existing policy and the trust policy the generated entry synthesizes (built
 * by the construct's own functions) are evaluated with the IAM evaluator on generated tokens:
 * - a token only the generated policy allows means the output says WIDER and the exit code is 1;
 * - "Converted cleanly" (exit 0) means both allow exactly the same tokens.
 */
import fc from "fast-check";
import { propertyRuns } from "../support/property-runs";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { runCliIn } from "../support/run-cli";
import { RoleConfig } from "../../lib/config/model";
import { evaluateTrust } from "../../lib/evaluation/trust-evaluator";
import { defaultAudience } from "../../lib/bitbucket/bitbucket";
import { IamPolicyDocument } from "../../lib/iam/policy-document";
import { normalizeRepositories, roleSubjects } from "../../lib/constructs/role-rules";
import { trustPolicyDocument } from "../../lib/iam/trust-policy";
import { bareUuid } from "../../lib/bitbucket/uuid";
import { UUIDS } from "../support/synth";

const ISSUER = "api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc";
const OTHER_ISSUER = "api.bitbucket.org/2.0/workspaces/other-ws/pipelines-config/identity/oidc";
const ACCOUNT = "111122223333";
const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/bitbucket-adopted`;
const AUDIENCE = defaultAudience(bareUuid(UUIDS.workspace));
const REPOS = [UUIDS.repoA, UUIDS.repoB];
const ENVS = [UUIDS.envProduction, UUIDS.envStaging];
const RANGE = "104.192.136.0/24";

const repo = fc.constantFrom(...REPOS);
const env = fc.constantFrom(...ENVS);
const subPattern = fc.oneof(
  repo.map((r) => `${r}:*`),
  fc.tuple(repo, env).map(([r, e]) => `${r}:${e}:*`),
  repo.map((r) => `${r.toUpperCase()}:*`),
  repo.map((r) => `${r.slice(1, -1)}:*`),
  fc.tuple(repo, env).map(([r, e]) => `${r}:${e.toUpperCase()}:*`),
  fc.constantFrom("*", "{*}:*", "*:*"),
  repo.map((r) => `${r}*`),
  repo.map((r) => `${r}:{5eed5eed-0000-4000-8000-000000000001}`),
);
const audValue = fc.constantFrom(AUDIENCE, "sts.amazonaws.com", "ari:cloud:bitbucket::workspace/*", AUDIENCE.toUpperCase());
const values = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.uniqueArray(arb, { minLength: 1, maxLength: 3 }));

/** One condition block: operator -> key -> values. */
const block = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constantFrom("StringLike", "StringEquals", "ForAnyValue:StringLike", "ForAllValues:StringLike", "StringLikeIfExists"), key: fc.constantFrom(`${ISSUER}:sub`, `${OTHER_ISSUER}:sub`, `${ISSUER.toUpperCase()}:sub`), values: values(subPattern) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constantFrom("StringEquals", "StringLike", "ForAnyValue:StringEquals"), key: fc.constantFrom(`${ISSUER}:aud`, `${OTHER_ISSUER}:aud`), values: values(audValue) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("IpAddress"), key: fc.constant("aws:SourceIp"), values: fc.constant(RANGE) }) },
);

const statement = fc.array(block, { minLength: 0, maxLength: 4 }).map((blocks) => {
  const condition: Record<string, Record<string, unknown>> = {};
  for (const b of blocks) (condition[b.op] ??= {})[b.key] = b.values;
  return {
    Effect: "Allow",
    Principal: { Federated: PROVIDER_ARN },
    Action: "sts:AssumeRoleWithWebIdentity",
    ...(blocks.length > 0 ? { Condition: condition } : {}),
  };
});
const policy = fc.array(statement, { minLength: 1, maxLength: 2 }).map((Statement) => ({ Version: "2012-10-17", Statement }));

/** Tokens a step of the workspace can carry: any repository (or a stranger), with or without an environment. */
const STRANGER = "{7a7a7a7a-1111-4222-8333-944444444444}";
const token = fc.record({
  repo: fc.constantFrom(...REPOS, STRANGER),
  env: fc.option(fc.constantFrom(...ENVS, STRANGER), { nil: undefined }),
  step: fc.uuid({ version: 4 }).map((u) => `{${u}}`),
  aud: fc.constantFrom(AUDIENCE, "sts.amazonaws.com", defaultAudience(bareUuid(STRANGER))),
  sourceIp: fc.constantFrom(undefined, "104.192.136.9", "203.0.113.5"),
});
type Token = typeof token extends fc.Arbitrary<infer T> ? T : never;

function allows(document: IamPolicyDocument | undefined, t: Token): boolean {
  if (!document) return false;
  const sub = t.env ? `${t.repo}:${t.env}:${t.step}` : `${t.repo}:${t.step}`;
  return evaluateTrust(document, { issuerHostPath: ISSUER, aud: t.aud, sub, sourceIp: t.sourceIp, accountId: ACCOUNT, roleArn: ROLE_ARN }) === "Allowed";
}

interface Entry {
  workspace: { uuid?: string };
  provider: { existingArn: string; audiences?: string[] };
  roles: RoleConfig[];
}

/** The trust policy the entry synthesizes, the workspace UUID filled in as the user would; undefined if it accepts nothing. */
function generatedPolicy(entry: Entry): IamPolicyDocument | undefined {
  const role = entry.roles[0];
  const audiences = role.audiences ?? entry.provider.audiences ?? [defaultAudience(bareUuid(entry.workspace.uuid ?? UUIDS.workspace))];
  const subjects = roleSubjects({ repositories: normalizeRepositories(role.repositories), anyRepositoryInWorkspace: role.anyRepositoryInWorkspace });
  if (subjects.length === 0 || audiences.length === 0) return undefined;
  return trustPolicyDocument({ providerArn: entry.provider.existingArn, conditionKeyPrefix: ISSUER, audiences: [...audiences], subjects, sourceIps: role.sourceIps });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "bbo-migrate-diff-"));
  writeFileSync(join(dir, "attached.json"), JSON.stringify({ AttachedPolicies: [] }));
  writeFileSync(join(dir, "inline.json"), JSON.stringify({ PolicyNames: [] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function migrate(document: object): Promise<{ code: number; out: string; entry?: Entry }> {
  const role = { Path: "/", RoleName: "bitbucket-adopted", RoleId: "AROAEXAMPLEID", Arn: ROLE_ARN, CreateDate: "2024-03-01T10:00:00+00:00", AssumeRolePolicyDocument: document, MaxSessionDuration: 3600 };
  writeFileSync(join(dir, "role.json"), JSON.stringify({ Role: role }));
  const { code, stdout, stderr } = await runCliIn(["migrate", "--get-role", "role.json", "--attached", "attached.json", "--inline", "inline.json"], { cwd: dir, env: {} });
  return { code, out: stdout + stderr, entry: stdout ? (parse(stdout) as Entry) : undefined };
}

test("the generated trust never allows a token the existing one refuses without saying WIDER; clean means equal", async () => {
  await fc.assert(
    fc.asyncProperty(policy, fc.array(token, { minLength: 40, maxLength: 40 }), async (document, tokens) => {
      const run = await migrate(document);
      if (run.code === 2) return; // not a Bitbucket trust policy: nothing generated
      expect(run.entry).toBeDefined();
      const generated = generatedPolicy(run.entry as Entry);
      const differing = tokens.filter((t) => allows(generated, t) !== allows(document as IamPolicyDocument, t));
      const wider = differing.filter((t) => allows(generated, t));
      if (wider.length > 0) {
        expect(run.out).toContain("[WIDER]");
        expect(run.code).toBe(1);
      }
      if (run.out.includes("Converted cleanly")) {
        expect(run.code).toBe(0);
        expect(differing).toEqual([]);
      }
    }),
    { numRuns: propertyRuns(80) },
  );
}, 300000);
